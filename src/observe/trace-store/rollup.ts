/**
 * Hourly rollup tables the writer keeps beside the raw rows, so the dashboard reads a month of calls in
 * milliseconds: every hour that ended more than `ROLLUP_GRACE_MS` ago is folded once (see tally.ts), an hour
 * a late event touches is folded again, and hours emptied by retention are dropped. `readTallies` answers any
 * window as rolled-up hours plus the raw rows of the hours not rolled up (the edge hour of the window, the
 * recent ones), folded by the same code.
 */
import type { BallastEvent } from "../../core/index.js";
import type { TraceDb } from "./trace-db.js";
import {
  addCount,
  type AttemptTally,
  type CallTally,
  type CountTally,
  emptyTallies,
  foldRange,
  HOUR_MS,
  hourOf,
  mergeAttempt,
  mergeCall,
  packLatencies,
  type Tallies,
  unpackLatencies,
} from "./tally.js";

/** An hour is rolled up once it ended this long ago: calls are expected to end (and their events land) by then. */
export const ROLLUP_GRACE_MS = 15 * 60_000;
const ROLLUP_CHUNK_MS = 24 * HOUR_MS;

const rollupSql = `
CREATE TABLE IF NOT EXISTS rollup_calls (
  hour INTEGER NOT NULL, task TEXT NOT NULL, model TEXT NOT NULL,
  calls INTEGER NOT NULL, completed INTEGER NOT NULL, success INTEGER NOT NULL, repaired INTEGER NOT NULL, reasked INTEGER NOT NULL,
  fallback INTEGER NOT NULL, hardcoded INTEGER NOT NULL, errors INTEGER NOT NULL, leak_self INTEGER NOT NULL, leak_silent INTEGER NOT NULL,
  latencies BLOB,
  PRIMARY KEY (hour, task, model)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_attempts (
  hour INTEGER NOT NULL, task TEXT NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL,
  attempts INTEGER NOT NULL, ran INTEGER NOT NULL, answered INTEGER NOT NULL, provider_failures INTEGER NOT NULL,
  spend REAL NOT NULL, unknown_cost INTEGER NOT NULL, input INTEGER NOT NULL, cached INTEGER NOT NULL, latencies BLOB,
  PRIMARY KEY (hour, task, model)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_counts (
  hour INTEGER NOT NULL, task TEXT NOT NULL, model TEXT NOT NULL, metric TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (metric, hour, task, model, key)
) WITHOUT ROWID;
-- the dashboard's lists of calls with prompt feedback or a private context, without a scan of every call
CREATE INDEX IF NOT EXISTS calls_feedback ON calls(started_at) WHERE prompt_feedback IS NOT NULL;
CREATE INDEX IF NOT EXISTS calls_private ON calls(started_at) WHERE private_context IS NOT NULL;
INSERT OR IGNORE INTO meta(key, value) VALUES ('rollup_until', '0');
`;

/** Hours before this (epoch ms) are in the rollup tables; 0 when none are (or the store has none). */
export function rollupUntil(db: TraceDb): number {
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'rollup_until'").get() as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  } catch {
    return 0; // a store without the rollup tables
  }
}

export interface Rollups {
  /** Inside the writer's transaction, after a batch: folds the hours that became due and the ones it touched. */
  afterBatch(events: readonly BallastEvent[]): void;
  /** Retention deleted rows: the next batch drops emptied hours and refolds the oldest remaining one. */
  reset(): void;
}

/** Creates the rollup tables when missing (the first batch then folds every hour already in the store). */
export function createRollups(db: TraceDb): Rollups {
  db.exec(rollupSql);
  const setUntil = db.prepare("UPDATE meta SET value = ? WHERE key = 'rollup_until'");
  const startOf = db.prepare("SELECT started_at FROM calls WHERE id = ?");
  const drop = [
    db.prepare("DELETE FROM rollup_calls WHERE hour >= ? AND hour < ?"),
    db.prepare("DELETE FROM rollup_attempts WHERE hour >= ? AND hour < ?"),
    db.prepare("DELETE FROM rollup_counts WHERE hour >= ? AND hour < ?"),
  ];
  const insertCall = db.prepare("INSERT INTO rollup_calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const insertAttempt = db.prepare("INSERT INTO rollup_attempts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const insertCount = db.prepare("INSERT INTO rollup_counts VALUES (?, ?, ?, ?, ?, ?)");
  let until = rollupUntil(db);
  let trim = false;

  /** Replaces the rollup rows of [from, to) with a fresh fold of the raw rows. */
  const refold = (from: number, to: number): void => {
    for (const d of drop) d.run(from, to);
    const t = foldRange(db, from, to);
    for (const c of t.calls.values())
      insertCall.run(
        c.hour,
        c.task,
        c.model,
        c.calls,
        c.completed,
        c.success,
        c.repaired,
        c.reasked,
        c.fallback,
        c.hardcoded,
        c.errors,
        c.leak_self,
        c.leak_silent,
        packLatencies(c.latencies),
      );
    for (const a of t.attempts.values())
      insertAttempt.run(
        a.hour,
        a.task,
        a.model,
        a.provider,
        a.attempts,
        a.ran,
        a.answered,
        a.provider_failures,
        a.spend,
        a.unknown_cost,
        a.input,
        a.cached,
        packLatencies(a.latencies),
      );
    for (const c of t.counts.values()) insertCount.run(c.hour, c.task, c.model, c.metric, c.key, c.n);
  };

  return {
    afterBatch(events) {
      if (trim) {
        trim = false;
        const oldest = (db.prepare("SELECT MIN(started_at) AS t FROM calls").get() as { t: number | null }).t;
        const first = oldest === null ? until : hourOf(oldest);
        for (const d of drop) d.run(0, first);
        if (first < until) refold(first, first + HOUR_MS);
      }
      // late events of calls in hours already rolled up (an event can only touch a call that started before it)
      const dirty = new Set<number>();
      for (const e of events) {
        if (e.ts >= until + ROLLUP_GRACE_MS || e.callId === "") continue;
        const row = startOf.get(e.callId) as { started_at: number } | undefined;
        if (row && row.started_at < until) dirty.add(hourOf(row.started_at));
      }
      for (const hour of dirty) refold(hour, hour + HOUR_MS);
      const due = hourOf(Date.now() - ROLLUP_GRACE_MS);
      if (due > until) {
        // At most a day per batch from the oldest call not rolled up: a big store written before the rollups
        // existed is folded over many flushes, in bounded memory and without holding the write lock for long
        // (readers fold the raw rows of the hours not rolled up yet, so views stay exact meanwhile).
        const oldest = (db.prepare("SELECT MIN(started_at) AS t FROM calls WHERE started_at >= ?").get(until) as { t: number | null }).t;
        const from = Math.max(until, hourOf(oldest ?? due));
        const to = Math.min(due, from + ROLLUP_CHUNK_MS);
        if (from < to) refold(from, to);
        until = Math.max(until, to);
        setUntil.run(String(until));
      }
    },
    reset() {
      trim = true;
    },
  };
}

/** Filters every view accepts; empty or absent means all. */
export interface TallyFilter {
  since?: number;
  task?: string;
  model?: string;
}

/** What a view needs: only these are read from the rollup tables. */
export interface TallyParts {
  calls?: boolean;
  attempts?: boolean;
  /** Read the latency columns of calls and attempts (the biggest part). */
  latencies?: boolean;
  /** The keyed-count metrics to read. */
  counts?: readonly string[];
}

const ALL_PARTS: TallyParts = {
  calls: true,
  attempts: true,
  latencies: true,
  counts: ["first_try", "depth", "guard", "error", "recovery", "field", "issue", "outcome"],
};

/**
 * The tallies of the calls started at or after `since`: rolled-up hours from the rollup tables, the rest (the
 * partial first hour, the hours not rolled up yet) folded from the raw rows. Exact: the same fold as the rollups.
 * Rollup rows are read for the task and model asked only; raw rows are folded whole (callers filter with them).
 */
export function readTallies(db: TraceDb, filter: TallyFilter = {}, parts: TallyParts = ALL_PARTS): Tallies {
  const since = filter.since ?? 0;
  const until = rollupUntil(db);
  const t = emptyTallies();
  const firstFull = Math.ceil(since / HOUR_MS) * HOUR_MS;
  if (until <= firstFull) return foldRange(db, since, Number.MAX_SAFE_INTEGER, t);
  const where = "hour >= @from AND hour < @until AND (@task IS NULL OR task = @task) AND (@model IS NULL OR model = @model)";
  const params = { from: firstFull, until, task: filter.task ?? null, model: filter.model ?? null };
  const lat = parts.latencies ? ", latencies" : "";
  if (parts.calls) {
    const rows = db
      .prepare(
        `SELECT hour, task, model, calls, completed, success, repaired, reasked, fallback, hardcoded, errors, leak_self, leak_silent${lat}
         FROM rollup_calls WHERE ${where}`,
      )
      .all(params) as Array<Omit<CallTally, "latencies"> & { latencies?: Uint8Array | null }>;
    for (const row of rows) mergeCall(t, { ...row, latencies: row.latencies ? [unpackLatencies(row.latencies)] : [] });
  }
  if (parts.attempts) {
    const rows = db
      .prepare(
        `SELECT hour, task, model, provider, attempts, ran, answered, provider_failures, spend, unknown_cost, input, cached${lat}
         FROM rollup_attempts WHERE ${where}`,
      )
      .all(params) as Array<Omit<AttemptTally, "latencies"> & { latencies?: Uint8Array | null }>;
    for (const row of rows) mergeAttempt(t, { ...row, latencies: row.latencies ? [unpackLatencies(row.latencies)] : [] });
  }
  const counts = db.prepare(`SELECT hour, task, model, metric, key, n FROM rollup_counts WHERE metric = @metric AND ${where}`);
  for (const metric of parts.counts ?? []) for (const row of counts.all({ ...params, metric }) as CountTally[]) addCount(t, row, row.n);
  if (since < firstFull) foldRange(db, since, firstFull, t);
  foldRange(db, until, Number.MAX_SAFE_INTEGER, t);
  return t;
}
