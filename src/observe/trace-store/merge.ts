/**
 * Several trace stores read as one, for a fleet that keeps one SQLite file per process (`ballast stats --db
 * a.db --db b.db`): each file is copied into a private in-memory store with the same schema (calls, attempts,
 * events, batch rows; prompts, values and reply texts left out), so every read-side query runs on the whole
 * fleet unchanged. Call ids are UUIDv7, unique across processes: a call found in two files counts once.
 */
import { realpathSync } from "node:fs";
import { openTraceDb, openTraceDbForWrite } from "./open.js";
import type { TraceDb } from "./trace-db.js";

/** The calls columns the merged store keeps (the large redacted texts stay in the workers' files). */
const CALL_COLUMNS = `id, task, operation, started_at, ended_at, latency_ms, models, model, source, error_kind, fallback, hardcoded,
  repaired, reasked, hedges, attempts, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
  cost_usd, temperature, frequency_penalty, leak, prompt_feedback, errors`;
const ATTEMPT_COLUMNS = `model, provider, rung, kind, outcome, started_at, latency_ms, input_tokens, output_tokens,
  cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, finish_reason, recovery_steps, error_kind, error_status`;

/** Opens `paths` (each must exist) as one read-only view; close it like any store. */
export function openMergedTraceDb(paths: readonly string[]): TraceDb {
  const seen = new Map<string, string>();
  for (const path of paths) {
    try {
      openTraceDb(path).close(); // the single-file checks: a missing file, not a database
    } catch (error) {
      throw new Error(`no trace store at ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const real = realpathSync(path);
    const twice = seen.get(real);
    if (twice !== undefined) throw new Error(`the trace store ${path} is given twice (as ${twice} too)`);
    seen.set(real, path);
  }
  const db = openTraceDbForWrite(":memory:");
  try {
    for (const path of paths) copyInto(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function copyInto(db: TraceDb, path: string): void {
  db.prepare("ATTACH DATABASE ? AS source").run(path);
  try {
    const has = (table: string) =>
      db.prepare("SELECT 1 FROM source.sqlite_schema WHERE type = 'table' AND name = ?").get(table) !== undefined;
    if (!has("calls") || !has("attempts") || !has("events"))
      throw new Error(`${path} is not a Ballast trace store (no calls, attempts and events)`);
    db.transaction(() => {
      db.exec(`INSERT OR IGNORE INTO main.calls (${CALL_COLUMNS}) SELECT ${CALL_COLUMNS} FROM source.calls ORDER BY started_at`);
      // attempts point at their call by id in every schema version; numbered again within each call
      db.exec(
        `INSERT OR IGNORE INTO main.attempts (id, call_id, call_pk, seq, ${ATTEMPT_COLUMNS})
         SELECT a.id, a.call_id, m.pk, ROW_NUMBER() OVER (PARTITION BY a.call_id ORDER BY a.seq, a.started_at),
                ${ATTEMPT_COLUMNS.replace(/(\w+)/g, "a.$1")}
         FROM source.attempts a JOIN main.calls m ON m.id = a.call_id`,
      );
      db.exec(
        "INSERT INTO main.events (call_id, ts, type, model, data) SELECT call_id, ts, type, model, data FROM source.events ORDER BY seq",
      );
      if (has("batch_rows"))
        db.exec(
          "INSERT OR IGNORE INTO main.batch_rows (call_id, batch_id, row_id) SELECT call_id, batch_id, row_id FROM source.batch_rows",
        );
    })();
  } finally {
    db.exec("DETACH DATABASE source");
  }
}
