// Which failures move to the next rung and which retry the same one: 429 honours retry-after when it leaves the
// model its median reply before the deadline, 5xx and resets retry once then move on, truncation and 4xx move
// on; breakers open, half-open and close.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
const fallback = { label: "a" as const, n: 0 };

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 9, models: { "tiny-window": { contextWindow: 10 } } });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });

test("429 with a short retry-after is retried on the same model after the wait", async () => {
  sim.script("limited", [{ fault: "http429", retryAfterMs: 120 }]);
  const llm = createBallast({ models: [model("limited"), model("other")] });
  const r = await llm.generate({ schema: S, input: "x" });
  assert.equal(r.model, "limited");
  assert.deepEqual(
    r.attempts.map((a) => [a.kind, a.outcome]),
    [
      ["initial", "rate_limited"],
      ["retry", "ok"],
    ],
  );
  assert.equal(r.attempts[0]!.error!.retryAfterMs, 120);
});

test("429 whose retry-after does not fit the deadline moves on at once", async () => {
  sim.script("limited-long", [{ fault: "http429", retryAfterMs: 60_000 }]);
  const llm = createBallast({ models: [model("limited-long"), model("other")] });
  const r = await llm.generate({ schema: S, input: "x" });
  assert.equal(r.model, "other");
  assert.equal(r.attempts.length, 2);
});

test("429 whose retry-after leaves less than the model's median reply before the deadline moves on at once", async () => {
  // Five replies of ~400 ms give the client the model's median; a 429 asking for 700 ms then leaves 300 ms of
  // the 1 s deadline: the wait fits, a usual reply after it does not, so the next model answers instead.
  const llm = createBallast({ models: [model("limited-slow"), model("other")], deadlineMs: 1_000, traces: false });
  sim.script(
    "limited-slow",
    Array.from({ length: 5 }, () => ({ delayMs: 400 })),
  );
  for (let i = 0; i < 5; i++) await llm.generate({ schema: S, input: `warm ${i}`, models: [model("limited-slow")], deadlineMs: 5_000 });
  sim.script("limited-slow", [{ fault: "http429", retryAfterMs: 700 }]);
  const r = await llm.generate({ schema: S, input: "x", fallback });
  assert.equal(r.model, "other");
  assert.deepEqual(
    r.attempts.map((a) => `${a.model}:${a.kind}:${a.outcome}`),
    ["limited-slow:initial:rate_limited", "other:initial:ok"],
  );
});

const TRANSIENT: ReadonlySet<string> = new Set(["http500", "http502", "http503", "http529", "reset"]);

for (const fault of ["http500", "http502", "http503", "http529", "reset", "truncate", "contentFilter", "refusal"] as const) {
  test(`${fault} moves to the next rung${TRANSIENT.has(fault) ? " once its one retry fails too" : ""}`, async () => {
    // A transient failure is retried once on the same model (the default) before the cascade moves on.
    sim.script(`f-${fault}`, TRANSIENT.has(fault) ? [{ fault }, { fault }] : [{ fault }]);
    const llm = createBallast({ models: [model(`f-${fault}`), model("next")] });
    const r = await llm.generate({ schema: S, input: "x" });
    assert.equal(r.model, "next");
    const expected = {
      http500: "http_error",
      http502: "http_error",
      http503: "http_error",
      http529: "http_error",
      reset: "connection_error",
      truncate: "truncated",
      contentFilter: "content_filter",
      refusal: "refusal",
    }[fault];
    assert.equal(r.attempts[0]!.outcome, expected);
    if (TRANSIENT.has(fault))
      assert.deepEqual(
        r.attempts.slice(0, 2).map((a) => [a.kind, a.outcome]),
        [
          ["initial", expected],
          ["retry", expected],
        ],
      );
  });
}

test("a 401 is that rung's failure: with a fallback configured the caller gets the fallback", async () => {
  sim.script("unauthorised", [{ status: 401 }]);
  const llm = createBallast({ models: [model("unauthorised")] });
  const r = await llm.generate({ schema: S, input: "x", fallback });
  assert.equal(r.source, "fallback");
  assert.equal(r.attempts[0]!.error!.status, 401);
  assert.equal(r.attempts[0]!.outcome, "http_error");
});

test("a context-window error skips to the next model", async () => {
  const small = openai("tiny-window", { baseURL: `${sim.url}/v1`, apiKey: "k" });
  const llm = createBallast({ models: [small, model("big-window")] });
  const r = await llm.generate({ schema: S, input: "a prompt longer than ten tokens, which is this tiny model's whole window" });
  assert.equal(r.model, "big-window");
  assert.equal(r.attempts[0]!.error!.kind, "context_window");
});

test("the breaker opens after repeated failures, skips the model at no cost, then half-opens and closes", async () => {
  const events: string[] = [];
  const llm = createBallast({
    models: [model("flaky"), model("steady")],
    retry: { limit: 0 }, // one failure per call: the breaker's counts stay readable
    breaker: { consecutiveFailures: 2, cooldownMs: 150 },
    onEvent: (e) => {
      if (e.type === "breaker") events.push(`${e.model}:${e.to}`);
    },
  });
  sim.script("flaky", [{ fault: "http500" }, { fault: "http500" }]);
  await llm.generate({ schema: S, input: "1" });
  await llm.generate({ schema: S, input: "2" });
  assert.equal(llm.health().find((h) => h.model === "openai:flaky")!.state, "open");
  const skipped = await llm.generate({ schema: S, input: "3" });
  assert.equal(skipped.attempts[0]!.outcome, "skipped_breaker");
  assert.equal(skipped.attempts[0]!.latencyMs, 0);
  assert.equal(skipped.model, "steady");
  await new Promise((r) => setTimeout(r, 200));
  const healed = await llm.generate({ schema: S, input: "4" });
  assert.equal(healed.model, "flaky", "the half-open trial succeeded");
  assert.equal(llm.health().find((h) => h.model === "openai:flaky")!.state, "closed");
  assert.deepEqual(events, ["openai:flaky:open", "openai:flaky:half_open", "openai:flaky:closed"]);
});
