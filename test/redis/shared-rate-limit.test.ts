// Four processes share one rate limit through Redis: together they stay within 2% of it. The limit is
// 600 requests a minute with the clock run ten times faster (600 per 6 s), so the run takes seconds.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Simulator, startSimulator } from "ballast/testing";
import { ensureMainRedis, runChild, testPrefix } from "./helpers.js";

let sim: Simulator;
let redisUrl: string;
before(async () => {
  redisUrl = await ensureMainRedis();
  sim = await startSimulator({ seed: 11 });
});
after(() => sim.close());

test("four processes sharing a 600-per-window limit stay within 2% of it together", async () => {
  const prefix = testPrefix();
  const processes = 4;
  const runMs = 6_000;
  const limit = { requests: 120, windowMs: 6_000, burstShare: 1 / 120 };
  const lines = (await Promise.all(
    Array.from({ length: processes }, () =>
      runChild("rate-client.ts", { simUrl: sim.url, redisUrl, prefix, processes, concurrency: 6, runMs, limit }),
    ),
  )) as { started: number }[][];
  const counts = lines.map((l) => l[0]!.started);
  const total = counts.reduce((a, b) => a + b, 0);
  const allowed = (limit.requests * runMs) / limit.windowMs;
  const error = Math.abs(total - allowed) / allowed;
  assert.ok(
    error <= 0.02,
    `the fleet made ${total} requests against ${allowed} allowed (${(error * 100).toFixed(1)}% off; per process ${counts})`,
  );
  assert.ok(
    counts.every((c) => c > 0),
    `every process got a share: ${counts}`,
  );
});
