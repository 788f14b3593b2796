// Simulator bench: non-streaming requests/s the simulator sustains on one core with zero latency (load from
// a child process over loopback keep-alive), and RSS while 10,000 requests hang. Ends with a RESULT line.
import { spawn, spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { createInterface } from "node:readline";
import { startSimulator } from "../../src/simulator/index.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = 5;
const CONCURRENCY = 128;
const HANGING = 10_000;
const generator = new URL("./load-generator.ts", import.meta.url).pathname;

/**
 * With two or more cores and `taskset`, the bench re-runs itself pinned to core 0 (the simulator runs in
 * this process) and the load generator runs on core 1, so "one core" is literal and the two do not compete.
 */
const PIN_ENV = "BALLAST_BENCH_SIMULATOR_PINNED";
if (process.env[PIN_ENV] === undefined && cpus().length >= 2 && spawnSync("taskset", ["-c", "0", "true"]).status === 0) {
  const rerun = spawnSync("taskset", ["-c", "0", process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [PIN_ENV]: "1" },
  });
  process.exit(rerun.status ?? 1);
}
const pinned = process.env[PIN_ENV] === "1";

function child(args: string[]) {
  const command = [process.execPath, "--import", "tsx", generator, ...args];
  const [file, ...rest] = pinned ? ["taskset", "-c", "1", ...command] : command;
  return spawn(file as string, rest, { stdio: ["pipe", "pipe", "inherit"] });
}

function firstLine(proc: ReturnType<typeof child>): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout });
    rl.once("line", (line) => resolve(JSON.parse(line) as Record<string, number>));
    proc.once("exit", (code) => reject(new Error(`load generator exited with ${code}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function measureRps() {
  const sim = await startSimulator({ seed: 1 });
  try {
    await firstLine(child(["rps", sim.url, "2", String(CONCURRENCY)])); // warm-up (JIT, tokenizer)
    const rounds: Array<{ rps: number; perCpuSecond: number; cpuShare: number; done: number; errors: number }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      const cpuBefore = process.cpuUsage();
      const result = await firstLine(child(["rps", sim.url, String(SECONDS), String(CONCURRENCY)]));
      const cpu = process.cpuUsage(cpuBefore);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const done = result.done ?? 0;
      const ms = result.ms ?? 1;
      rounds.push({
        rps: Math.round((done * 1000) / ms),
        perCpuSecond: Math.round(done / Math.max(cpuSeconds, 1e-6)),
        cpuShare: cpuSeconds / (ms / 1000),
        done,
        errors: result.errors ?? 0,
      });
    }
    const sorted = [...rounds].sort((a, b) => a.rps - b.rps);
    const perCpu = rounds.map((r) => r.perCpuSecond).sort((a, b) => a - b);
    return {
      best: sorted[sorted.length - 1] as (typeof rounds)[number],
      median: sorted[Math.floor(sorted.length / 2)] as (typeof rounds)[number],
      perCpuSecond: perCpu[Math.floor(perCpu.length / 2)] as number,
      rounds,
    };
  } finally {
    await sim.close();
  }
}

async function measureHanging() {
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  const sim = await startSimulator({ seed: 1 });
  const proc = child(["hang", sim.url, String(HANGING)]);
  await firstLine(proc);
  const t0 = Date.now();
  while (sim.stats().hangingRequests < HANGING && Date.now() - t0 < 60_000) await sleep(100);
  const hanging = sim.stats().hangingRequests;
  globalThis.gc?.();
  await sleep(200);
  const rss = process.memoryUsage().rss;
  proc.stdin.write("close\n");
  const t1 = Date.now();
  while (sim.stats().hangingRequests > 0 && Date.now() - t1 < 30_000) await sleep(100);
  const after = sim.stats();
  await sim.close();
  return { hanging, rss, baseline, released: after.hangingRequests === 0, aborted: after.abortedRequests };
}

const cores = cpus().length;
console.log(`simulator bench on ${cores} core(s) (${cpus()[0]?.model ?? "unknown cpu"}), node ${process.version}`);
const r = await measureRps();
const h = await measureHanging();
const rows: Array<[string, string]> = [
  ["cores on this machine", String(cores)],
  ["simulator pinned to one core (load on another)", pinned ? "yes (taskset)" : "no (shares cores with the load generator)"],
  [
    "non-streaming req/s, one simulator core, zero latency",
    `best ${r.best.rps}, median ${r.median.rps} wall-clock (rounds of ${SECONDS}s: ${r.rounds.map((x) => x.rps).join(", ")}; ${CONCURRENCY} keep-alive connections)`,
  ],
  ["simulator CPU use during the rounds", r.rounds.map((x) => `${Math.round(x.cpuShare * 100)}%`).join(", ") + " of one core"],
  ["requests per CPU-second of the simulator", `${r.perCpuSecond} (median): the rate one fully used core sustains`],
  ["errors during the rps rounds", String(r.rounds.reduce((sum, x) => sum + x.errors, 0))],
  ["concurrently hanging requests held", `${h.hanging} of ${HANGING}`],
  ["RSS with them hanging", `${mb(h.rss)} MB (baseline before: ${mb(h.baseline)} MB)`],
  ["all hangs released when clients closed", `${h.released} (${h.aborted} counted as client aborts)`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
// On a quiet machine the simulator keeps its core busy and both figures agree. On a shared, busy machine
// the wall-clock rate measures the starved load generator or scheduler, not the simulator, while requests
// per CPU-second still measure what one core sustains (conservatively: at low load less work is batched).
const contended = r.best.cpuShare < 0.85;
const rpsOneCore = contended ? r.perCpuSecond : r.best.rps;
console.log(
  contended
    ? `  (the simulator was busy only ${Math.round(r.best.cpuShare * 100)}% of the best round: other work on the machine starves the rounds, so rps_one_core is requests per CPU-second)`
    : `  (rps_one_core is the best wall-clock round: the simulator had its core to itself)`,
);
console.log(`RESULT simulator ${JSON.stringify({ rps_one_core: rpsOneCore, hanging_10k_rss_mb: mb(h.rss) })}`);
