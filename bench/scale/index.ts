/**
 * `npm run bench -- scale`: how Ballast scales out over worker processes sharing one Redis. The same
 * latency-bound workload (every call answered by the simulator after 300 ms, each process capped at
 * CONCURRENCY calls in flight) runs on 1, 2 and 4 workers, then on 4 workers under a shared rate limit set
 * to 60% of the throughput they just reached (so it binds on a fast machine and on a loaded one alike),
 * for about LIMITED_SECONDS. Rows come from a Redis list; the simulator (its own process) counts the calls
 * each row received, so lost and double-billed rows are counted where the bill is made.
 * Usage: npm run bench -- scale [--rows-per-worker 100]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { Redis } from "ioredis";

const REDIS_URL = process.env.BALLAST_BENCH_REDIS ?? "redis://127.0.0.1:6379";
const CONCURRENCY = 8;
const ROWS_PER_WORKER = Number(process.argv[process.argv.indexOf("--rows-per-worker") + 1]) || 100;
const LIMIT_SHARE = 0.6;
const LIMITED_SECONDS = 6;
const here = new URL(".", import.meta.url).pathname;
const nodeArgs = ["--conditions=ballast-source", "--import", "tsx"];

interface WorkerReport {
  start: number;
  end: number;
  answered: string[];
  starts: number[];
}

function startSimulator(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeArgs, join(here, "simulator-process.ts")], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the simulator process did not start within 60 s")), 60_000);
    child.once("message", (m: { type: string; url: string }) => {
      clearTimeout(timer);
      resolve({ child, url: m.url });
    });
    child.once("exit", (code) => reject(new Error(`the simulator process exited ${code}`)));
  });
}

function simulatorCounts(sim: ChildProcess): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the simulator did not report its counts within 10 s")), 10_000);
    sim.once("message", (m: { counts: Record<string, number> }) => {
      clearTimeout(timer);
      resolve(m.counts);
    });
    sim.send({ type: "counts" });
  });
}

function runWorker(args: unknown): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(here, "worker.ts"), JSON.stringify(args)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`a worker exited ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").pop()!) as WorkerReport);
    });
  });
}

interface Phase {
  name: string;
  workers: number;
  rows: number;
  /** Requests a second, shared by the workers, with a burst of one second's worth. */
  limit?: number;
}

interface PhaseResult {
  phase: Phase;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Attempts a second between the fleet's first and last attempt start, the opening burst left out. */
  attemptRate: number;
  lost: number;
  doubleBilled: number;
}

async function runPhase(phase: Phase, simUrl: string, sim: ChildProcess, redis: Redis): Promise<PhaseResult> {
  const prefix = `ballast-bench-scale-${randomUUID()}:`;
  const tag = randomUUID().slice(0, 8);
  const rows = Array.from({ length: phase.rows }, (_, i) => `${tag}-${i}`);
  // A burst of one second's worth (the default) absorbs callers woken late on a loaded machine, which a
  // bucket of one request would turn into lost capacity.
  const limit = phase.limit ? { requests: phase.limit * 60, windowMs: 60_000 } : undefined;
  await redis.rpush(`${prefix}rows`, ...rows);
  const reports = await Promise.all(
    Array.from({ length: phase.workers }, () =>
      runWorker({ simUrl, redisUrl: REDIS_URL, prefix, workers: phase.workers, concurrency: CONCURRENCY, limit }),
    ),
  );
  await new Promise((r) => setTimeout(r, 100));
  const counts = await simulatorCounts(sim);
  const answered = new Map<string, number>();
  for (const id of reports.flatMap((r) => r.answered)) answered.set(id, (answered.get(id) ?? 0) + 1);
  const lost = rows.filter((id) => !counts[id] || answered.get(id) !== 1).length;
  const doubleBilled = rows.filter((id) => (counts[id] ?? 0) > 1).length;
  await redis.del(`${prefix}rows`, `${prefix}ready`, `${prefix}start`);

  const start = reports[0]!.start;
  const seconds = (Math.max(...reports.map((r) => r.end)) - start) / 1000;
  const starts = reports.flatMap((r) => r.starts).sort((a, b) => a - b);
  const span = (starts[starts.length - 1]! - starts[0]!) / 1000;
  return {
    phase,
    rows: rows.length,
    seconds,
    rowsPerSecond: rows.length / seconds,
    // A token bucket starts at most `burst + rate x span` attempts over a span: (n - burst) / span is the
    // rate it held once the opening burst was spent.
    attemptRate: (starts.length - (phase.limit ?? 1)) / span,
    lost,
    doubleBilled,
  };
}

const redis = new Redis(REDIS_URL, { commandTimeout: 5_000, maxRetriesPerRequest: 1 });
await redis.ping().catch((e: Error) => {
  console.error(`scale bench: no Redis at ${REDIS_URL} (${e.message}); start redis-server or set BALLAST_BENCH_REDIS`);
  process.exit(2);
});
const sim = await startSimulator();
const results: PhaseResult[] = [];
for (const workers of [1, 2, 4])
  results.push(
    await runPhase(
      { name: `${workers} worker${workers > 1 ? "s" : ""}`, workers, rows: ROWS_PER_WORKER * workers },
      sim.url,
      sim.child,
      redis,
    ),
  );
const limitPerSecond = Math.max(1, Math.round(results[2]!.rowsPerSecond * LIMIT_SHARE));
results.push(
  await runPhase(
    {
      name: `4 workers, shared limit ${limitPerSecond}/s`,
      workers: 4,
      rows: limitPerSecond * (LIMITED_SECONDS + 1),
      limit: limitPerSecond,
    },
    sim.url,
    sim.child,
    redis,
  ),
);
sim.child.send({ type: "close" });
redis.disconnect();

const base = results[0]!.rowsPerSecond;
const limited = results[3]!;
const limitErrorPct = ((limited.attemptRate - limitPerSecond) / limitPerSecond) * 100;
console.log(`Ballast scale-out: ${CONCURRENCY} calls in flight per worker, 300 ms per call, Redis-shared state\n`);
const header = ["phase", "rows", "seconds", "rows/s", "speedup", "attempts/s", "lost", "double-billed"];
const table = results.map((r) => [
  r.phase.name,
  String(r.rows),
  r.seconds.toFixed(2),
  r.rowsPerSecond.toFixed(1),
  r.phase.limit ? "-" : `${(r.rowsPerSecond / base).toFixed(2)}x`,
  r.attemptRate.toFixed(1),
  String(r.lost),
  String(r.doubleBilled),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
for (const row of [header, ...table]) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join("  "));
console.log(`\nshared limit ${limitPerSecond}/s: the fleet ran at ${limited.attemptRate.toFixed(2)}/s (${limitErrorPct.toFixed(2)}%)`);
const result = {
  speedup_4_workers: Number((results[2]!.rowsPerSecond / base).toFixed(2)),
  limit_error_pct: Number(Math.abs(limitErrorPct).toFixed(2)),
  lost_rows: results.reduce((a, r) => a + r.lost, 0),
  double_billed_rows: results.reduce((a, r) => a + r.doubleBilled, 0),
};
console.log(`RESULT scale ${JSON.stringify(result)}`);
