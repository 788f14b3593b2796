// The local rate limiter's token buckets with an explicit clock: the burst a full bucket allows, the
// refill rate and its cap, costs larger than the bucket, requests and tokens taken together, the
// corrections `settle` makes, the long-run bound (burst + limit over the run), and reservations: due in
// order, refused past the most wait, given back.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RateLimit } from "ballast";
import { localRateLimiter } from "ballast/shared-state";

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { read: () => now, advance: (ms: number) => void (now += ms) };
}

const one = { requests: 1, tokens: 0 };

test("a full bucket lets its burst through at once, then asks to wait one refill interval", () => {
  const clock = manualClock();
  const limiter = localRateLimiter(clock.read);
  const limit: RateLimit = { requests: 60, windowMs: 60_000, burstShare: 5 / 60 };
  for (let i = 0; i < 5; i++) assert.equal(limiter.take("m", one, limit), 0, `take ${i + 1} of the burst of 5`);
  assert.equal(limiter.take("m", one, limit), 1_000, "60 a minute refills one request a second");
  assert.equal(limiter.take("m", one, limit), 1_000, "a refused take takes nothing");
});

test("the bucket refills at the limit's rate and never above its burst", () => {
  const clock = manualClock();
  const limiter = localRateLimiter(clock.read);
  const limit: RateLimit = { requests: 60, windowMs: 60_000, burstShare: 5 / 60 };
  for (let i = 0; i < 5; i++) limiter.take("m", one, limit);
  clock.advance(500);
  assert.equal(limiter.take("m", one, limit), 500, "half a request refilled after 500 ms");
  clock.advance(500);
  assert.equal(limiter.take("m", one, limit), 0, "a whole request after 1 s");
  clock.advance(3_600_000);
  let taken = 0;
  while (limiter.take("m", one, limit) === 0) taken++;
  assert.equal(taken, 5, "an hour idle still allows only the burst of 5");
});

test("the default burst is one second's worth of the limit", () => {
  const limiter = localRateLimiter(manualClock().read);
  const limit: RateLimit = { requests: 600 };
  let taken = 0;
  while (limiter.take("m", one, limit) === 0) taken++;
  assert.equal(taken, 10, "600 a minute: a burst of 10");
});

test("a cost larger than the bucket passes when it is full and leaves a debt later calls wait out", () => {
  const clock = manualClock();
  const limiter = localRateLimiter(clock.read);
  const limit: RateLimit = { tokens: 600, windowMs: 60_000 };
  // Capacity 10 tokens, refilled at 0.01 a millisecond.
  assert.equal(limiter.take("m", { requests: 1, tokens: 50 }, limit), 0, "50 tokens never fit in 10: allowed when full");
  assert.equal(limiter.take("m", { requests: 1, tokens: 1 }, limit), 4_100, "level -40 needs 41 tokens of refill");
  clock.advance(4_100);
  assert.equal(limiter.take("m", { requests: 1, tokens: 1 }, limit), 0);
});

test("a call needs room in both buckets and takes from neither when one is short", () => {
  const clock = manualClock();
  const limiter = localRateLimiter(clock.read);
  const limit: RateLimit = { requests: 60, tokens: 6_000, windowMs: 60_000, burstShare: 2 / 60 };
  // Requests: capacity 2, 1/s. Tokens: capacity 200, 100/s.
  assert.equal(limiter.take("m", { requests: 1, tokens: 150 }, limit), 0);
  assert.equal(limiter.take("m", { requests: 1, tokens: 150 }, limit), 1_000, "50 tokens left, 100 more needed at 100/s");
  assert.equal(limiter.take("m", { requests: 1, tokens: 10 }, limit), 0, "the refused call took no request");
  assert.equal(limiter.take("m", { requests: 1, tokens: 10 }, limit), 1_000, "both requests are now used");
});

test("settle charges extra usage and refunds unused estimate, capped at the burst", () => {
  const clock = manualClock();
  const limiter = localRateLimiter(clock.read);
  const limit: RateLimit = { tokens: 6_000, windowMs: 60_000 };
  // Capacity 100 tokens, refilled at 0.1 a millisecond.
  assert.equal(limiter.take("m", { requests: 1, tokens: 40 }, limit), 0);
  limiter.settle("m", 60, limit);
  assert.equal(limiter.take("m", { requests: 1, tokens: 10 }, limit), 100, "used 100 of 100: 10 tokens take 100 ms");
  limiter.settle("m", -100, limit);
  assert.equal(limiter.take("m", { requests: 1, tokens: 100 }, limit), 0, "the refund brings the bucket back to full");
  limiter.settle("m", -1_000, limit);
  assert.equal(limiter.take("m", { requests: 1, tokens: 100 }, limit), 0);
  assert.equal(limiter.take("m", { requests: 1, tokens: 1 }, limit), 10, "a refund never fills past the burst");
});

test("settle without a token limit changes nothing", () => {
  const limiter = localRateLimiter(manualClock().read);
  const limit: RateLimit = { requests: 60, burstShare: 1 / 60 };
  assert.equal(limiter.take("m", one, limit), 0);
  limiter.settle("m", -1_000, limit);
  assert.equal(limiter.take("m", one, limit), 1_000);
});

test("each key has its own buckets", () => {
  const limiter = localRateLimiter(manualClock().read);
  const limit: RateLimit = { requests: 60, burstShare: 1 / 60 };
  assert.equal(limiter.take("a", one, limit), 0);
  assert.ok(limiter.take("a", one, limit) > 0);
  assert.equal(limiter.take("b", one, limit), 0, "key b is not limited by key a's use");
});

test("greedy callers get exactly the burst plus the limit over a run", () => {
  const clock = manualClock();
  const limiter = localRateLimiter(clock.read);
  const limit: RateLimit = { requests: 600, windowMs: 60_000, burstShare: 1 / 600 };
  const runMs = 60_000;
  const end = clock.read() + runMs;
  let taken = 0;
  for (;;) {
    const wait = limiter.take("m", one, limit);
    if (wait === 0) {
      taken++;
      continue;
    }
    if (clock.read() + wait > end) break;
    clock.advance(wait);
  }
  assert.equal(taken, 1 + 600, "burst 1 + 600 over one window");
});

test("reservations fall due one refill interval apart, and a wait past the most allowed takes nothing", () => {
  const clock = manualClock();
  const limiter = localRateLimiter(clock.read);
  const limit: RateLimit = { requests: 60, windowMs: 60_000, burstShare: 2 / 60 };
  const waits = Array.from({ length: 5 }, () => limiter.reserve("m", one, limit, 10_000));
  assert.deepEqual(waits, [0, 0, 1_000, 2_000, 3_000], "the burst at once, then one a second, each after the one before");
  assert.equal(limiter.reserve("m", one, limit, 3_999), -1, "due in 4 s: past the most wait, refused");
  assert.equal(limiter.take("m", one, limit), 4_000, "a take waits out the reservations ahead of it");
  clock.advance(4_000);
  assert.equal(limiter.take("m", one, limit), 0, "and takes once they are due");
});

test("a reservation given back makes room for the next caller", () => {
  const clock = manualClock();
  const limiter = localRateLimiter(clock.read);
  const limit: RateLimit = { requests: 60, tokens: 6_000, windowMs: 60_000, burstShare: 1 / 60 };
  const cost = { requests: 1, tokens: 50 };
  for (const due of [0, 1_000, 2_000]) assert.equal(limiter.reserve("m", cost, limit, 10_000), due);
  assert.equal(limiter.reserve("m", { requests: -1, tokens: -50 }, limit, 0), 0, "giving back never waits, even in debt");
  assert.equal(limiter.reserve("m", cost, limit, 10_000), 2_000, "the units given back fall due for the next caller");
});
