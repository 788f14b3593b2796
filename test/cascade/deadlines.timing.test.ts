// Timeouts and deadlines really fire: the socket is closed (checked server-side), the fallback arrives
// within the deadline, and hedged requests are aborted and still recorded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

/** How late past its deadline a call may end: timer and event-loop slack on a loaded 2-core machine. */
const LATE_MS = 100;

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
const fallback = { label: "a" as const, n: 0 };

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 5, models: { slow: { ttftMs: 400 }, hangs: { faults: { hang: 1 } } } });
  // Node's fetch loads lazily on first use (~100 ms): warm it so timings below measure Ballast, not start-up.
  await createBallast({ models: [model("warm-up")] }).generate({ schema: S, input: "warm" });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });

test("a per-attempt timeout aborts the socket within 100 ms of its deadline", async () => {
  const llm = createBallast({ models: [model("hangs")], timeoutMs: 200, reasks: 0 });
  const before = sim.stats().abortedRequests;
  const t0 = performance.now();
  const r = await llm.generate({ schema: S, input: "x", fallback });
  const elapsed = performance.now() - t0;
  assert.equal(r.attempts[0]!.outcome, "timeout");
  assert.equal(r.source, "fallback");
  const latency = r.attempts[0]!.latencyMs;
  assert.ok(latency >= 199 && latency < 200 + LATE_MS, `the attempt took ${latency} ms`);
  assert.ok(elapsed < 200 + LATE_MS + 50, `the call took ${elapsed} ms`);
  await new Promise((res) => setTimeout(res, 20));
  assert.equal(sim.stats().abortedRequests, before + 1, "the server saw the client close the connection");
});

test("the whole-call deadline reaches the fallback on time when every rung hangs", async () => {
  const llm = createBallast({ models: [model("hangs"), model("hangs")], timeoutMs: 10_000, deadlineMs: 300 });
  const t0 = performance.now();
  const r = await llm.generate({ schema: S, input: "x", fallback });
  const elapsed = performance.now() - t0;
  assert.equal(r.source, "fallback");
  assert.ok(elapsed < 300 + LATE_MS, `took ${elapsed} ms`);
  assert.equal(r.attempts.length, 1, "the second rung never started: the first used the whole budget");
  // its timer, clamped to what was left, and the call's deadline fall on the same instant: either way the deadline cut it
  assert.equal(r.attempts[0]!.outcome, "deadline");
});

test("each attempt gets what is left of the deadline, so the second rung is cut short too", async () => {
  const llm = createBallast({ models: [model("hangs"), model("hangs")], timeoutMs: 150, deadlineMs: 250 });
  const t0 = performance.now();
  const r = await llm.generate({ schema: S, input: "x", fallback });
  const elapsed = performance.now() - t0;
  assert.ok(elapsed < 250 + LATE_MS, `took ${elapsed} ms`);
  assert.equal(r.attempts[0]!.outcome, "timeout");
  // the second attempt's timer, clamped to what was left, and the call's deadline fall on the same instant
  assert.equal(r.attempts[1]!.outcome, "deadline");
  assert.ok(r.attempts[1]!.latencyMs < 100 + LATE_MS, `second attempt ran ${r.attempts[1]!.latencyMs} ms`);
});

test("hedging: a slow primary is overtaken by the fallback model, and its attempt is aborted but recorded", async () => {
  const llm = createBallast({ models: [model("slow"), model("fast")], hedge: { afterMs: 50 } });
  const t0 = performance.now();
  const r = await llm.generate({ schema: S, input: "x" });
  const elapsed = performance.now() - t0;
  assert.equal(r.model, "fast");
  assert.ok(elapsed < 400 - LATE_MS, `took ${elapsed} ms (the slow primary needs 400)`);
  const slow = r.attempts.find((a) => a.model === "slow")!;
  const fast = r.attempts.find((a) => a.model === "fast")!;
  assert.equal(slow.outcome, "aborted");
  assert.equal(fast.kind, "hedge");
  assert.equal(fast.outcome, "ok");
});

test("race mode (afterMs 0) starts every rung at once; the first valid answer wins", async () => {
  const llm = createBallast({ models: [model("slow"), model("fast2")], hedge: { afterMs: 0 } });
  const r = await llm.generate({ schema: S, input: "x" });
  assert.equal(r.model, "fast2");
  assert.equal(r.attempts.length, 2);
});

test("a caller's AbortSignal rejects the call at once and closes the socket", async () => {
  const llm = createBallast({ models: [model("hangs")] });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const t0 = performance.now();
  await assert.rejects(
    llm.generate({ schema: S, input: "x", fallback, signal: controller.signal }),
    (e: Error & { kind?: string }) => e.kind === "aborted",
  );
  assert.ok(performance.now() - t0 < 100);
});
