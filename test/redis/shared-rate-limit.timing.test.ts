// Four processes share one rate limit through Redis. Two claims, each holding on a slow machine:
// - never over: the attempts started inside the shared window stay within 2% of what the token bucket
//   allows over it (its burst plus the limit's rate times the window), however fast the callers are;
// - the limit is reached when demand allows: a bucket only wastes capacity while it is full, and it is
//   never full while a refused caller waits for it to refill. So over the time callers were held back,
//   the fleet must have been granted (nearly) the limit's rate. A machine too loaded to create demand
//   shortens that time instead of failing the test, but the limiter must have held callers back.
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

interface Report {
  start: number;
  end: number;
  starts: number[];
  grants: number[];
  refusals: [number, number][];
}

/** Total length of the union of `intervals`, clipped to [from, to]. */
function unionLength(intervals: [number, number][], from: number, to: number): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let at = from;
  for (const [a, b] of clipped) {
    if (b <= at) continue;
    total += b - Math.max(a, at);
    at = b;
  }
  return total;
}

test("four processes sharing a 10-a-second limit never exceed it and use it all while callers wait", async () => {
  const prefix = testPrefix();
  const processes = 4;
  const runMs = 4_000;
  const limit = { requests: 60, windowMs: 6_000, burstShare: 1 / 60 };
  const perMs = limit.requests / limit.windowMs;
  const reports = (
    await Promise.all(
      Array.from({ length: processes }, () =>
        runChild("rate-client.ts", { simUrl: sim.url, redisUrl, prefix, processes, concurrency: 6, runMs, limit }),
      ),
    )
  ).map((lines) => lines[0] as Report);
  const { start, end } = reports[0]!;
  assert.ok(
    reports.every((r) => r.start === start && r.end === end),
    "every process ran over the same window",
  );

  const inWindow = (t: number) => t >= start && t < end;
  const perProcess = reports.map((r) => r.starts.filter(inWindow).length);
  const total = perProcess.reduce((a, b) => a + b, 0);
  const allowed = limit.requests * limit.burstShare + perMs * runMs;
  assert.ok(total <= allowed * 1.02, `the fleet started ${total} attempts where the limit allows ${allowed} (per process ${perProcess})`);
  assert.ok(
    perProcess.every((c) => c > 0),
    `every process got a share: ${perProcess}`,
  );

  const refusals = reports.flatMap((r) => r.refusals);
  const heldBackMs = unionLength(refusals, start, end);
  assert.ok(heldBackMs > runMs / 10, `the limiter held callers back for only ${heldBackMs} ms of ${runMs} (${refusals.length} refusals)`);
  const granted = reports.flatMap((r) => r.grants).filter(inWindow).length;
  const owed = perMs * heldBackMs;
  assert.ok(
    granted >= owed * 0.98 - 1,
    `callers were held back for ${heldBackMs} ms, when the limit refills ${owed.toFixed(1)} requests, yet only ${granted} were granted`,
  );
});
