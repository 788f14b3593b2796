/**
 * `npm run bench -- scale`: a distributed batch on `ballast worker` processes sharing one Redis. Each phase
 * enqueues rows with `enqueueBatch` (ballast/batch/queue) and lets a fleet of workers run them:
 * - the same latency-bound workload (the simulator answers every call after 300 ms, each worker runs at most
 *   CONCURRENCY rows at once) on 1, 2 and 4 workers: rows/s from the first row started to the last finished;
 * - 4 workers under a rate limit shared through ballast/redis, set to 40% of what they just reached (so it
 *   binds on a fast machine and a loaded one alike): the fleet's call rate once the opening burst was spent,
 *   from the start time of every call each worker logged, against the limit (see `limitedRates`);
 * - a 20k-row batch on 3 workers, one of them killed with SIGKILL twice (restarted each time);
 * - the peer, a bare BullMQ worker over the openai SDK (no Ballast: no validation, fallback, ledger or ordered
 *   output), on 1 and 4 workers with the same workload.
 * CPU per row is the workers' CPU time (Linux /proc) over the phase, plus the enqueuing process's: on a
 * loaded machine it says what a row costs where rows/s says how much CPU was left. The simulator runs in its
 * own process and counts each row's calls, and the calls whose client vanished before the reply (a killed
 * worker's). Lost: a row not exactly once in the output, or never sent. Resent: sent more than once.
 * Double-billed: a finished row sent again (sent more often than once plus once per killed worker that held
 * it). Replies lost: replies delivered beyond one per row, answers that reached a worker killed before it
 * recorded them (those rows were held, so sent again; a provider billing every delivered reply bills them twice).
 * Usage: npm run bench -- scale [--rows-per-worker 150] [--kill-rows 20000] [--kill-concurrency 32]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { loadTask } from "ballast/batch";
import { enqueueBatch } from "ballast/batch/queue";
import { type FleetOptions, type WorkerProcess, connected, cpuSeconds, kill, startPeerWorker, startWorker, stopAll } from "./fleet.js";

const REDIS_URL = process.env.BALLAST_BENCH_REDIS ?? "redis://127.0.0.1:6379";
const CONCURRENCY = 8;
const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const ROWS_PER_WORKER = arg("--rows-per-worker", 150);
const KILL_ROWS = arg("--kill-rows", 20_000);
const KILL_CONCURRENCY = arg("--kill-concurrency", 32);
/**
 * The shared limit, as a share of what 4 unlimited workers reached: low enough that a loaded machine still
 * supplies it (a limited row costs more CPU than an unlimited one: the shared breakers and the limiter are
 * Redis round trips, four of the five per call the breakers'), so the phase measures the limiter, not the CPU left.
 */
const LIMIT_SHARE = 0.4;
/** Seconds the limited phase runs past its burst: long enough that calls started late by a busy event loop average out. */
const LIMITED_SECONDS = 12;
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
  /** The peer (BullMQ + openai SDK) instead of `ballast worker`. */
  peer?: boolean;
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
  /** Calls a second once the opening burst was spent, from the workers' logs (limited phase only). */
  attemptRate: number | null;
  /** The same by the old reading: every call past the burst over the span from the first call to the last. */
  spanRate: number | null;
  /** Calls started in each half second of the limited phase. */
  timeline: number[];
  /** The machine's load average (1 min) when the phase started. */
  load: number;
  lost: number;
  resent: number;
  doubleBilled: number;
  /** Rows the killed worker held each time it died. */
  held: number[];
  /** Replies delivered beyond one per row: rows answered to a worker killed before it recorded the answer. */
  repliesLost: number;
  /** CPU milliseconds per row: the workers', and the enqueuing process's. */
  cpuWorkers: number;
  cpuEnqueuer: number;
}

async function runPhase(phase: Phase, simUrl: string, sim: ChildProcess, redis: Redis): Promise<PhaseResult> {
  const queueName = `ballast-bench-scale-${randomUUID().slice(0, 8)}`;
  const queuePrefix = phase.peer ? "ballast-peer" : "ballast";
  const limitPrefix = `${queueName}-limit:`;
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
      ...(phase.limit ? { SCALE_LIMIT: String(phase.limit), SCALE_PREFIX: limitPrefix, SCALE_REDIS: REDIS_URL } : {}),
      ...(phase.limit ? { SCALE_STARTS: join(dir, `${name}.starts`) } : {}),
    }),
  };
  const start = (name: string) => (phase.peer ? startPeerWorker(name, fleet, simUrl) : startWorker(name, fleet));
  const inspector = new Queue(queueName, { connection: redisConnection(), prefix: queuePrefix });
  const workers: WorkerProcess[] = Array.from({ length: phase.workers }, (_, i) => start(`w${i}`));
  await connected(inspector, phase.workers, workers);
  await warmUp(phase, inspector, dir, queueName);
  const cpuAtStart = new Map(workers.map((w) => [w, cpuSeconds(w)]));
  const cpuUsed = new Map<WorkerProcess, number>();
  const before = await simulatorCounts(sim); // counts restart from here
  const load = loadavg()[0]!;
  const enqueuerCpu = process.cpuUsage();
  const measuredFrom = Date.now();

  let collected = 0;
  let firstStart = Number.POSITIVE_INFINITY;
  let lastFinish = 0;
  const timing = (startedAt: number | null | undefined, finishedAt: number | null | undefined) => {
    firstStart = Math.min(firstStart, startedAt ?? firstStart);
    lastFinish = Math.max(lastFinish, finishedAt ?? lastFinish);
  };
  let finished: Promise<unknown>;
  if (phase.peer) finished = runPeerBatch(inspector, rows, timing);
  else {
    const task = await loadTask(join(here, "task.ts"));
    finished = enqueueBatch(task, rows, {
      url: REDIS_URL,
      name: queueName,
      journal: join(dir, "journal.db"),
      output: { path: join(dir, "out.jsonl") },
      pollMs: 100,
      onEvent: (e) => {
        if (e.type !== "row") return;
        collected++;
        timing(e.job.startedAt, e.job.finishedAt);
      },
    }).done();
  }
  const held: number[] = [];
  /** How many times each row was held by a worker when it was killed. */
  const heldIds = new Map<number, number>();
  for (const [k, at] of (phase.kills ?? []).entries()) {
    const victim = workers[workers.length - 1]!;
    while (collected < at * phase.rows) await new Promise((r) => setTimeout(r, 50));
    const holding = async () =>
      (await inspector.getActive()).filter((j) => j.processedBy === victim.name).map((j) => (j.data as { id: number }).id);
    while ((await holding()).length === 0 && collected < phase.rows) await new Promise((r) => setTimeout(r, 20));
    if (collected >= phase.rows) break;
    cpuUsed.set(victim, cpuSeconds(victim) - cpuAtStart.get(victim)!);
    await kill(victim);
    const ids = await holding();
    held.push(ids.length);
    for (const id of ids) heldIds.set(id, (heldIds.get(id) ?? 0) + 1);
    const next = start(`${victim.name}-after-kill-${k + 1}`);
    cpuAtStart.set(next, cpuSeconds(next));
    workers.push(next);
  }
  await finished;
  const enqueuerMs = (process.cpuUsage(enqueuerCpu).user + process.cpuUsage(enqueuerCpu).system) / 1000;
  for (const w of workers) if (!cpuUsed.has(w)) cpuUsed.set(w, cpuSeconds(w) - cpuAtStart.get(w)!);
  await stopAll(workers);
  const after = await simulatorCounts(sim);

  let inOutput: (id: number) => boolean;
  if (phase.peer) {
    const done = await inspector.getCompletedCount();
    inOutput = () => done === phase.rows;
  } else {
    const times = new Map<number, number>();
    for (const line of readFileSync(join(dir, "out.jsonl"), "utf8").split("\n").filter(Boolean)) {
      const id = (JSON.parse(line) as { id: number }).id;
      times.set(id, (times.get(id) ?? 0) + 1);
    }
    inOutput = (id) => times.get(id) === 1;
  }
  const sent = (id: number) => after.counts[`${tag}-${id}`] ?? 0;
  const delivered = after.requests - before.requests - (after.aborted - before.aborted);
  const seconds = (lastFinish - firstStart) / 1000;
  const result: PhaseResult = {
    phase,
    seconds,
    rowsPerSecond: phase.rows / seconds,
    ...limitedRates(phase.limit ? readStarts(dir, workers).filter((t) => t >= measuredFrom) : null, phase.limit ?? 0),
    load,
    lost: rows.filter((r) => !inOutput(r.id) || sent(r.id) === 0).length,
    resent: rows.filter((r) => sent(r.id) > 1).length,
    // a finished row billed twice: sent more often than once plus once per killed worker that held it
    doubleBilled: rows.filter((r) => sent(r.id) > 1 + (heldIds.get(r.id) ?? 0)).length,
    repliesLost: Math.max(0, delivered - phase.rows),
    held,
    cpuWorkers: ([...cpuUsed.values()].reduce((a, b) => a + b, 0) * 1000) / phase.rows,
    cpuEnqueuer: enqueuerMs / phase.rows,
  };
  await inspector.obliterate({ force: true }).catch(() => {});
  await inspector.close();
  const keys = [...(await redis.keys(`${queuePrefix}:${queueName}:*`)), ...(await redis.keys(`${limitPrefix}*`))];
  if (keys.length > 0) await redis.del(...keys);
  return result;
}

/**
 * Two rounds of rows per worker before the measured batch, on the same queue and fleet: a worker's first
 * calls load modules, compile the schema, open connections and run cold code, and on a loaded machine four
 * cold processes at once took seconds of CPU, measured as scale-out (and, limited, as a fleet short of calls).
 * Then a second's pause, so a limited phase starts on a full bucket as it would at rest.
 */
async function warmUp(phase: Phase, queue: Queue, dir: string, queueName: string): Promise<void> {
  const rows = Array.from({ length: phase.workers * phase.concurrency * 2 }, (_, i) => ({ id: i, input: `warm-up ${i}` }));
  if (phase.peer) {
    await runPeerBatch(queue, rows, () => {});
    await queue.clean(0, 0, "completed");
  } else {
    const task = await loadTask(join(here, "task.ts"));
    await enqueueBatch(task, rows, { url: REDIS_URL, name: queueName, journal: join(dir, "warm-up.db"), pollMs: 100 }).done();
  }
  await new Promise((r) => setTimeout(r, 1_000));
}

/** The peer's enqueuer: plain jobs on the queue, then waits until they are all done (no output file). */
async function runPeerBatch(
  queue: Queue,
  rows: Array<{ id: number; input: string }>,
  timing: (startedAt: number | undefined, finishedAt: number | undefined) => void,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await queue.addBulk(rows.slice(i, i + 500).map((r) => ({ name: "row", data: r })));
  while ((await queue.getCompletedCount()) + (await queue.getFailedCount()) < rows.length) await new Promise((r) => setTimeout(r, 100));
  for (const job of await queue.getJobs(["completed"])) timing(job.processedOn, job.finishedOn);
}

/** Every call's start time in the workers' logs, in order. */
function readStarts(dir: string, workers: readonly WorkerProcess[]): number[] {
  return workers
    .flatMap((w) =>
      readFileSync(join(dir, `${w.name}.starts`), "utf8")
        .split("\n")
        .filter(Boolean)
        .map(Number),
    )
    .sort((a, b) => a - b);
}

/**
 * The fleet's call rate under a limit of `limit` a second with a burst of one second's worth. `attemptRate`: the
 * least-squares slope of the call count over time, over the calls from one second after the first one (the
 * burst and the settling right after it left out), so neither how fast the burst was spent nor one late
 * first or last call moves it. `spanRate` is the older reading, every call past the burst over the whole span:
 * it takes the burst as spent at the first call's instant, so a burst spent over a ramp-up reads as a rate
 * below the limit, and one call started late (a worker's event loop busy) moves it by that lateness over the span.
 */
function limitedRates(starts: number[] | null, limit: number): Pick<PhaseResult, "attemptRate" | "spanRate" | "timeline"> {
  if (!starts || starts.length < limit + 3) return { attemptRate: null, spanRate: null, timeline: [] };
  const span = (starts[starts.length - 1]! - starts[0]!) / 1000;
  const steady = starts.map((t) => (t - starts[0]!) / 1000).filter((t) => t >= 1);
  const meanT = steady.reduce((a, t) => a + t, 0) / steady.length;
  const meanI = (steady.length - 1) / 2;
  let num = 0;
  let den = 0;
  for (const [i, t] of steady.entries()) {
    num += (t - meanT) * (i - meanI);
    den += (t - meanT) ** 2;
  }
  const timeline: number[] = [];
  for (const t of starts) {
    const slot = Math.floor((t - starts[0]!) / 500);
    while (timeline.length <= slot) timeline.push(0);
    timeline[slot]!++;
  }
  return { attemptRate: num / den, spanRate: (starts.length - limit) / span, timeline };
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
const throughput = (workers: number, peer = false) => ({
  name: `${peer ? "peer: BullMQ + openai SDK, " : ""}${workers} worker${workers > 1 ? "s" : ""}`,
  workers,
  rows: ROWS_PER_WORKER * workers,
  concurrency: CONCURRENCY,
  peer,
});
try {
  for (const workers of [1, 2, 4]) results.push(await runPhase(throughput(workers), sim.url, sim.child, redis));
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
  for (const workers of [1, 4]) results.push(await runPhase(throughput(workers, true), sim.url, sim.child, redis));
} finally {
  sim.child.send({ type: "close" });
  redis.disconnect();
  rmSync(work, { recursive: true, force: true });
}

const base = results[0]!.rowsPerSecond;
const peerBase = results[5]!.rowsPerSecond;
const limitedResult = results[3]!;
const limitPerSecond = limitedResult.phase.limit!;
const limitErrorPct = ((limitedResult.attemptRate! - limitPerSecond) / limitPerSecond) * 100;
console.log(
  "Distributed batch: worker processes on one BullMQ queue, 300 ms per call (CPU ms/row: workers + enqueuer; worker cores: the workers' CPU\n" +
    "seconds over the phase's seconds, what they got of the machine; load: the 1-minute load average as the phase started)\n",
);
const header = [
  "phase",
  "rows",
  "at once/worker",
  "seconds",
  "rows/s",
  "speedup",
  "calls/s",
  "CPU ms/row",
  "lost",
  "resent",
  "double-billed",
  "replies lost",
  "worker cores",
  "load",
];
const table = results.map((r) => [
  r.phase.name,
  String(r.phase.rows),
  String(r.phase.concurrency),
  r.seconds.toFixed(2),
  r.rowsPerSecond.toFixed(1),
  r.phase.limit || r.phase.kills ? "-" : `${(r.rowsPerSecond / (r.phase.peer ? peerBase : base)).toFixed(2)}x`,
  r.attemptRate === null ? "-" : r.attemptRate.toFixed(2),
  `${r.cpuWorkers.toFixed(2)} + ${r.cpuEnqueuer.toFixed(2)}`,
  String(r.lost),
  String(r.resent),
  String(r.doubleBilled),
  String(r.repliesLost),
  ((r.cpuWorkers * r.phase.rows) / 1000 / r.seconds).toFixed(2),
  r.load.toFixed(1),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
for (const row of [header, ...table]) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join("  "));
console.log(
  `\nshared limit ${limitPerSecond}/s: the fleet ran at ${limitedResult.attemptRate!.toFixed(2)}/s (${limitErrorPct.toFixed(2)}%) once the burst was spent` +
    ` (every call past the burst over the whole span: ${limitedResult.spanRate!.toFixed(2)}/s); calls started per half second: ${limitedResult.timeline.join(" ")}`,
);
const killedResult = results[4]!;
console.log(
  `the killed worker held ${killedResult.held.join(" and ")} rows when it died; they went back to the queue once their lock lapsed, ` +
    `and ${killedResult.repliesLost} of them had been answered before the worker could record the answer (sent again)`,
);
const result = {
  speedup_4_workers: Number((results[2]!.rowsPerSecond / base).toFixed(2)),
  limit_error_pct: Number(Math.abs(limitErrorPct).toFixed(2)),
  lost_rows: results.reduce((a, r) => a + r.lost, 0),
  double_billed_rows: results.reduce((a, r) => a + r.doubleBilled, 0),
  replies_lost_with_killed_workers: results.reduce((a, r) => a + r.repliesLost, 0),
};
console.log(`RESULT scale ${JSON.stringify(result)}`);
