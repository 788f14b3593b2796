// llm.stream() end to end against the simulator's streaming, on both providers: validated monotonic
// snapshots, the same final value as generate, resets and fallback to the next rung mid-stream, hedging
// before the first chunk, and cancellation that closes the socket (checked server-side).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { AbortedError, createBallast, type LanguageModel } from "ballast";
import { startSimulator, type Simulator } from "ballast/testing";
import { abortedReach, Article, assertMonotonic, collect, modelFor, PROVIDERS } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({
    seed: 11,
    models: {
      paced: { tokensPerSecond: 2000 },
      slow: { ttftMs: 400, tokensPerSecond: 2000 },
      crawl: { tokensPerSecond: 30 },
    },
  });
});
after(() => sim.close());

for (const provider of PROVIDERS) {
  describe(provider, () => {
    const model = (name: string) => modelFor(sim, provider, name);

    test("snapshots grow monotonically and the final value equals generate's for the same seed", async () => {
      const llm = createBallast({ models: [model("paced")], traces: false });
      const options = { schema: Article, instructions: "Write the article card.", input: "Battery review" };
      const s = llm.stream(options);
      const events = await collect(s);
      const r = await s.result;
      assert.ok(events.length > 5, `only ${events.length} snapshots`);
      assert.ok(events.every((e) => e.type === "snapshot" && e.attempt === 1 && e.model === "paced"));
      assertMonotonic(events);
      const last = events.at(-1)!;
      assert.ok(last.type === "snapshot" && last.done.has(""), "the last snapshot is the whole object");
      assert.deepEqual(last.type === "snapshot" && last.partial, r.value);
      const g = await llm.generate(options);
      assert.deepEqual(r.value, g.value);
      assert.equal(r.source, "model");
      assert.equal(r.model, "paced");
      assert.equal(r.attempts.length, 1);
      assert.equal(r.attempts[0]!.outcome, "ok");
      assert.deepEqual(r.usage, g.usage, "usage is exact (include_usage / message_delta)");
      assert.ok(r.usage.outputTokens > 10);
    });

    test("a string still being written grows; enums appear whole; atomic fields only when done", async () => {
      const llm = createBallast({ models: [model("paced")], traces: false });
      const s = llm.stream({ schema: Article, input: "Atomic check", atomic: ["/summary", "/topics/*/name"] });
      const events = await collect(s);
      const snapshots = events.filter((e) => e.type === "snapshot");
      const titles = snapshots.map((e) => (e.partial as Partial<Article>).title).filter((t) => t !== undefined);
      assert.ok(
        titles.some((t) => !snapshots.at(-1)!.done.has("/title") || t !== titles.at(-1)),
        "the title was seen growing",
      );
      for (const e of snapshots) {
        const p = e.partial as Partial<Article>;
        if (p.summary !== undefined) assert.ok(e.done.has("/summary"), "atomic summary shown before done");
        p.topics?.forEach((t, i) => {
          if (t.name !== undefined) assert.ok(e.done.has(`/topics/${i}/name`), "atomic topic name shown before done");
        });
      }
      assertMonotonic(events);
    });

    test("a cut stream falls to the next rung with a reset before the new attempt's snapshots", async () => {
      sim.script("cut-primary", [{ fault: "streamCut" }]);
      const llm = createBallast({ models: [model("cut-primary"), model("paced")], traces: false });
      const s = llm.stream({ schema: Article, input: "Cut me" });
      const events = await collect(s);
      const r = await s.result;
      const reset = events.findIndex((e) => e.type === "reset");
      assert.ok(reset > 0, "snapshots of the first attempt, then a reset");
      const resetEvent = events[reset]!;
      assert.ok(
        resetEvent.type === "reset" && resetEvent.attempt === 1 && resetEvent.error.kind === "connection",
        JSON.stringify(resetEvent),
      );
      assert.ok(events.slice(0, reset).every((e) => e.attempt === 1));
      assert.ok(events.slice(reset + 1).length > 0 && events.slice(reset + 1).every((e) => e.type === "snapshot" && e.attempt === 2));
      assertMonotonic(events);
      assert.equal(r.model, "paced");
      assert.deepEqual(
        r.attempts.map((a) => a.outcome),
        ["connection_error", "ok"],
      );
    });

    test("an invalid final object resets, then the re-ask streams a valid one", async () => {
      sim.script("wrong-enum", [{ json: { title: "t", sentiment: "ecstatic", score: 3, published: true, topics: [], summary: "s" } }]);
      const llm = createBallast({ models: [model("wrong-enum")], traces: false });
      const s = llm.stream({ schema: Article, input: "Bad enum" });
      const events = await collect(s);
      const r = await s.result;
      const resets = events.filter((e) => e.type === "reset");
      assert.equal(resets.length, 1);
      assert.equal(resets[0]!.type === "reset" && resets[0]!.error.kind, "invalid_output");
      const first = events.filter((e) => e.type === "snapshot" && e.attempt === 1);
      assert.ok(
        first.every((e) => e.type === "snapshot" && (e.partial as Partial<Article>).sentiment === undefined),
        "the bad enum never showed",
      );
      assert.deepEqual(
        r.attempts.map((a) => [a.kind, a.outcome]),
        [
          ["initial", "invalid"],
          ["reask", "ok"],
        ],
      );
    });

    test("hedging applies before the first chunk: the faster rung streams, the slow one is aborted", async () => {
      const llm = createBallast({ models: [model("slow"), model("paced")], hedge: { afterMs: 50 }, traces: false });
      const before = sim.stats().abortedRequests;
      const s = llm.stream({ schema: Article, input: "Hedge" });
      const events = await collect(s);
      const r = await s.result;
      assert.ok(events.every((e) => e.type === "snapshot" && e.model === "paced"));
      assert.equal(r.model, "paced");
      assert.deepEqual(r.attempts.map((a) => a.outcome).sort(), ["aborted", "ok"]);
      assert.equal(await abortedReach(sim, before + 1), before + 1, "the slow request's socket was closed");
    });

    test("a rung passed over by the hedge runs again when the rung that streamed first fails", async () => {
      sim.script(`cut-fast-${provider}`, [{ fault: "streamCut" }]);
      const llm = createBallast({
        models: [model("slow"), model(`cut-fast-${provider}`)],
        hedge: { afterMs: 50 },
        reasks: 0,
        traces: false,
      });
      const s = llm.stream({ schema: Article, input: "Hedge then cut" });
      const events = await collect(s);
      const r = await s.result;
      assert.deepEqual(
        r.attempts.map((a) => [a.model, a.outcome]),
        [
          ["slow", "aborted"],
          [`cut-fast-${provider}`, "connection_error"],
          ["slow", "ok"],
        ],
      );
      const reset = events.findIndex((e) => e.type === "reset");
      assert.ok(reset > 0 && events.slice(reset + 1).every((e) => e.type === "snapshot" && e.model === "slow" && e.attempt === 3));
      assert.equal(r.model, "slow");
    });

    test("breaking out of the loop aborts the HTTP stream at once (server-side)", async () => {
      const llm = createBallast({ models: [model("crawl")], traces: false });
      const before = sim.stats().abortedRequests;
      const s = llm.stream({ schema: Article, input: "Break" });
      for await (const e of s) {
        if (e.type === "snapshot") break;
      }
      await assert.rejects(s.result, AbortedError);
      assert.equal(await abortedReach(sim, before + 1), before + 1);
    });

    test("the caller's AbortSignal aborts the HTTP stream at once (server-side)", async () => {
      const llm = createBallast({ models: [model("crawl")], traces: false });
      const before = sim.stats().abortedRequests;
      const controller = new AbortController();
      const s = llm.stream({ schema: Article, input: "Signal", signal: controller.signal });
      const seen: string[] = [];
      const reading = (async () => {
        for await (const e of s) {
          seen.push(e.type);
          if (seen.length === 1) controller.abort();
        }
      })();
      await assert.rejects(reading, AbortedError);
      await assert.rejects(s.result, AbortedError);
      assert.equal(await abortedReach(sim, before + 1), before + 1);
    });
  });
}

test("a schema whose root is not an object streams unwrapped", async () => {
  const llm = createBallast({ models: [modelFor(sim, "openai", "paced")], traces: false });
  const s = llm.stream({ schema: z.array(z.object({ id: z.number(), label: z.string() })).min(1), input: "list" });
  const events = await collect(s);
  const r = await s.result;
  const last = events.at(-1)!;
  assert.ok(Array.isArray(r.value));
  assert.ok(last.type === "snapshot" && Array.isArray(last.partial));
  assert.deepEqual(last.type === "snapshot" && last.partial, r.value);
});

test("only awaiting result (no iteration) returns what generate returns", async () => {
  const llm = createBallast({ models: [modelFor(sim, "anthropic", "paced")], traces: false });
  const r = await llm.stream({ schema: Article, input: "No reader" }).result;
  const g = await llm.generate({ schema: Article, input: "No reader" });
  assert.deepEqual(r.value, g.value);
});

test("a model without stream() still works: its whole reply arrives as one snapshot", async () => {
  const inner = modelFor(sim, "openai", "paced");
  const wholeOnly: LanguageModel = {
    provider: inner.provider,
    modelId: inner.modelId,
    modes: inner.modes,
    supportsFrequencyPenalty: inner.supportsFrequencyPenalty,
    supportsN: inner.supportsN,
    generate: (request) => inner.generate(request),
  };
  const llm = createBallast({ models: [wholeOnly], traces: false });
  const s = llm.stream({ schema: Article, input: "Whole" });
  const events = await collect(s);
  const r = await s.result;
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]!.type === "snapshot" && events[0]!.partial, r.value);
});

test("with a private context nothing shows until the whole answer passed the leak check, then one snapshot", async () => {
  const llm = createBallast({ models: [modelFor(sim, "anthropic", "paced")], traces: false });
  const s = llm.stream({ schema: Article, input: "Private", privateContext: { content: "internal margin is 41%", withholdOnLeak: true } });
  const events = await collect(s);
  const r = await s.result;
  assert.equal(r.source, "model");
  assert.equal(events.length, 1);
  const only = events[0]!;
  assert.ok(only.type === "snapshot" && only.done.has("") && only.done.has("/title") && only.attempt === 1);
  assert.deepEqual(only.type === "snapshot" && only.partial, r.value);
});
