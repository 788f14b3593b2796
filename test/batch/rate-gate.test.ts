// The batch's rate gate over the client's token-bucket limiter, in simulated time: timers that fire late and
// requests that reach the provider with jitter. Over a long run the requests per window stay within 2% of the
// limit and no window of the provider's clock (a sliding window, as the simulator's) ever holds more than the
// limit; a shared limiter (two gates on one limiter) holds the limit for both together.
import assert from "node:assert/strict";
import { test } from "node:test";
import { localRateLimiter } from "../../src/cascade/index.js";
import { join } from "node:path";
import { BatchRateGate, providerPauses, runBatch } from "../../src/batch/index.js";
import type { LanguageModel } from "../../src/core/language-model.js";
import { rows, tempDir, ticketTask } from "./helpers.js";

const model = { provider: "openai", modelId: "m" } as LanguageModel;

/** A seeded generator in [0, 1). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Simulated time: a clock, and a sleep that advances it by the wait plus the timer's lateness. */
function simulatedTime(lateMs: () => number) {
  const clock = { now: 1_000_000 };
  const sleep = async (ms: number) => {
    clock.now += ms + lateMs();
  };
  return { clock, read: () => clock.now, sleep };
}

/** Most arrivals in any window (t - windowMs, t], as a sliding-window provider counts them. */
function maxInWindow(arrivals: number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  let from = 0;
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[from] as number) <= (sorted[i] as number) - windowMs) from++;
    most = Math.max(most, i - from + 1);
  }
  return most;
}

async function run(options: { rpm: number; windowMs: number; rows: number; lateMs: number; jitterMs: number; gates?: number }) {
  const rand = random(7);
  const time = simulatedTime(() => rand() * options.lateMs);
  const limiter = localRateLimiter(time.read);
  const gates = Array.from(
    { length: options.gates ?? 1 },
    () =>
      new BatchRateGate({
        limits: { "*": { rpm: options.rpm } },
        windowMs: options.windowMs,
        limiter,
        pauses: providerPauses(time.read),
        sleep: time.sleep,
      }),
  );
  const arrivals: number[] = [];
  for (let i = 0; i < options.rows; i++) {
    await (gates[i % gates.length] as BatchRateGate).acquire(model, 0);
    arrivals.push(time.clock.now + rand() * options.jitterMs);
  }
  const sent = [...arrivals].sort((a, b) => a - b);
  const perWindow = ((sent.length - 1) / ((sent.at(-1) as number) - (sent[0] as number))) * options.windowMs;
  return { perWindow, most: maxInWindow(arrivals, options.windowMs) };
}

for (const c of [
  { name: "15 requests a second (30 per 2 s), timers up to 10 ms late", rpm: 30, windowMs: 2_000, rows: 3_000, lateMs: 10, jitterMs: 10 },
  { name: "500 RPM, timers up to 250 ms late", rpm: 500, windowMs: 60_000, rows: 5_000, lateMs: 250, jitterMs: 250 },
  { name: "10,000 RPM, timers up to 30 ms late", rpm: 10_000, windowMs: 60_000, rows: 50_000, lateMs: 30, jitterMs: 100 },
  { name: "two processes sharing one limiter (60 per 4 s)", rpm: 60, windowMs: 4_000, rows: 3_000, lateMs: 20, jitterMs: 20, gates: 2 },
]) {
  test(`rate gate: ${c.name}: within 2% of the limit, no window over it`, async () => {
    const { perWindow, most } = await run(c);
    assert.ok(most <= c.rpm, `${most} requests in one window, over the limit of ${c.rpm}`);
    assert.ok(perWindow >= c.rpm * 0.98, `${perWindow.toFixed(2)} requests per window, more than 2% under the limit of ${c.rpm}`);
    assert.ok(perWindow <= c.rpm, `${perWindow.toFixed(2)} requests per window, over the limit of ${c.rpm}`);
  });
}

test("rate gate: a provider's pause holds the model, then the rate resumes", async () => {
  const time = simulatedTime(() => 0);
  const pauses = providerPauses(time.read);
  const gate = new BatchRateGate({
    limits: { m: { rpm: 600 } },
    windowMs: 60_000,
    limiter: localRateLimiter(time.read),
    pauses,
    sleep: time.sleep,
  });
  await gate.acquire(model, 0);
  pauses.observe("m", { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1.5s" });
  assert.equal(gate.backoffMs("m"), 1_500);
  const before = time.clock.now;
  await gate.acquire(model, 0);
  assert.ok(time.clock.now - before >= 1_500, "held until the reset");
  assert.equal(gate.backoffMs("m"), 0);
});

test("rate gate: token limits are settled by the reported usage", async () => {
  const time = simulatedTime(() => 0);
  const gate = new BatchRateGate({
    limits: { "*": { tpm: 10_000 } },
    windowMs: 60_000,
    limiter: localRateLimiter(time.read),
    sleep: time.sleep,
  });
  // estimated at 100 tokens each, reported at 1,000: the gate must slow to the real usage
  const start = time.clock.now;
  for (let i = 0; i < 50; i++) (await gate.acquire(model, 100)).settle(1_000);
  const minutes = (time.clock.now - start) / 60_000;
  const perMinute = 50_000 / minutes;
  assert.ok(perMinute <= 10_000 * 1.1, `${perMinute.toFixed(0)} tokens a minute against a limit of 10,000`);
});

test("runBatch: limits that are not positive numbers stop the run before anything is sent, naming the field", async () => {
  const task = ticketTask("http://127.0.0.1:9", "never-called");
  const journal = join(tempDir("limits"), "j.db");
  await assert.rejects(
    runBatch(task, rows(1), { journal, limits: { rpm: 0 } }).done(),
    /batch: limits\.rpm must be a positive number, got 0/,
  );
  await assert.rejects(
    runBatch(task, rows(1), { journal, limits: { "gpt-4.1": { tpm: Number.NaN } } }).done(),
    /batch: limits\["gpt-4\.1"\]\.tpm must be a positive number, got NaN/,
  );
});

/**
 * Simulated time for concurrent sleepers: `sleep` parks the caller until the clock reaches its wake-up (plus
 * the timer's lateness); `run` lets every runnable caller go on, then moves the clock to the earliest wake-up.
 */
function eventClock(lateMs: () => number) {
  const clock = { now: 1_000_000 };
  const parked: { at: number; wake: () => void }[] = [];
  const sleep = (ms: number) => new Promise<void>((wake) => parked.push({ at: clock.now + ms + lateMs(), wake }));
  const settle = () => new Promise<void>((r) => setImmediate(r));
  async function run(done: Promise<unknown>) {
    let finished = false;
    void done.then(() => (finished = true));
    for (;;) {
      await settle();
      if (finished) return;
      parked.sort((a, b) => a.at - b.at);
      const next = parked.shift();
      if (!next) throw new Error("every caller is stuck");
      clock.now = Math.max(clock.now, next.at);
      next.wake();
    }
  }
  return { clock, read: () => clock.now, sleep, run };
}

test("rate gate: four processes of 8 rows at once share one limit: within 2% of it, one limiter ask per row", async () => {
  const rand = random(3);
  const time = eventClock(() => rand() * 20);
  const local = localRateLimiter(time.read);
  let asks = 0;
  // the shared store, its asks counted (a Redis round trip each)
  const limiter = {
    take(...a: Parameters<typeof local.take>) {
      asks++;
      return local.take(...a);
    },
    reserve(...a: Parameters<typeof local.reserve>) {
      asks++;
      return local.reserve(...a);
    },
    settle: local.settle,
  };
  const rpm = 120;
  const windowMs = 10_000;
  const gates = Array.from(
    { length: 4 },
    () => new BatchRateGate({ limits: { "*": { rpm } }, windowMs, limiter, pauses: providerPauses(time.read), sleep: time.sleep }),
  );
  const perProcess = 150;
  const arrivals: number[] = [];
  const worker = async (gate: BatchRateGate, rowsLeft: { n: number }) => {
    while (rowsLeft.n-- > 0) {
      await gate.acquire(model, 0);
      arrivals.push(time.clock.now + rand() * 20);
      await time.sleep(300); // the provider answers
    }
  };
  const all = Promise.all(
    gates.map((gate) => {
      const rowsLeft = { n: perProcess };
      return Promise.all(Array.from({ length: 8 }, () => worker(gate, rowsLeft)));
    }),
  );
  await time.run(all);
  const sent = [...arrivals].sort((a, b) => a - b);
  const perWindow = ((sent.length - 1) / (sent.at(-1)! - sent[0]!)) * windowMs;
  assert.equal(sent.length, 4 * perProcess);
  assert.ok(maxInWindow(arrivals, windowMs) <= rpm, `${maxInWindow(arrivals, windowMs)} requests in one window, over ${rpm}`);
  assert.ok(perWindow >= rpm * 0.98 && perWindow <= rpm, `${perWindow.toFixed(2)} requests per window against ${rpm}`);
  assert.equal(asks, sent.length, "one ask of the shared limiter per row");
});
