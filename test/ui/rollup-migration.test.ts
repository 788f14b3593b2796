// A store in the version 2 layout (hourly rollups only, no `estimated` flags): read as it is by the CLI and the
// dashboard (read-only: days come from its hours), then migrated by the first writer that opens it, which merges
// its days from the hourly rows over a few batches; the views agree with the raw rows before and after.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import Database from "better-sqlite3";
import {
  createTraceStore,
  DAY_MS,
  dayOf,
  getCall,
  openTraceDb,
  readTallies,
  rollupDaysUntil,
  rollupUntil,
  stats,
} from "../../src/observe/trace-store/index.js";
import { overview, readFilter } from "../../src/ui/index.js";
import { rolledUp, writeTimedCalls } from "./timed-calls.js";

const path = join(mkdtempSync(join(tmpdir(), "ballast-rollup-v2-")), "traces.db");

/** Takes a current store back to what version 2 wrote: no daily tables, no `estimated` columns, the old index. */
function toVersion2(file: string): void {
  const db = new Database(file);
  db.exec(`
    DROP TABLE rollup_calls_daily; DROP TABLE rollup_attempts_daily; DROP TABLE rollup_counts_daily;
    ALTER TABLE calls DROP COLUMN estimated; ALTER TABLE attempts DROP COLUMN estimated; ALTER TABLE rollup_attempts DROP COLUMN estimated;
    DROP INDEX calls_feedback_text; CREATE INDEX calls_feedback ON calls(started_at) WHERE prompt_feedback IS NOT NULL;
    DELETE FROM meta WHERE key = 'rollup_days_until'; UPDATE meta SET value = '2' WHERE key = 'schema_version';
  `);
  db.close();
}

before(() => {
  writeTimedCalls(path);
  toVersion2(path);
});

/** The overview's summary from a daily-grain read beside `stats()` over the raw rows. */
function compare(label: string): void {
  const db = openTraceDb(path);
  try {
    const f = { ...readFilter(new URLSearchParams({ since: "all" })), since: 0 };
    const o = overview(db, readTallies(db, {}, { grain: DAY_MS }), f).summary;
    const s = stats(db);
    assert.deepEqual(
      [o.calls, o.completed, o.spend_usd.toFixed(12), o.unknown_cost_attempts, o.estimated_cost_attempts, o.p50_ms, o.p95_ms, o.p99_ms],
      [s.calls, s.completed, s.spend_usd.toFixed(12), s.unknown_cost_attempts, s.estimated_cost_attempts, s.p50_ms, s.p95_ms, s.p99_ms],
      label,
    );
  } finally {
    db.close();
  }
}

test("read as it is: the views answer from the hourly rollups, nothing is marked estimated", () => {
  compare("version 2, read-only");
  const db = openTraceDb(path);
  try {
    assert.equal(stats(db).estimated_cost_attempts, 0);
    const call = getCall(db, "call-9")!;
    assert.equal(call.call.estimated, 0);
    assert.deepEqual(
      call.attempts.map((a) => a.estimated),
      [0, 0],
    );
  } finally {
    db.close();
  }
});

test("a writer migrates it: version 3, the estimated columns, and the days merged from the hours", () => {
  const store = createTraceStore({ path, retention: { maxAgeDays: 0, maxCalls: 0 }, flushMs: 3_600_000 });
  for (let n = 0; n < 10 && !rolledUp(path); n++) {
    store.listener({ type: "warning", callId: "", ts: Date.now(), message: "migrate" });
    store.flush();
  }
  store.close();
  assert.equal(store.warnings, 0);
  const db = openTraceDb(path);
  try {
    assert.equal((db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string }).value, "3");
    assert.equal(rollupDaysUntil(db), dayOf(rollupUntil(db)));
    const days = db.prepare("SELECT COUNT(DISTINCT day) AS n FROM rollup_calls_daily").get() as { n: number };
    assert.ok(days.n >= 1, `${days.n} days merged`);
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
  } finally {
    db.close();
  }
  compare("migrated");
});
