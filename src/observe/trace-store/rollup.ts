/**
 * The rollups the writer keeps beside the raw rows, so the dashboard reads a month of calls in milliseconds.
 * Hourly: every hour that ended more than `ROLLUP_GRACE_MS` ago is folded once from the raw rows (see tally.ts),
 * an hour a late event touches is folded again, and hours emptied by retention are dropped. Daily: every UTC day
 * whose hours are all rolled up is merged from its hourly rows, and merged again when one of its hours changes.
 * All of it runs inside the writer's transaction after a batch, off the callers' path, a bounded amount per batch.
 */
import type { BallastEvent } from "../../core/index.js";
import type { TraceDb } from "./trace-db.js";
import { DAILY, HOURLY } from "./rollup-schema.js";
import { ALL_PARTS, levelWriter, readLevel } from "./rollup-tables.js";
import { DAY_MS, dayOf, emptyTallies, foldRange, HOUR_MS, hourOf } from "./tally.js";

/** An hour is rolled up once it ended this long ago: calls are expected to end (and their events land) by then. */
export const ROLLUP_GRACE_MS = 15 * 60_000;
/** Raw hours folded per batch at most (a store written before the rollups existed catches up over many). */
const HOURS_PER_BATCH_MS = DAY_MS;
/** Days merged from their hours per batch at most (a store written before the daily level catches up over many). */
const DAYS_PER_BATCH = 7;

function metaNumber(db: TraceDb, key: string): number {
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  } catch {
    return 0; // a store without the meta table
  }
}

/** Hours before this (epoch ms) are in the hourly rollup tables; 0 when none are (or the store has none). */
export const rollupUntil = (db: TraceDb): number => metaNumber(db, "rollup_until");

/** Days before this (epoch ms, a UTC midnight) are in the daily rollup tables; 0 when none are. Never past `rollupUntil`. */
export const rollupDaysUntil = (db: TraceDb): number => metaNumber(db, "rollup_days_until");

export interface Rollups {
  /** Inside the writer's transaction, after a batch: folds the hours and days that became due and the ones it touched. */
  afterBatch(events: readonly BallastEvent[]): void;
  /** Retention deleted rows: the next batch drops emptied hours and days and refolds the oldest remaining ones. */
  reset(): void;
}

/** Keeps the rollups of a store opened for writing (its tables are made by `prepareSchema`). */
export function createRollups(db: TraceDb): Rollups {
  const setMeta = db.prepare("UPDATE meta SET value = @value WHERE key = @key");
  const startOf = db.prepare("SELECT started_at FROM calls WHERE id = ?");
  const oldestCall = db.prepare("SELECT MIN(started_at) AS t FROM calls WHERE started_at >= ?");
  const firstHour = db.prepare("SELECT MIN(hour) AS t FROM rollup_calls WHERE hour >= @from AND hour < @to");
  const hourly = levelWriter(db, HOURLY);
  const daily = levelWriter(db, DAILY);
  let until = rollupUntil(db);
  let daysUntil = rollupDaysUntil(db);
  let trim = false;
  /** Days in the daily tables whose hours changed in this batch. */
  const dirtyDays = new Set<number>();

  /** Replaces the hourly rows of [from, to) with a fresh fold of the raw rows. */
  const refoldHours = (from: number, to: number): void => {
    hourly.replace(from, to, foldRange(db, { from, to }));
    for (let day = dayOf(from); day < to; day += DAY_MS) if (day < daysUntil) dirtyDays.add(day);
  };
  /** Replaces the daily rows of one day with the merge of its hourly rows. */
  const mergeDay = (day: number): void => {
    const t = emptyTallies();
    readLevel(db, HOURLY, { from: day, to: day + DAY_MS }, { into: t, parts: ALL_PARTS, estimated: true, periodOf: dayOf });
    daily.replace(day, day + DAY_MS, t);
  };

  /** Retention deleted the oldest calls: drop the periods before the oldest left, refold the one it is in. */
  const trimToOldest = (): void => {
    const oldest = (oldestCall.get(0) as { t: number | null }).t;
    const first = oldest === null ? until : hourOf(oldest);
    hourly.drop(0, first);
    daily.drop(0, dayOf(first));
    if (first < until) refoldHours(first, first + HOUR_MS); // and so its day, when merged
  };

  /** Late events of calls in hours already rolled up (an event can only touch a call that started before it). */
  const refoldTouched = (events: readonly BallastEvent[]): void => {
    const touched = new Set<number>();
    for (const e of events) {
      if (e.ts >= until + ROLLUP_GRACE_MS || e.callId === "") continue;
      const row = startOf.get(e.callId) as { started_at: number } | undefined;
      if (row && row.started_at < until) touched.add(hourOf(row.started_at));
    }
    for (const hour of touched) refoldHours(hour, hour + HOUR_MS);
  };

  /**
   * At most a day of hours per batch from the oldest call not rolled up: a big store written before the rollups
   * existed is folded over many flushes, in bounded memory and without holding the write lock for long (readers
   * fold the raw rows of the hours not rolled up yet, so views stay exact meanwhile).
   */
  const foldDueHours = (): void => {
    const due = hourOf(Date.now() - ROLLUP_GRACE_MS);
    if (due <= until) return;
    const oldest = (oldestCall.get(until) as { t: number | null }).t;
    const from = Math.max(until, hourOf(oldest ?? due));
    const to = Math.min(due, from + HOURS_PER_BATCH_MS);
    if (from < to) refoldHours(from, to);
    until = Math.max(until, to);
    setMeta.run({ key: "rollup_until", value: String(until) });
  };

  /** Merges the changed days again, then the days whose hours are now all rolled up (skipping days without any). */
  const mergeDueDays = (): void => {
    for (const day of dirtyDays) mergeDay(day);
    dirtyDays.clear();
    const before = daysUntil;
    for (let merged = 0; merged < DAYS_PER_BATCH && daysUntil + DAY_MS <= until; merged++) {
      const next = (firstHour.get({ from: daysUntil, to: until }) as { t: number | null }).t;
      const day = next === null ? dayOf(until) : Math.max(daysUntil, dayOf(next));
      if (day + DAY_MS > until) {
        daysUntil = day;
        break;
      }
      mergeDay(day);
      daysUntil = day + DAY_MS;
    }
    if (daysUntil !== before) setMeta.run({ key: "rollup_days_until", value: String(daysUntil) });
  };

  return {
    afterBatch(events) {
      if (trim) {
        trim = false;
        trimToOldest();
      }
      refoldTouched(events);
      foldDueHours();
      mergeDueDays();
    },
    reset() {
      trim = true;
    },
  };
}
