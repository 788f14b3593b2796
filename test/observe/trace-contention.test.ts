// Traces survive contention: while calls run, a second better-sqlite3 connection takes the database's write
// lock and holds it for a second, three times. The store keeps the refused batches and retries them off the
// callers' path; every call and attempt is in traces.db afterwards, and nothing is counted as dropped.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 5 });
});
after(() => sim.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Holds an exclusive write lock on the file for `ms`, from its own connection, without blocking this thread. */
async function holdLock(path: string, ms: number): Promise<void> {
  const other = new Database(path, { timeout: 5_000 });
  try {
    other.exec("BEGIN EXCLUSIVE");
    await sleep(ms);
    other.exec("ROLLBACK");
  } finally {
    other.close();
  }
}

test("a second connection holding the write lock for 1 s, three times, loses no trace", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "ballast-contention-")), "traces.db");
  const warnings: string[] = [];
  const llm = createBallast({
    models: [openai("contended", { baseURL: `${sim.url}/v1`, apiKey: "test" })],
    traces: { path, flushMs: 50, onWarning: (m) => warnings.push(m) },
  });
  const task = llm.task({ name: "contended", schema: z.object({ label: z.string() }) });
  await task("first: creates the file");

  const perRound = 60;
  let done = 1;
  for (let round = 0; round < 3; round++) {
    const lock = holdLock(path, 1_000);
    // calls keep ending while the lock is held: their rows are flushed into the locked file every 50 ms
    for (let i = 0; i < 4; i++) {
      await Promise.all(Array.from({ length: perRound / 4 }, (_, k) => task(`round ${round} call ${i * 100 + k}`)));
      done += perRound / 4;
      await sleep(150);
    }
    await lock;
  }
  llm.close();
  assert.ok(
    warnings.some((w) => /busy|locked/i.test(w)),
    `the store met the lock: ${warnings.join("; ")}`,
  );
  assert.ok(!warnings.some((w) => /dropped/.test(w)), warnings.join("; "));

  const db = new Database(path, { readonly: true });
  try {
    const calls = db.prepare("SELECT COUNT(*) AS n, SUM(ended_at IS NOT NULL) AS ended FROM calls").get() as { n: number; ended: number };
    assert.deepEqual(calls, { n: done, ended: done });
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM attempts").get() as { n: number }).n, done);
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'trace_dropped'").get() as { n: number }).n, 0);
  } finally {
    db.close();
  }
});
