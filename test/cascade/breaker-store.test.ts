// The breaker's state machine through the in-memory store, with explicit clocks: the failure-rate window
// (minimum calls, expiry), consecutive failures, cooldown, one half-open trial, neutral outcomes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type BreakerPolicy, memoryBreakerStore } from "ballast/shared-state";

const rate: BreakerPolicy = {
  threshold: 0.5,
  windowMs: 10_000,
  minimumCalls: 4,
  cooldownMs: 1_000,
  consecutiveFailures: 0,
  trialLeaseMs: 60_000,
};

test("rate mode opens only with the minimum calls in the window and the failure share reached", async () => {
  const store = memoryBreakerStore();
  const t = 1_000_000;
  for (const o of ["failure", "failure", "failure"] as const)
    assert.equal((await store.record("m", { outcome: o, now: t, policy: rate })).to, "closed", "3 calls < minimumCalls");
  const s = await store.record("m", { outcome: "success", now: t + 1, policy: rate });
  assert.equal(s.to, "closed", "a success never opens it");
  const opened = await store.record("m", { outcome: "failure", now: t + 2, policy: rate });
  assert.deepEqual([opened.from, opened.to], ["closed", "open"], "4 failures of 5 calls");
});

test("samples older than the window no longer count", async () => {
  const store = memoryBreakerStore();
  const t = 2_000_000;
  for (let i = 0; i < 3; i++) await store.record("m", { outcome: "failure", now: t, policy: rate });
  // 11 s later the three failures fell out of the window: one failure among 1 call is below minimumCalls
  assert.equal((await store.record("m", { outcome: "failure", now: t + 11_000, policy: rate })).to, "closed");
  assert.equal((await store.get("m", t + 11_000))!.calls, 4, "lifetime totals keep every call");
});

test("consecutive mode: a success resets the count, a neutral outcome does not", async () => {
  const store = memoryBreakerStore();
  const p: BreakerPolicy = { ...rate, consecutiveFailures: 2 };
  await store.record("m", { outcome: "failure", now: 0, policy: p });
  await store.record("m", { outcome: "success", now: 1, policy: p });
  await store.record("m", { outcome: "failure", now: 2, policy: p });
  await store.record("m", { outcome: "neutral", now: 3, policy: p });
  assert.equal((await store.record("m", { outcome: "failure", now: 4, policy: p })).to, "open");
  const r = (await store.get("m", 5))!;
  assert.deepEqual([r.calls, r.failures], [4, 3], "the neutral outcome is not counted");
});

test("cooldown, then exactly one half-open trial; a neutral trial frees the slot; the trial's verdict decides", async () => {
  const store = memoryBreakerStore();
  const p: BreakerPolicy = { ...rate, consecutiveFailures: 1 };
  await store.record("m", { outcome: "failure", now: 0, policy: p });
  assert.equal((await store.acquire("m", 999, p, "a")).admitted, false, "still cooling down");
  const first = await store.acquire("m", 1_000, p, "a");
  assert.deepEqual([first.admitted, first.trial, first.from, first.to], [true, "a", "open", "half_open"]);
  assert.equal((await store.acquire("m", 1_001, p, "b")).admitted, false, "one trial at a time");
  // a call admitted before the breaker opened settles late: it cannot close the breaker
  assert.equal((await store.record("m", { outcome: "success", now: 1_002, policy: p })).to, "half_open");
  assert.equal((await store.record("m", { outcome: "neutral", now: 1_003, policy: p, trial: "a" })).to, "half_open");
  const second = await store.acquire("m", 1_004, p, "b");
  assert.equal(second.trial, "b", "the aborted trial freed the slot");
  assert.deepEqual(
    [(await store.record("m", { outcome: "failure", now: 1_005, policy: p, trial: "b" })).to],
    ["open"],
    "a failed trial reopens it",
  );
  assert.equal((await store.acquire("m", 1_500, p, "c")).admitted, false, "a new cooldown from the reopening");
  await store.acquire("m", 2_005, p, "c");
  assert.equal((await store.record("m", { outcome: "success", now: 2_010, policy: p, trial: "c" })).to, "closed");
  assert.equal((await store.acquire("m", 2_011, p, "d")).admitted, true);
});

test("a trial whose holder never settles (its process died) is taken over after the lease", async () => {
  const store = memoryBreakerStore();
  const p: BreakerPolicy = { ...rate, consecutiveFailures: 1, trialLeaseMs: 5_000 };
  await store.record("m", { outcome: "failure", now: 0, policy: p });
  await store.acquire("m", 1_000, p, "dead");
  assert.equal((await store.acquire("m", 5_999, p, "x")).admitted, false);
  assert.equal((await store.acquire("m", 6_000, p, "x")).trial, "x");
  assert.equal(
    (await store.record("m", { outcome: "success", now: 6_001, policy: p, trial: "dead" })).to,
    "half_open",
    "the stale holder's verdict is ignored",
  );
});
