/**
 * The scale bench's worker processes: each one is the `ballast worker` command (run from the sources) taking
 * rows from one BullMQ queue with the bench's task, or the peer (a bare BullMQ worker over the openai SDK).
 * Start a fleet, wait until every worker has connected, read a worker's CPU time, kill one with SIGKILL, or
 * stop them all with SIGTERM (their trace stores flush on the way out).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Queue } from "bullmq";

const root = new URL("../..", import.meta.url).pathname;
const nodeArgs = ["--conditions=ballast-source", "--import", "tsx"];

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

export interface FleetOptions {
  redisUrl: string;
  queue: string;
  concurrency: number;
  /** Environment of the task module (simulator URL, trace file, shared limit). */
  env: (name: string) => Record<string, string>;
  /** A killed worker's rows go back to the queue after about lockMs + stalledMs. */
  lockMs: number;
  stalledMs: number;
}

export function startWorker(name: string, o: FleetOptions): WorkerProcess {
  const args = [join(root, "src/cli/main.ts"), "worker", "--queue", o.redisUrl, "--queue-name", o.queue, "--task"]
    .concat([join(root, "bench/scale/task.ts"), "--concurrency", String(o.concurrency), "--name", name])
    .concat(["--lock-ms", String(o.lockMs), "--stalled-ms", String(o.stalledMs)]);
  return spawnWorker(name, args, o.env(name));
}

/** The peer: BullMQ and the openai SDK, no Ballast (queue prefix "ballast-peer"). */
export function startPeerWorker(name: string, o: FleetOptions, simUrl: string): WorkerProcess {
  const args = [join(root, "bench/scale/peer-worker.ts"), o.redisUrl, o.queue, String(o.concurrency), simUrl, name];
  return spawnWorker(name, args, {});
}

function spawnWorker(name: string, args: string[], env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { name, child, exited, stderr: () => err };
}

/** Waits until `count` workers are connected to the queue (a worker loads tsx and the task first). */
export async function connected(queue: Queue, count: number, workers: readonly WorkerProcess[]): Promise<void> {
  const until = Date.now() + 120_000;
  while ((await queue.getWorkersCount()) < count) {
    const dead = workers.find((w) => w.child.exitCode !== null);
    if (dead) throw new Error(`worker ${dead.name} exited ${dead.child.exitCode}: ${dead.stderr()}`);
    if (Date.now() > until) throw new Error(`only ${await queue.getWorkersCount()} of ${count} workers connected within 120 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** CPU seconds (user + system) the process has used so far (Linux /proc; 0 where it is not there). */
export function cpuSeconds(w: WorkerProcess): number {
  try {
    const fields = readFileSync(`/proc/${w.child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** SIGKILL, as a crashed machine; resolves once the process is gone. */
export async function kill(w: WorkerProcess): Promise<void> {
  w.child.kill("SIGKILL");
  await w.exited;
}

/** SIGTERM to each (rows in flight finish, trace stores flush); a worker still there after 60 s is killed. */
export async function stopAll(workers: readonly WorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (w) => {
      if (w.child.exitCode !== null || w.child.signalCode !== null) return;
      w.child.kill("SIGTERM");
      const timer = setTimeout(() => w.child.kill("SIGKILL"), 60_000);
      await w.exited;
      clearTimeout(timer);
    }),
  );
}
