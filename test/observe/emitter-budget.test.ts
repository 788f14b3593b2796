import assert from "node:assert/strict";
import { test } from "node:test";
import { BudgetExceededError } from "../../src/errors/index.js";
import { createBudget } from "../../src/observe/budget.js";
import { createEmitter } from "../../src/observe/emitter.js";
import { createSecretRegistry } from "../../src/observe/secrets.js";
import type { BallastEvent } from "../../src/core/events.js";

const ev: BallastEvent = { type: "warning", callId: "c1", ts: 1, message: "hi" };

test("emitter: active only while someone listens; off unsubscribes", () => {
  const e = createEmitter();
  assert.equal(e.active, false);
  const seen: BallastEvent[] = [];
  const off = e.on((x) => seen.push(x));
  assert.equal(e.active, true);
  e.emit(ev);
  off();
  assert.equal(e.active, false);
  e.emit(ev);
  assert.deepEqual(seen, [ev]);
});

test("emitter: a throwing listener is counted, warned once, and others still run", async () => {
  const warned: unknown[] = [];
  const e = createEmitter({ onListenerError: (err) => warned.push(err) });
  let got = 0;
  e.on(() => {
    throw new Error("boom");
  });
  e.on((async () => {
    throw new Error("async boom");
  }) as never);
  e.on(() => got++);
  assert.doesNotThrow(() => e.emit(ev));
  assert.doesNotThrow(() => e.emit(ev));
  await new Promise((r) => setImmediate(r));
  assert.equal(got, 2);
  assert.equal(e.listenerErrors, 4);
  assert.equal(warned.length, 1);
});

test("budget: throws BudgetExceededError once spend reaches the limit in the window", () => {
  let now = 0;
  const b = createBudget({ limitUsd: 1, windowMs: 1000, now: () => now });
  b.check();
  b.record(0.6);
  b.check();
  now = 500;
  b.record(0.4);
  assert.throws(
    () => b.check(),
    (err: unknown) => err instanceof BudgetExceededError && err.kind === "budget_exceeded" && err.limitUsd === 1,
  );
  now = 1001; // the first 0.6 left the window
  b.check();
  assert.ok(Math.abs(b.spent() - 0.4) < 1e-12);
  b.record(null);
  assert.equal(b.unknownCosts, 1);
  now = 2000;
  assert.equal(b.spent(), 0);
  assert.equal(b.remaining(), 1);
});

test("budget without a window covers the lifetime", () => {
  const b = createBudget({ limitUsd: 0.5 });
  b.record(0.25);
  b.record(0.25);
  assert.throws(() => b.check(), BudgetExceededError);
});

test("budget.listener records attempt_end costs from the event stream", () => {
  const b = createBudget({ limitUsd: 0.002 });
  const end = (id: string, costUsd: number | null): BallastEvent => ({
    type: "attempt_end",
    callId: "c",
    ts: 1,
    attempt: {
      id,
      model: "m",
      provider: "p",
      rung: 0,
      kind: "initial",
      outcome: "ok",
      startedAt: 1,
      latencyMs: 1,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
      costUsd,
      recoverySteps: [],
    },
  });
  b.listener(end("a", 0.001));
  b.listener(ev);
  b.listener(end("b", null));
  b.check();
  b.listener(end("c", 0.001));
  assert.throws(() => b.check(), BudgetExceededError);
  assert.equal(b.unknownCosts, 1);
});

test("secret registry: per call, deduplicated, expiring", () => {
  let now = 0;
  const r = createSecretRegistry({ ttlMs: 100, now: () => now });
  r.add("a", "s3cret");
  r.add("a", "s3cret");
  r.add("a", "xy"); // too short to redact safely
  assert.deepEqual(r.get("a"), ["s3cret"]);
  assert.deepEqual(r.get("b"), []);
  now = 101;
  assert.deepEqual(r.get("a"), []);
});
