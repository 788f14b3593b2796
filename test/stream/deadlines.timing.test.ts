// Streaming deadlines really abort the request: firstChunkMs, idleMs and the call's deadline each fire
// promptly (LATE_MS after a plain timer for the same delay), the socket is closed (checked server-side), and the cascade moves on or falls back.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createBallast, StreamTimeoutError } from "ballast";
import { startSimulator, type Simulator } from "ballast/testing";
import { abortedReach, Article, collect, controlTimer, modelFor, PROVIDERS } from "./helpers.js";

/**
 * How much later than a plain timer for the same delay an abort may land: the machine these tests share
 * runs many suites at once, and a starved event loop delays the stream's timers more than a bare one.
 */
const LATE_MS = 250;

const fallback: Article = { title: "", sentiment: "neutral", score: 5, published: false, topics: [], summary: "" };

let sim: Simulator;
before(async () => {
  sim = await startSimulator({
    seed: 12,
    // late: first chunk after 600 ms; stall: fast start then one chunk every 600 ms (3 tokens at 5 tokens/s)
    models: { late: { ttftMs: 600, tokensPerSecond: 2000 }, stall: { tokensPerSecond: 5 }, fast: { tokensPerSecond: 4000 } },
  });
  // Node's fetch loads lazily on first use: warm it so the timings measure Ballast, not start-up.
  for (const provider of PROVIDERS)
    await createBallast({ models: [modelFor(sim, provider, "fast")], traces: false }).stream({ schema: Article, input: "warm" }).result;
});
after(() => sim.close());

for (const provider of PROVIDERS) {
  describe(provider, () => {
    const model = (name: string) => modelFor(sim, provider, name);

    test(`firstChunkMs aborts a late stream within ${LATE_MS} ms of a plain timer and the next rung answers`, async () => {
      const llm = createBallast({ models: [model("late"), model("fast")], traces: false });
      const before = sim.stats().abortedRequests;
      const control = controlTimer(150);
      const s = llm.stream({ schema: Article, input: "late", firstChunkMs: 150 });
      const events = await collect(s);
      const r = await s.result;
      const first = r.attempts[0]!;
      assert.equal(first.outcome, "timeout");
      assert.match(first.error!.message, /no first chunk/);
      const late = first.latencyMs - (await control);
      assert.ok(
        first.latencyMs >= 149 && late < LATE_MS,
        `fired after ${first.latencyMs} ms (${late.toFixed(0)} ms after a plain 150 ms timer)`,
      );
      assert.equal(r.model, "fast");
      assert.ok(
        events.every((e) => e.type === "snapshot" && e.attempt === 2),
        "nothing streamed from the late attempt, so no reset",
      );
      assert.equal(await abortedReach(sim, before + 1), before + 1, "the late request's socket was closed");
    });

    test(`idleMs aborts a stalled stream within ${LATE_MS} ms of a plain timer, with a reset, and the next rung answers`, async () => {
      const llm = createBallast({ models: [model("stall"), model("fast")], traces: false });
      const before = sim.stats().abortedRequests;
      const t0 = performance.now();
      let firstChunkAt = 0;
      const s = llm.stream({ schema: Article, input: "stall", idleMs: 150 });
      const events = [];
      let resetAt = 0;
      let control: Promise<number> | undefined;
      for await (const e of s) {
        if (!firstChunkAt) {
          firstChunkAt = performance.now() - t0;
          control = controlTimer(150);
        }
        if (e.type === "reset") resetAt = performance.now() - t0;
        events.push(e);
      }
      const r = await s.result;
      const first = r.attempts[0]!;
      assert.equal(first.outcome, "timeout");
      assert.match(first.error!.message, /without a chunk/);
      const idleFor = resetAt - firstChunkAt;
      const late = idleFor - (await control!);
      assert.ok(
        first.latencyMs >= 149 && late < LATE_MS,
        `reset ${idleFor.toFixed(0)} ms after the first chunk (${late.toFixed(0)} ms after a plain 150 ms timer)`,
      );
      const reset = events.find((e) => e.type === "reset");
      assert.ok(reset?.type === "reset" && reset.error.kind === "timeout" && reset.attempt === 1);
      assert.equal(r.model, "fast");
      assert.equal(await abortedReach(sim, before + 1), before + 1, "the stalled request's socket was closed");
    });

    test(`the call deadline aborts the stream mid-way within ${LATE_MS} ms of a plain timer and falls back`, async () => {
      const llm = createBallast({ models: [model("stall")], deadlineMs: 300, traces: false });
      const before = sim.stats().abortedRequests;
      const control = controlTimer(300);
      const t0 = performance.now();
      const s = llm.stream({ schema: Article, input: "deadline", fallback });
      const events = await collect(s);
      const r = await s.result;
      const elapsed = performance.now() - t0;
      const late = elapsed - (await control);
      assert.ok(
        elapsed >= 299 && late < LATE_MS,
        `the call took ${elapsed.toFixed(0)} ms (${late.toFixed(0)} ms after a plain 300 ms timer)`,
      );
      assert.equal(r.source, "fallback");
      // the attempt's timer is clamped to the call's deadline: whichever fires first, the attempt was cut by the deadline
      assert.equal(r.attempts[0]!.outcome, "deadline");
      assert.ok(
        events.some((e) => e.type === "snapshot"),
        "it was streaming",
      );
      assert.equal(events.at(-1)!.type, "reset");
      assert.equal(await abortedReach(sim, before + 1), before + 1);
    });
  });
}

test("StreamTimeoutError is a TimeoutError with the phase", () => {
  const e = new StreamTimeoutError("idle", 100, "m");
  assert.equal(e.kind, "timeout");
  assert.equal(e.phase, "idle");
});

test("bad deadlines reject the result and the iterator, never throw at the call", async () => {
  const llm = createBallast({ models: [modelFor(sim, "openai", "fast")], traces: false });
  const s = llm.stream({ schema: Article, input: "x", idleMs: -1 });
  await assert.rejects(s.result, /idleMs must be a positive/);
  await assert.rejects(collect(s), /idleMs must be a positive/);
});
