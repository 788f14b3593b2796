// Every adapter through the public API against the simulator, from one table (adapters.ts): generate,
// stream, re-ask, each fault class of the simulator, usage and dollars (cached and reasoning tokens), and
// prompt-cache controls. What differs between providers lives in the table, not in copies of these tests.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { FAULT_NAMES, type FaultName, type Simulator, startSimulator } from "ballast/testing";
import { ADAPTERS } from "./adapters.js";

const Review = z.object({
  sentiment: z.enum(["positive", "negative", "neutral"]),
  score: z.number().int().min(1).max(10),
  summary: z.string(),
});

/** What the first attempt's record says after each fault (the backup model then answers). */
const FAULT_OUTCOME: Record<FaultName, string[]> = {
  hang: ["timeout"],
  reset: ["connection_error"],
  http429: ["rate_limited"],
  http500: ["http_error"],
  http502: ["http_error"],
  http503: ["http_error"],
  http529: ["http_error"],
  // A slow tail may or may not outlast the attempt's timeout.
  slowTail: ["ok", "timeout"],
  streamCut: ["connection_error"],
  truncate: ["truncated"],
  refusal: ["refusal"],
  contentFilter: ["content_filter"],
  malformed: ["repaired", "invalid"],
  wrongShape: ["ok", "repaired", "invalid"],
  leak: ["ok"],
};

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 7 });
});
after(() => sim.close());

const LONG_INSTRUCTIONS = `You grade product reviews. ${"Read the review carefully and weigh every claim it makes. ".repeat(160)}`;

for (const adapter of ADAPTERS) {
  describe(adapter.name, () => {
    const id = adapter.name.toLowerCase().replace(/\W+/g, "-");
    const name = (what: string) => `${id}-${what}`;
    const model = (what: string) => adapter.make(sim, name(what));

    test("generate: a schema-valid value with usage, through the provider's own wire format", async () => {
      const llm = createBallast({ models: [model("generate")], traces: false });
      const r = await llm.generate({ schema: Review, instructions: "Grade the review.", input: "Great battery, weak screen." });
      assert.equal(r.source, "model");
      assert.equal(r.model, name("generate"));
      assert.equal(Review.safeParse(r.value).success, true);
      assert.deepEqual(
        r.attempts.map((a) => a.outcome),
        ["ok"],
      );
      assert.ok(r.usage.inputTokens > 5 && r.usage.outputTokens > 5, JSON.stringify(r.usage));
      assert.equal(adapter.requests(sim, name("generate")).length, 1);
    });

    test("every enforced output mode the adapter offers (json_schema, tool) answers schema-valid, generated and streamed", async () => {
      const enforced = adapter.make(sim, name("modes")).modes.filter((m) => m === "json_schema" || m === "tool");
      assert.ok(enforced.includes("json_schema"));
      for (const mode of enforced) {
        const llm = createBallast({ models: [model(`mode-${mode}`)], traces: false, mode });
        const r = await llm.generate({ schema: Review, input: `Mode ${mode}.` });
        assert.deepEqual(
          r.attempts.map((a) => a.outcome),
          ["ok"],
          mode,
        );
        const s = llm.stream({ schema: Review, input: `Mode ${mode}, streamed.` });
        for await (const _ of s);
        assert.equal((await s.result).source, "model", mode);
      }
    });

    test("stream: snapshots end in the value generate gives, with the same usage", async () => {
      const llm = createBallast({ models: [model("stream")], traces: false });
      const options = { schema: Review, instructions: "Grade the review.", input: "Streams nicely." };
      const s = llm.stream(options);
      let snapshots = 0;
      for await (const e of s) if (e.type === "snapshot") snapshots++;
      const r = await s.result;
      assert.ok(snapshots >= 1);
      assert.equal(r.source, "model");
      const g = await llm.generate(options);
      assert.deepEqual(r.value, g.value);
      assert.deepEqual(r.usage, g.usage);
    });

    test("stream: a stream cut mid-way falls to the next model", async () => {
      sim.script(name("stream-cut"), [{ fault: "streamCut" }]);
      const llm = createBallast({ models: [model("stream-cut"), model("stream-backup")], traces: false });
      const s = llm.stream({ schema: Review, input: "Cut me." });
      const kinds: string[] = [];
      for await (const e of s) if (e.type === "reset") kinds.push(e.error.kind);
      const r = await s.result;
      assert.equal(r.model, name("stream-backup"));
      assert.equal(r.attempts[0]!.outcome, "connection_error");
    });

    test("re-ask: an invalid reply goes back to the same model with the validation errors", async () => {
      sim.script(name("reask"), [
        { json: { sentiment: "great", score: 99, summary: "x" } },
        { json: { sentiment: "positive", score: 8, summary: "fine" } },
      ]);
      const llm = createBallast({ models: [model("reask")], traces: false });
      const r = await llm.generate({ schema: Review, input: "Re-ask me." });
      assert.deepEqual(r.value, { sentiment: "positive", score: 8, summary: "fine" });
      assert.deepEqual(
        r.attempts.map((a) => [a.kind, a.outcome]),
        [
          ["initial", "invalid"],
          ["reask", "ok"],
        ],
      );
      const second = adapter.requests(sim, name("reask"))[1]!.body as Record<string, any>;
      assert.match(adapter.lastUserText(second), /sentiment/);
      assert.match(adapter.lastUserText(second), /score/);
    });

    test("every fault class of the simulator ends in the outcome a user would see, then the backup answers", async () => {
      for (const fault of FAULT_NAMES) {
        const primary = name(`fault-${fault}`);
        sim.script(primary, [{ fault, ...(fault === "http429" ? { retryAfterMs: 1 } : {}) }]);
        const llm = createBallast({ models: [model(`fault-${fault}`), model("fault-backup")], traces: false, timeoutMs: 1500, reasks: 0 });
        const r = await llm.generate({ schema: Review, input: `Fault ${fault}.` });
        assert.equal(Review.safeParse(r.value).success, true, fault);
        const first = r.attempts[0]!;
        const expected = adapter.faultOutcomes?.[fault] ?? FAULT_OUTCOME[fault];
        assert.ok(expected.includes(first.outcome), `${fault}: outcome ${first.outcome}`);
        if (fault === "http429") {
          assert.deepEqual(
            r.attempts.map((a) => [a.model, a.kind]),
            [
              [primary, "initial"],
              [primary, "retry"],
            ],
            "a 429 with a short retry-after is waited out on the same model",
          );
        }
      }
    });

    test("usage and dollars: cached and reasoning tokens as the provider reports them", async () => {
      sim.script(name("usage"), [
        {
          json: { sentiment: "neutral", score: 5, summary: "ok" },
          usage: {
            inputTokens: 3000,
            cachedInputTokens: 2048,
            outputTokens: 400,
            reasoningTokens: 300,
            ...(adapter.cacheWrites ? { cacheWriteTokens: 100 } : {}),
          },
        },
      ]);
      const price = { inputPerMTok: 1, cachedInputPerMTok: 0.1, cacheWritePerMTok: 1.25, outputPerMTok: 4 };
      const llm = createBallast({ models: [adapter.make(sim, name("usage"), price)], traces: false });
      const r = await llm.generate({ schema: Review, input: "Usage." });
      assert.equal(r.usage.inputTokens, 3000);
      assert.equal(r.usage.cachedInputTokens, 2048);
      assert.equal(r.usage.outputTokens, 400);
      assert.equal(r.usage.reasoningTokens, adapter.reportsReasoning ? 300 : 0);
      const writes = adapter.cacheWrites ? 100 : 0;
      assert.equal(r.usage.cacheWriteTokens, writes);
      const expected = ((3000 - 2048 - writes) * 1 + 2048 * 0.1 + writes * 1.25 + 400 * 4) / 1e6;
      assert.ok(r.costUsd !== null && Math.abs(r.costUsd - expected) < 1e-9, `${r.costUsd} vs ${expected}`);

      // A real model name is priced from the catalogue, with no price given.
      const real = createBallast({ models: [adapter.make(sim, adapter.catalogueModel)], traces: false });
      const priced = await real.generate({ schema: Review, input: "Catalogue price." });
      assert.ok(priced.costUsd !== null && priced.costUsd > 0, `${adapter.catalogueModel}: ${priced.costUsd}`);
    });

    test("prompt caching: a long stable prefix is read from the cache on the second call", async () => {
      const llm = createBallast({ models: [model("cache")], traces: false });
      const task = llm.task({ name: `${id}-cache`, schema: Review, instructions: LONG_INSTRUCTIONS });
      const first = await task("First review.");
      const second = await task("Second review.");
      assert.equal(first.usage.cachedInputTokens, 0);
      assert.ok(second.usage.cachedInputTokens >= 1024, `cached ${second.usage.cachedInputTokens}`);
      if (adapter.cacheWrites) assert.ok(first.usage.cacheWriteTokens >= 1024);
      const bodies = adapter.requests(sim, name("cache")).map((q) => q.body as Record<string, any>);
      if (adapter.cacheKeyField) {
        assert.equal(typeof bodies[0]![adapter.cacheKeyField], "string");
        assert.equal(bodies[0]![adapter.cacheKeyField], bodies[1]![adapter.cacheKeyField], "one key per task");
      }
    });
  });
}
