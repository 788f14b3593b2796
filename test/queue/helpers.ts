// Shared pieces of the distributed-batch tests: a queue name of its own per test (removed afterwards, every key
// under it), the `ballast` command as a child process, input files, and reading the output.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";

export const root = new URL("../..", import.meta.url).pathname;
export const bin = join(root, "bin/ballast.js");
export const taskModule = join(root, "test/fixtures/batch/task.ts");

export const queueName = () => `ballast-test-${randomUUID().slice(0, 8)}`;

/** Deletes every key of queue `name` (jobs, BullMQ's bookkeeping, the answered-rows ledger). */
export async function dropQueue(url: string, name: string, prefix = "ballast"): Promise<void> {
  const redis = new Redis(url, { commandTimeout: 5_000, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on("error", () => {});
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}:${name}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } catch {
    // a test that stopped its Redis has nothing left to drop
  } finally {
    redis.disconnect();
  }
}

/** A BullMQ view of the queue, to look at it as an operator would. */
export function inspectQueue(url: string, name: string, prefix = "ballast"): Queue {
  const u = new URL(url);
  const q = new Queue(name, {
    connection: { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: 1, enableOfflineQueue: true },
    prefix,
  });
  q.on("error", () => {});
  return q;
}

export interface Child {
  process: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs `ballast <args>` (the sources, as the test runner sets BALLAST_DEV) with `env` added. */
export function ballast(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { process: child, stderr: () => err, exited };
}

/** Waits for `child` to exit, killing it (and failing) after `ms`. */
export async function exitOf(child: Child, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.process.kill("SIGKILL");
      reject(new Error(`ballast ${child.process.spawnargs.slice(2).join(" ")} did not exit within ${ms} ms:\n${child.stderr()}`));
    }, ms);
  });
  try {
    return await Promise.race([child.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function inputFile(dir: string, rows: Array<{ id: number | string; input: unknown }>): string {
  const path = join(dir, "in.jsonl");
  writeFileSync(path, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return path;
}

export const jsonl = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

export async function waitFor(check: () => boolean | Promise<boolean>, what: string | (() => string), ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${typeof what === "string" ? what : what()}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
