// Exact resume: a batch killed with SIGKILL at random points (10 kills in one run) loses no row and never
// sends a finished row again (requests counted at the simulator, per row).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { rowOfRequest, rows, tempDir } from "./helpers.js";

const root = new URL("../..", import.meta.url).pathname;
const Database = createRequire(import.meta.url)("better-sqlite3");
const ROWS = 300;
const KILLS = 10;
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 5, requestLogLimit: 100_000, models: { "sim-batch": { ttftMs: 8 } } });
});
after(() => sim.close());

/** A child that has loaded everything and waits for "go". */
function warmChild(input: string, out: string): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      "--conditions=ballast-source",
      "--import",
      "tsx",
      join(root, "test/fixtures/batch/child.ts"),
      input,
      out,
      join(root, "test/fixtures/batch/task.ts"),
    ],
    { cwd: root, env: { ...process.env, BALLAST_SIM_URL: sim.url }, stdio: ["pipe", "pipe", "inherit"] },
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before it was ready`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, ready, exited };
}

const lines = (path: string) =>
  existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.endsWith("}"))
    : [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function requestsPerRow(): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of sim.requests) {
    if (r.path !== "/v1/chat/completions") continue;
    const id = rowOfRequest(r.body);
    if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function finishedInJournal(path: string): Set<number> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare("SELECT id FROM rows").all() as Array<{ id: string }>).map((r) => JSON.parse(r.id) as number));
  } finally {
    db.close();
  }
}

test(`${KILLS} kill -9 at random points: no row lost, no finished row sent again`, { timeout: 240_000 }, async () => {
  const dir = tempDir("resume");
  const input = join(dir, "in.jsonl");
  const out = join(dir, "out.jsonl");
  writeFileSync(
    input,
    `${rows(ROWS)
      .map((r) => JSON.stringify(r))
      .join("\n")}\n`,
  );
  const snapshots: Array<{ finished: Set<number>; requests: Map<number, number> }> = [];
  // children load in parallel (a few ahead) while the current one runs
  const warm: Array<ReturnType<typeof warmChild>> = [];
  let started = 0;
  const topUp = () => {
    while (warm.length < 3 && started <= KILLS) {
      warm.push(warmChild(input, out));
      started++;
    }
  };
  topUp();
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let k = 0; k <= KILLS; k++) {
    const current = warm.shift() as ReturnType<typeof warmChild>;
    await current.ready;
    topUp();
    const before = lines(out).length;
    current.child.stdin?.write("go\n");
    if (k === KILLS) {
      await current.exited;
      break;
    }
    const target = before + 5 + Math.floor(random() * 20);
    let exited = false;
    void current.exited.then(() => (exited = true));
    while (!exited && lines(out).length < target) await sleep(5);
    await sleep(random() * 15); // land anywhere: mid-request, mid-journal write, mid-output line
    current.child.kill("SIGKILL");
    await current.exited;
    await sleep(50);
    snapshots.push({ finished: finishedInJournal(`${out}.journal.db`), requests: requestsPerRow() });
  }
  const output = lines(out).map((l) => JSON.parse(l) as { id: number; source: string });
  const ids = output.map((r) => r.id).sort((a, b) => a - b);
  assert.deepEqual(
    ids,
    rows(ROWS).map((r) => r.id),
    "every row exactly once in the output",
  );
  assert.equal(finishedInJournal(`${out}.journal.db`).size, ROWS);
  const final = requestsPerRow();
  let resent = 0;
  for (const s of snapshots) for (const id of s.finished) if ((final.get(id) ?? 0) !== (s.requests.get(id) ?? 0)) resent++;
  assert.equal(resent, 0, "no row finished before a kill was sent again");
  assert.equal(snapshots.length, KILLS);
  assert.ok(snapshots.some((s, i) => i > 0 && s.finished.size > (snapshots[i - 1] as { finished: Set<number> }).finished.size));
  for (let id = 0; id < ROWS; id++) assert.ok((final.get(id) ?? 0) >= 1, `row ${id} was sent`);
});
