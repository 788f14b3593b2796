import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openTraceDb } from "../../src/observe/trace-store/index.js";

const root = new URL("../..", import.meta.url).pathname;

test("SIGKILL mid-run: the store stays readable and loses at most the unflushed batch", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "ballast-crash-")), "traces.db");
  const child = spawn(
    process.execPath,
    ["--conditions=ballast-source", "--import", "tsx", join(root, "test/observe/fixtures/crash-writer.ts"), path],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let committed = 0;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = [...buf.matchAll(/committed (\d+)/g)].pop();
      if (m) committed = Number(m[1]);
      if (committed >= 1000) {
        child.kill("SIGKILL");
        resolve();
      }
    });
    child.on("exit", () => reject(new Error(`writer exited early after ${committed}`)));
    setTimeout(() => reject(new Error("writer too slow")), 120_000).unref(); // a hang guard, roomy for a loaded machine
  }).catch((e) => {
    child.kill("SIGKILL");
    throw e;
  });
  assert.equal(await exited, "SIGKILL");

  const db = openTraceDb(path);
  assert.equal(db.pragma("quick_check", { simple: true }), "ok");
  const calls = (db.prepare("SELECT COUNT(*) n FROM calls").get() as { n: number }).n;
  // every reported commit is there; at most one more batch (50 calls) was in flight
  assert.ok(calls >= committed, `${calls} < ${committed}`);
  assert.ok(calls <= committed + 50, `${calls} > ${committed} + 50`);
  // no half-written call: each stored call is complete with both attempts
  const partial = db
    .prepare("SELECT COUNT(*) n FROM calls c WHERE c.ended_at IS NULL OR (SELECT COUNT(*) FROM attempts a WHERE a.call_id = c.id) != 2")
    .get() as { n: number };
  assert.equal(partial.n, 0);
  db.close();
});
