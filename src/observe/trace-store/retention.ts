/**
 * Retention: the calls older than `maxAgeDays`, and beyond the newest `maxCalls`, are deleted with their attempts,
 * events and the stable prompt texts no call refers to any more; client-level events age out too.
 */
import type { TraceDb } from "./trace-db.js";

const DAY_MS = 86_400_000;

export interface RetentionLimits {
  /** 0: no age limit. */
  maxAgeDays: number;
  /** 0: no count limit. */
  maxCalls: number;
}

/** Deletes what is past the limits (run it inside a transaction); returns how many calls went. */
export function pruneTraces(db: TraceDb, limits: RetentionLimits, now = Date.now()): number {
  const oldest = now - limits.maxAgeDays * DAY_MS;
  let removed = 0;
  if (limits.maxAgeDays > 0) removed += db.prepare("DELETE FROM calls WHERE started_at < ?").run(oldest).changes;
  if (limits.maxCalls > 0)
    removed += db
      .prepare("DELETE FROM calls WHERE id IN (SELECT id FROM calls ORDER BY started_at DESC LIMIT -1 OFFSET ?)")
      .run(limits.maxCalls).changes;
  if (limits.maxAgeDays > 0) db.prepare("DELETE FROM events WHERE call_id = '' AND ts < ?").run(oldest);
  if (removed === 0) return 0;
  db.exec("DELETE FROM attempts WHERE call_pk NOT IN (SELECT pk FROM calls)");
  db.exec("DELETE FROM events WHERE call_id <> '' AND call_id NOT IN (SELECT id FROM calls)");
  db.exec(`DELETE FROM texts WHERE hash NOT IN (SELECT j.value ->> 'ref' FROM calls, json_each(calls.prompt) AS j
    WHERE calls.prompt IS NOT NULL AND j.value ->> 'ref' IS NOT NULL)`);
  return removed;
}
