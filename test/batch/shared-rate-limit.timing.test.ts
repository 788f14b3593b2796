// Two batch runs hold one provider limit together through Redis (`ballast/redis`'s rate limiter, the one the
// client uses): against the simulator's sliding-window limit, the pair's requests per window within 2% of it,
// every row answered (a request let through early shows as a 429, absorbed, and is counted in the diagnostic).
// Real time, real Redis, real HTTP.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runBatch } from "../../src/batch/index.js";
import { redis } from "../../src/redis/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { ensureMainRedis, testPrefix } from "../redis/helpers.js";
import { rows, tempDir, ticketTask } from "./helpers.js";

const LIMIT = 100;
const WINDOW_MS = 10_000;
const ROWS = 75; // per run: a window and a half together
let sim: Simulator;
let redisUrl: string;
before(async () => {
  redisUrl = await ensureMainRedis();
  sim = await startSimulator({ seed: 8, rateLimits: { "sim-shared": { requests: LIMIT, windowMs: WINDOW_MS } } });
  // Load the provider SDK and open a first connection outside the measured run: a slow first request
  // (module loading on a busy machine) would shorten the measured span and read as a rate over the limit.
  await ticketTask(sim.url, "warm-up")("ticket-0");
});
after(() => sim.close());

test("two batch runs sharing a Redis limiter stay within 2% of one limit together", { timeout: 120_000 }, async (t) => {
  const prefix = testPrefix();
  const states = await Promise.all([redis(redisUrl, { prefix }), redis(redisUrl, { prefix })]);
  const outages: string[] = [];
  for (const s of states) s.onOutage((o) => outages.push(`${o.what} ${o.down ? "down" : "up"} ${o.reason ?? ""}`));
  try {
    const dir = tempDir("shared-rl");
    const runs = states.map((shared, k) =>
      runBatch(ticketTask(sim.url, "sim-shared"), rows(ROWS, k * 1_000), {
        journal: join(dir, `j${k}.db`),
        limits: { "sim-shared": { rpm: LIMIT } },
        limitWindowMs: WINDOW_MS,
        limiter: shared.rateLimiter,
        concurrency: 8,
      }),
    );
    const results = (
      await Promise.all(
        runs.map(async (run) => {
          const out = [];
          for await (const r of run) out.push(r);
          return out;
        }),
      )
    ).flat();
    assert.equal(results.length, 2 * ROWS);
    assert.ok(
      results.every((r) => r.source === "model"),
      "every row answered by the model",
    );
    const s = sim.rateLimits()["sim-shared"];
    assert.ok(s);
    const perWindow = ((s.admitted - 1) / ((s.lastAt as number) - (s.firstAt as number))) * WINDOW_MS;
    const detail = `${perWindow.toFixed(2)} requests per window for both runs against ${LIMIT} (${s.rejected} refused with a 429)`;
    t.diagnostic(detail);
    t.diagnostic(`outages: ${outages.join("; ") || "none"}`);
    assert.ok(perWindow <= LIMIT * 1.02, `more than 2% over the limit: ${detail}`);
    assert.ok(perWindow >= LIMIT * 0.98, `more than 2% under the limit: ${detail}`);
  } finally {
    await Promise.all(states.map((s) => s.close()));
  }
});
