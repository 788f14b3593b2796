// The cascade in the field: which failures move on (a rung's 4xx), which retry on the same model (5xx,
// 529, resets), and which reject (the caller's validator throwing; the deadline without a fallback), with
// the accounting of attempts the deadline cut.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { AllAttemptsFailedError, type BallastEvent, createBallast, DeadlineExceededError, isBallastError, ValidatorError } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
const fallback = { label: "a" as const, n: 0 };
const price = { inputPerMTok: 1, outputPerMTok: 4 };
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 23, models: { dribble: { tokensPerSecond: 20 } } });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k", price });

for (const status of [400, 403, 404, 422]) {
  test(`a ${status} on the first rung is that rung's failure: the next model answers, the status and message are kept, a warning is loud`, async () => {
    sim.script(`refuses-${status}`, [{ status }]);
    const events: BallastEvent[] = [];
    const llm = createBallast({ models: [model(`refuses-${status}`), model("answers")], traces: false, onEvent: (e) => events.push(e) });
    const r = await llm.generate({ schema: S, input: "x" });
    assert.equal(r.model, "answers");
    assert.equal(r.source, "model");
    const failed = r.attempts[0]!;
    assert.deepEqual([failed.outcome, failed.error!.kind, failed.error!.status], ["http_error", "provider_http", status]);
    assert.ok(failed.error!.message.length > 20, failed.error!.message);
    assert.equal(r.attempts.length, 2, "a 4xx is never retried on the same model");
    const warning = events.find((e) => e.type === "warning" && e.message.includes(`HTTP ${status}`));
    assert.ok(warning, "the rung's rejection is reported as a warning");
  });

  test(`a ${status} on the only rung: the fallback answers; without one, AllAttemptsFailedError carries the status`, async () => {
    sim.script(`alone-${status}`, [{ status }, { status }]);
    const llm = createBallast({ models: [model(`alone-${status}`)], traces: false });
    const r = await llm.generate({ schema: S, input: "x", fallback });
    assert.equal(r.source, "fallback");
    assert.equal(r.errors[0]!.status, status);
    await assert.rejects(
      llm.generate({ schema: S, input: "y" }),
      (e: unknown) => e instanceof AllAttemptsFailedError && e.attempts[0]!.error!.status === status,
    );
  });
}

test("a 5xx is retried once on the same model by default, and the retry's answer wins", async () => {
  sim.script("blip", [{ fault: "http503" }]);
  const llm = createBallast({ models: [model("blip"), model("other")], traces: false });
  const r = await llm.generate({ schema: S, input: "x" });
  assert.equal(r.model, "blip");
  assert.deepEqual(
    r.attempts.map((a) => [a.kind, a.outcome]),
    [
      ["initial", "http_error"],
      ["retry", "ok"],
    ],
  );
});

test("a 529 overloaded and a connection reset are retried too", async () => {
  sim.script("overloaded", [{ fault: "http529" }]);
  sim.script("resets", [{ fault: "reset" }]);
  const llm = createBallast({ models: [model("overloaded"), model("resets")], traces: false });
  const a = await llm.generate({ schema: S, input: "x" });
  assert.deepEqual([a.model, a.attempts.length, a.attempts[1]!.kind], ["overloaded", 2, "retry"]);
  const b = await llm.generate({ schema: S, input: "y", models: [model("resets")] });
  assert.deepEqual([b.model, b.attempts[0]!.outcome, b.attempts[1]!.kind], ["resets", "connection_error", "retry"]);
});

test("retries are configurable per client, task, call and model", async () => {
  // breakers off: this model fails on purpose again and again
  const client = createBallast({ models: [model("r-client"), model("other")], retry: { limit: 0 }, breaker: false, traces: false });
  sim.script("r-client", [{ fault: "http500" }]);
  assert.equal((await client.generate({ schema: S, input: "x" })).model, "other", "client: no retry");

  sim.script("r-client", [{ fault: "http500" }, { fault: "http500" }]);
  const task = client.task({ name: "retrying", schema: S, retry: { limit: 2, backoffMs: 1 } });
  const t = await task("x");
  assert.deepEqual([t.model, t.attempts.length], ["r-client", 3], "task: two retries");

  sim.script("r-client", [{ fault: "http500" }]);
  const c = await client.generate({ schema: S, input: "y", retry: { limit: 1, backoffMs: 1 } });
  assert.equal(c.model, "r-client", "call: one retry");

  sim.script("r-model", [{ fault: "http500" }]);
  const perModel = createBallast({ models: [model("r-model"), model("other")], retry: { models: { "r-model": 0 } }, traces: false });
  assert.equal((await perModel.generate({ schema: S, input: "z" })).model, "other", "model: its own limit");

  assert.throws(() => createBallast({ models: [model("x")], retry: { limit: -1 } }), /retry\.limit must be a whole number/);
});

test("a validator that throws rejects the call with ValidatorError and the original cause; no model is blamed", async () => {
  const bug = new TypeError("cannot read properties of undefined (reading 'trim')");
  const Buggy = S.transform(() => {
    throw bug;
  });
  const llm = createBallast({ models: [model("fine-1"), model("fine-2")], breaker: { consecutiveFailures: 1 }, traces: false });
  await assert.rejects(
    llm.generate({ schema: Buggy, input: "x", fallback: () => ({ label: "a", n: 0 }) as never }),
    (e: unknown) => e instanceof ValidatorError && e.kind === "validator_error" && e.cause === bug,
  );
  const health = llm.health();
  assert.ok(
    health.every((h) => h.failures === 0 && h.state === "closed"),
    JSON.stringify(health),
  );
  assert.equal(sim.requests.filter((r) => (r.body as { model?: string })?.model === "fine-2").length, 0, "the cascade stopped");
});

test("the deadline without a fallback rejects with DeadlineExceededError; the cut attempt says deadline and is billed as estimated", async () => {
  sim.script("hangs-d", [{ fault: "hang" }]);
  const llm = createBallast({ models: [model("hangs-d")], deadlineMs: 150, traces: false });
  const err = await llm.generate({ schema: S, instructions: "Label the input.", input: "a reasonably long input" }).then(
    () => assert.fail("resolved"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof DeadlineExceededError, String(err));
  assert.ok(isBallastError(err) && err.kind === "deadline_exceeded");
  const cut = err.attempts[0]!;
  assert.equal(cut.outcome, "deadline");
  assert.equal(cut.error!.kind, "deadline_exceeded");
  assert.equal(cut.estimated, true);
  assert.ok(cut.usage.inputTokens > 5, `input counted locally: ${cut.usage.inputTokens}`);
  assert.ok(cut.costUsd! > 0, "the provider bills the input it read");
});

test("a streamed attempt cut by the deadline is billed for its input and the output streamed so far", async () => {
  const llm = createBallast({ models: [model("dribble")], deadlineMs: 400, traces: false });
  const s = llm.stream({ schema: S, input: "x", fallback });
  for await (const _ of s);
  const r = await s.result;
  assert.equal(r.source, "fallback");
  const cut = r.attempts[0]!;
  assert.equal(cut.outcome, "deadline");
  assert.equal(cut.estimated, true);
  assert.ok(cut.usage.inputTokens > 0 && cut.usage.outputTokens > 0, JSON.stringify(cut.usage));
  assert.equal(r.usage.outputTokens, cut.usage.outputTokens);
});

test("a lost hedge is sealed as aborted, with its input estimated", async () => {
  sim.script("slow-hedged", [{ delayMs: 1_000 }]);
  const llm = createBallast({ models: [model("slow-hedged"), model("quick")], hedge: { afterMs: 20 }, traces: false });
  const r = await llm.generate({ schema: S, input: "x" });
  assert.equal(r.model, "quick");
  const lost = r.attempts.find((a) => a.model === "slow-hedged")!;
  assert.deepEqual([lost.outcome, lost.estimated], ["aborted", true]);
  assert.ok(lost.usage.inputTokens > 0);
});
