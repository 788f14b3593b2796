/**
 * Reads the tallies of a window (the calls started since a time, for a task and model) the cheapest exact way:
 * whole UTC days from the daily rollups when the reader asks for days, whole hours from the hourly ones, and
 * the rest (the partial first hour, the hours not rolled up yet) folded from the raw rows by the same code.
 */
import type { TraceDb } from "./trace-db.js";
import { DAILY, HOURLY } from "./rollup-schema.js";
import { rollupDaysUntil, rollupUntil } from "./rollup.js";
import { ALL_PARTS, type LevelRead, readLevel, type TallyParts } from "./rollup-tables.js";
import { DAY_MS, emptyTallies, foldRange, HOUR_MS, sortRawLatencies, type Tallies } from "./tally.js";

/** Filters every view accepts; empty or absent means all. */
export interface TallyFilter {
  since?: number;
  task?: string;
  model?: string;
}

export interface TallyRead {
  /** Only these parts are read from the rollups (default: all). */
  parts?: TallyParts;
  /**
   * The coarsest period the reader may get rows for: `DAY_MS` lets whole days come from the daily rollups (their
   * rows carry the day's start), `HOUR_MS` (default) keeps every row within an hour.
   */
  grain?: number;
}

/** The store's layout version (0 when it has none): version 3 added the daily rollups and the `estimated` flags. */
function schemaVersion(db: TraceDb): number {
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  } catch {
    return 0;
  }
}

/**
 * The tallies of the calls started at or after `since`. Exact: every level holds the same fold of the same rows.
 * Rollup rows are read for the task and model asked only; raw rows are folded whole (callers filter with them).
 * Every latency chunk comes back ascending.
 */
export function readTallies(db: TraceDb, filter: TallyFilter = {}, read: TallyRead = {}): Tallies {
  const since = filter.since ?? 0;
  const until = rollupUntil(db);
  const current = schemaVersion(db) >= 3;
  const t = emptyTallies();
  const firstFullHour = Math.ceil(since / HOUR_MS) * HOUR_MS;
  if (until <= firstFullHour) {
    foldRange(db, { from: since, to: Number.MAX_SAFE_INTEGER }, t, current);
    sortRawLatencies(t);
    return t;
  }
  const level: LevelRead = { into: t, task: filter.task, model: filter.model, parts: read.parts ?? ALL_PARTS, estimated: current };
  // whole days inside [firstFullHour, until) that the daily tables hold
  const firstFullDay = Math.ceil(firstFullHour / DAY_MS) * DAY_MS;
  const daysTo = current && (read.grain ?? HOUR_MS) >= DAY_MS ? Math.min(rollupDaysUntil(db), until) : 0;
  if (firstFullDay < daysTo) {
    readLevel(db, HOURLY, { from: firstFullHour, to: firstFullDay }, level);
    readLevel(db, DAILY, { from: firstFullDay, to: daysTo }, level);
    readLevel(db, HOURLY, { from: daysTo, to: until }, level);
  } else readLevel(db, HOURLY, { from: firstFullHour, to: until }, level);
  if (since < firstFullHour) foldRange(db, { from: since, to: firstFullHour }, t, current);
  foldRange(db, { from: until, to: Number.MAX_SAFE_INTEGER }, t, current);
  sortRawLatencies(t);
  return t;
}
