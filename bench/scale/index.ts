/**
 * `npm run bench -- scale`: a distributed batch on `ballast worker` processes sharing one Redis. Each phase
 * enqueues rows with `enqueueBatch` (ballast/batch/queue) and lets a fleet of workers run them:
 * - the same latency-bound workload (the simulator answers every call after 300 ms, each worker runs at most
 *   CONCURRENCY rows at once) on 1, 2 and 4 workers: rows/s from the first row started to the last finished;
 * - 4 workers under a rate limit shared through ballast/redis, set to 60% of what they just reached (so it
 *   binds on a fast machine and a loaded one alike): the fleet's call rate, read from each worker's own trace
 *   file, against the limit;
 * - a 20k-row batch on 3 workers, one of them killed with SIGKILL twice (restarted each time).
 * The simulator runs in its own process and counts each row's calls and the calls whose client vanished before
 * the reply (a killed worker's). Lost rows: not exactly once in the output, or never sent. Resent: sent more
 * than once (held by a killed worker). Double-billed: replies delivered beyond one per row.
 * Usage: npm run bench -- scale [--rows-per-worker 150] [--kill-rows 20000] [--kill-concurrency 32]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { loadTask } from "ballast/batch";
import { enqueueBatch } from "ballast/batch/queue";
import { type FleetOptions, type WorkerProcess, connected, kill, startWorker, stopAll } from "./fleet.js";

const REDIS_URL = process.env.BALLAST_BENCH_REDIS ?? "redis://127.0.0.1:6379";
const CONCURRENCY = 8;
const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const ROWS_PER_WORKER = arg("--rows-per-worker", 150);
const KILL_ROWS = arg("--kill-rows", 20_000);
const KILL_CONCURRENCY = arg("--kill-concurrency", 32);
const LIMIT_SHARE = 0.6;
const LIMITED_SECONDS = 6;
const here = new URL(".", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "ballast-bench-scale-"));

interface SimCounts {
  counts: Record<string, number>;
  requests: number;
  aborted: number;
}

function startSimulator(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--conditions=ballast-source", "--import", "tsx", join(here, "simulator-process.ts")], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the simulator process did not start within 60 s")), 60_000);
    child.once("message", (m: { url: string }) => {
      clearTimeout(timer);
      resolve({ child, url: m.url });
    });
    child.once("exit", (code) => reject(new Error(`the simulator process exited ${code}`)));
  });
}

function simulatorCounts(sim: ChildProcess): Promise<SimCounts> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the simulator did not report its counts within 30 s")), 30_000);
    sim.once("message", (m: SimCounts) => {
      clearTimeout(timer);
      resolve(m);
    });
    sim.send({ type: "counts" });
  });
}

interface Phase {
  name: string;
  workers: number;
  rows: number;
  concurrency: number;
  /** Requests a second for the whole fleet, shared through Redis. */
  limit?: number;
  /** Fractions of the rows collected at which one worker is killed (and started again). */
  kills?: number[];
}

interface PhaseResult {
  phase: Phase;
  seconds: number;
  rowsPerSecond: number;
  /** Calls a second past the opening burst, from the workers' trace files (limited phase only). */
  attemptRate: number | null;
  lost: number;
  resent: number;
  doubleBilled: number;
  /** Rows the killed worker held each time it died. */
  held: number[];
}

async function runPhase(phase: Phase, simUrl: string, sim: ChildProcess, redis: Redis): Promise<PhaseResult> {
  const queueName = `ballast-bench-scale-${randomUUID().slice(0, 8)}`;
  const prefix = `${queueName}-limit:`;
  const dir = mkdtempSync(join(work, "phase-"));
  const tag = randomUUID().slice(0, 8);
  const rows = Array.from({ length: phase.rows }, (_, i) => ({ id: i, input: `row-${tag}-${i}` }));
  const fleet: FleetOptions = {
    redisUrl: REDIS_URL,
    queue: queueName,
    concurrency: phase.concurrency,
    lockMs: 5_000,
    stalledMs: 2_000,
    env: (name) => ({
      SCALE_SIM_URL: simUrl,
      ...(phase.limit ? { SCALE_LIMIT: String(phase.limit), SCALE_PREFIX: prefix, SCALE_REDIS: REDIS_URL } : {}),
      ...(phase.limit ? { SCALE_TRACES: join(dir, `${name}.db`) } : {}),
    }),
  };
  const inspector = new Queue(queueName, { connection: redisConnection(), prefix: "ballast" });
  const workers: WorkerProcess[] = Array.from({ length: phase.workers }, (_, i) => startWorker(`w${i}`, fleet));
  await connected(inspector, phase.workers, workers);
  const before = await simulatorCounts(sim); // counts restart from here

  const task = await loadTask(join(here, "task.ts"));
  let collected = 0;
  let firstStart = Number.POSITIVE_INFINITY;
  let lastFinish = 0;
  const run = enqueueBatch(task, rows, {
    url: REDIS_URL,
    name: queueName,
    journal: join(dir, "journal.db"),
    output: { path: join(dir, "out.jsonl") },
    pollMs: 100,
    onEvent: (e) => {
      if (e.type !== "row") return;
      collected++;
      firstStart = Math.min(firstStart, e.job.startedAt ?? firstStart);
      lastFinish = Math.max(lastFinish, e.job.finishedAt ?? lastFinish);
    },
  });
  const finished = run.done();
  const held: number[] = [];
  for (const [k, at] of (phase.kills ?? []).entries()) {
    const victim = workers[workers.length - 1]!;
    while (collected < at * phase.rows) await new Promise((r) => setTimeout(r, 50));
    const holding = async () => (await inspector.getActive()).filter((j) => j.processedBy === victim.name).length;
    while ((await holding()) === 0 && collected < phase.rows) await new Promise((r) => setTimeout(r, 20));
    if (collected >= phase.rows) break;
    await kill(victim);
    held.push(await holding());
    workers.push(startWorker(`${victim.name}-after-kill-${k + 1}`, fleet));
  }
  const summary = await finished;
  await stopAll(workers);
  const after = await simulatorCounts(sim);

  const output = readFileSync(join(dir, "out.jsonl"), "utf8").split("\n").filter(Boolean);
  const times = new Map<number, number>();
  for (const line of output) {
    const id = (JSON.parse(line) as { id: number }).id;
    times.set(id, (times.get(id) ?? 0) + 1);
  }
  const lost = rows.filter((r) => times.get(r.id) !== 1 || !after.counts[`${tag}-${r.id}`]).length;
  const resent = rows.filter((r) => (after.counts[`${tag}-${r.id}`] ?? 0) > 1).length;
  const delivered = after.requests - before.requests - (after.aborted - before.aborted);
  const seconds = (lastFinish - firstStart) / 1000;
  const result: PhaseResult = {
    phase,
    seconds,
    rowsPerSecond: summary.counts.done / seconds,
    attemptRate: phase.limit ? attemptRate(dir, workers, phase.limit) : null,
    lost,
    resent,
    doubleBilled: Math.max(0, delivered - phase.rows),
    held,
  };
  await inspector.obliterate({ force: true }).catch(() => {});
  await inspector.close();
  const keys = [...(await redis.keys(`ballast:${queueName}:*`)), ...(await redis.keys(`${prefix}*`))];
  if (keys.length > 0) await redis.del(...keys);
  return result;
}

/** The fleet's calls a second once the opening burst (one second's worth) was spent, from the trace files. */
function attemptRate(dir: string, workers: readonly WorkerProcess[], limit: number): number {
  const starts: number[] = [];
  for (const w of workers) {
    const db = new Database(join(dir, `${w.name}.db`), { readonly: true });
    for (const r of db.prepare("SELECT started_at FROM attempts").all() as Array<{ started_at: number }>) starts.push(r.started_at);
    db.close();
  }
  starts.sort((a, b) => a - b);
  const span = (starts[starts.length - 1]! - starts[0]!) / 1000;
  // a token bucket starts at most `burst + rate x span` calls over a span
  return (starts.length - limit) / span;
}

function redisConnection() {
  const u = new URL(REDIS_URL);
  return { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: 1 };
}

const redis = new Redis(REDIS_URL, { commandTimeout: 5_000, maxRetriesPerRequest: 1 });
await redis.ping().catch((e: Error) => {
  console.error(`scale bench: no Redis at ${REDIS_URL} (${e.message}); start redis-server or set BALLAST_BENCH_REDIS`);
  process.exit(2);
});
const sim = await startSimulator();
process.env.SCALE_SIM_URL = sim.url; // for the enqueuer's copy of the task
const results: PhaseResult[] = [];
try {
  for (const workers of [1, 2, 4]) {
    const name = `${workers} worker${workers > 1 ? "s" : ""}`;
    results.push(await runPhase({ name, workers, rows: ROWS_PER_WORKER * workers, concurrency: CONCURRENCY }, sim.url, sim.child, redis));
  }
  const limit = Math.max(1, Math.round(results[2]!.rowsPerSecond * LIMIT_SHARE));
  const limited = {
    name: `4 workers, shared limit ${limit}/s`,
    workers: 4,
    rows: limit * (LIMITED_SECONDS + 1),
    concurrency: CONCURRENCY,
    limit,
  };
  results.push(await runPhase(limited, sim.url, sim.child, redis));
  const killed = { name: "3 workers, one killed twice", workers: 3, rows: KILL_ROWS, concurrency: KILL_CONCURRENCY, kills: [0.25, 0.6] };
  results.push(await runPhase(killed, sim.url, sim.child, redis));
} finally {
  sim.child.send({ type: "close" });
  redis.disconnect();
  rmSync(work, { recursive: true, force: true });
}

const base = results[0]!.rowsPerSecond;
const limitedResult = results[3]!;
const limitPerSecond = limitedResult.phase.limit!;
const limitErrorPct = ((limitedResult.attemptRate! - limitPerSecond) / limitPerSecond) * 100;
console.log("Ballast distributed batch: ballast worker processes on one BullMQ queue, 300 ms per call\n");
const header = ["phase", "rows", "rows/worker at once", "seconds", "rows/s", "speedup", "calls/s", "lost", "resent", "double-billed"];
const table = results.map((r) => [
  r.phase.name,
  String(r.phase.rows),
  String(r.phase.concurrency),
  r.seconds.toFixed(2),
  r.rowsPerSecond.toFixed(1),
  r.phase.limit || r.phase.kills ? "-" : `${(r.rowsPerSecond / base).toFixed(2)}x`,
  r.attemptRate === null ? "-" : r.attemptRate.toFixed(2),
  String(r.lost),
  String(r.resent),
  String(r.doubleBilled),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
for (const row of [header, ...table]) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join("  "));
console.log(
  `\nshared limit ${limitPerSecond}/s: the fleet ran at ${limitedResult.attemptRate!.toFixed(2)}/s (${limitErrorPct.toFixed(2)}%)`,
);
const killedResult = results[4]!;
console.log(
  `killed worker held ${killedResult.held.join(" and ")} rows when it died; resent rows were those, sent again after their lock lapsed`,
);
const result = {
  speedup_4_workers: Number((results[2]!.rowsPerSecond / base).toFixed(2)),
  limit_error_pct: Number(Math.abs(limitErrorPct).toFixed(2)),
  lost_rows: results.reduce((a, r) => a + r.lost, 0),
  double_billed_rows: results.reduce((a, r) => a + r.doubleBilled, 0),
};
console.log(`RESULT scale ${JSON.stringify(result)}`);
