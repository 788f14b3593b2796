// Redis for the scale-out tests: the machine's own on 127.0.0.1:6379 (started here if it is not
// answering), or a private redis-server on a free port for tests that stop and restart it. Every test
// writes under its own random key prefix. Child processes run the fixtures in test/fixtures/redis/.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, createConnection } from "node:net";
import { join } from "node:path";

export const MAIN_REDIS = "redis://127.0.0.1:6379";

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not come up`);
}

/** Makes sure the machine's Redis answers on 6379, starting one (kept running) if not. */
export async function ensureMainRedis(): Promise<string> {
  if (await answers(6379)) return MAIN_REDIS;
  spawn("redis-server", ["--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  await waitUntil(() => answers(6379), "redis-server on 6379");
  return MAIN_REDIS;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A private redis-server this test can stop and start again on the same port. */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.up();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.child = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(this.port), "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    await waitUntil(() => answers(this.port), `redis-server on ${this.port}`);
  }

  async down(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}

export const testPrefix = () => `ballast-test-${randomUUID()}:`;

const root = new URL("../..", import.meta.url).pathname;

/** Runs a fixture from test/fixtures/redis/ in its own Node process; resolves with its JSON output lines. */
export function runChild(fixture: string, args: unknown): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=ballast-source", "--import", "tsx", join(root, "test/fixtures/redis", fixture), JSON.stringify(args)],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${fixture} exited ${code}: ${err}`));
      resolve(
        out
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      );
    });
  });
}
