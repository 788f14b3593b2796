/**
 * The trace writer's SQL, prepared once per database, with named parameters (`@column`) bound from the row
 * objects of rows.ts. Call rows are addressed by `calls.pk` once known (insertion order; see schema.ts).
 */
import { type NamedStatement, prepareNamed } from "./named-statement.js";
import type { TraceDb, TraceStatement } from "./trace-db.js";
import { ATTEMPT_COLUMNS, type AttemptRow, CALL_COLUMNS, type CallEndRow, type CallFailRow, type CallRow } from "./rows.js";

const list = (columns: readonly string[]): string => columns.join(", ");
const params = (columns: readonly string[]): string => columns.map((c) => `@${c}`).join(", ");

export interface WriterStatements {
  /** A whole call row (a `CallRow`); ignored when a row with its id exists (then `mergeCall`). */
  insertCall: NamedStatement<CallRow>;
  /**
   * Fills a bare row an earlier batch made (an event of the call got there before its call_start) from a
   * `CallRow`: the start's fields win, counters add up.
   */
  mergeCall: NamedStatement<CallRow>;
  /** A bare row for a call not stored yet: { id, started_at }. */
  ensureCall: NamedStatement<{ id: string; started_at: number }>;
  /** The row number of a call id. */
  selectPk: TraceStatement;
  /** One `AttemptRow`. */
  insertAttempt: NamedStatement<AttemptRow>;
  /** The next free attempt sequence number of a call row. */
  nextSeq: TraceStatement;
  /** A late attempt counted on its call: { pk, reasked }. */
  countAttempt: NamedStatement<{ pk: number; reasked: number }>;
  /** A `CallEndRow`. */
  endCall: NamedStatement<CallEndRow>;
  /** A `CallFailRow`. */
  failCall: NamedStatement<CallFailRow>;
  /**
   * Call totals = the sum over its stored attempts, once they are all there ({ pk, at_least }): an attempt that
   * ends after its call (a hedge loser settling after the winner returned) is still counted, with what it consumed.
   */
  reconcile: NamedStatement<{ pk: number; at_least: number }>;
  /** { call_id, ts, type, model, data }. */
  insertEvent: NamedStatement<{ call_id: string; ts: number; type: string; model: string | null; data: string }>;
  /** { call_id, batch_id, row_id }. */
  insertBatchRow: NamedStatement<{ call_id: string; batch_id: string; row_id: string }>;
  /** { hash, content }. */
  insertText: NamedStatement<{ hash: string; content: string }>;
  /** Events of a call stored by an earlier batch, folded into its row by call id. */
  bump: {
    hedge: TraceStatement;
    reask: TraceStatement;
    fallback: TraceStatement;
    /** { id, leak }. */
    leak: NamedStatement<{ id: string; leak: string }>;
    /** { id, feedback }. */
    feedback: NamedStatement<{ id: string; feedback: unknown }>;
  };
}

export function prepareWriterStatements(db: TraceDb): WriterStatements {
  return {
    insertCall: prepareNamed<CallRow>(db, `INSERT OR IGNORE INTO calls (${list(CALL_COLUMNS)}) VALUES (${params(CALL_COLUMNS)})`),
    mergeCall: prepareNamed<CallRow>(
      db,
      `UPDATE calls SET task = @task, operation = @operation, started_at = @started_at,
        ended_at = COALESCE(@ended_at, ended_at), latency_ms = COALESCE(@latency_ms, latency_ms), models = @models,
        model = COALESCE(@model, model), source = COALESCE(@source, source), error_kind = COALESCE(@error_kind, error_kind),
        fallback = MAX(fallback, @fallback), hardcoded = @hardcoded, repaired = @repaired, reasked = MAX(reasked, @reasked),
        hedges = hedges + @hedges, attempts = attempts + @attempts, input_tokens = @input_tokens, output_tokens = @output_tokens,
        cached_input_tokens = @cached_input_tokens, cache_write_tokens = @cache_write_tokens, reasoning_tokens = @reasoning_tokens,
        cost_usd = @cost_usd, temperature = @temperature, frequency_penalty = @frequency_penalty, leak = COALESCE(@leak, leak),
        private_context = @private_context, prompt = @prompt, value = @value, prompt_feedback = COALESCE(@prompt_feedback, prompt_feedback),
        errors = @errors, estimated = MAX(estimated, @estimated)
      WHERE id = @id`,
    ),
    ensureCall: prepareNamed<{ id: string; started_at: number }>(
      db,
      "INSERT OR IGNORE INTO calls (id, started_at) VALUES (@id, @started_at)",
    ),
    selectPk: db.prepare("SELECT pk FROM calls WHERE id = ?"),
    insertAttempt: prepareNamed<AttemptRow>(
      db,
      `INSERT OR REPLACE INTO attempts (${list(ATTEMPT_COLUMNS)}) VALUES (${params(ATTEMPT_COLUMNS)})`,
    ),
    nextSeq: db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM attempts WHERE call_pk = ?"),
    countAttempt: prepareNamed<{ pk: number; reasked: number }>(
      db,
      "UPDATE calls SET attempts = attempts + 1, reasked = MAX(reasked, @reasked) WHERE pk = @pk",
    ),
    endCall: prepareNamed<CallEndRow>(
      db,
      `UPDATE calls SET ended_at = @ended_at, latency_ms = @latency_ms, task = COALESCE(task, @task), model = @model,
        attempts = MAX(attempts, @attempts), source = @source, fallback = MAX(fallback, @fallback), hardcoded = @hardcoded,
        repaired = @repaired, reasked = MAX(reasked, @reasked), input_tokens = @input_tokens, output_tokens = @output_tokens,
        cached_input_tokens = @cached_input_tokens, cache_write_tokens = @cache_write_tokens, reasoning_tokens = @reasoning_tokens,
        cost_usd = @cost_usd, private_context = @private_context, value = @value,
        prompt_feedback = COALESCE(@prompt_feedback, prompt_feedback), errors = @errors, estimated = MAX(estimated, @estimated)
      WHERE pk = @pk`,
    ),
    failCall: prepareNamed<CallFailRow>(
      db,
      `UPDATE calls SET ended_at = @ended_at, latency_ms = @latency_ms, task = COALESCE(task, @task),
        error_kind = @error_kind, attempts = MAX(attempts, @attempts), reasked = MAX(reasked, @reasked), input_tokens = @input_tokens,
        output_tokens = @output_tokens, cached_input_tokens = @cached_input_tokens, cache_write_tokens = @cache_write_tokens,
        reasoning_tokens = @reasoning_tokens, cost_usd = @cost_usd, errors = @errors, estimated = MAX(estimated, @estimated)
      WHERE pk = @pk`,
    ),
    reconcile: prepareNamed<{ pk: number; at_least: number }>(
      db,
      `UPDATE calls SET attempts = s.n, input_tokens = s.i, output_tokens = s.o, cached_input_tokens = s.c,
        cache_write_tokens = s.w, reasoning_tokens = s.r, cost_usd = CASE WHEN s.unknown > 0 THEN NULL ELSE s.cost END,
        estimated = MAX(estimated, s.e)
      FROM (SELECT COUNT(*) AS n, TOTAL(input_tokens) AS i, TOTAL(output_tokens) AS o, TOTAL(cached_input_tokens) AS c,
              TOTAL(cache_write_tokens) AS w, TOTAL(reasoning_tokens) AS r, TOTAL(cost_usd) AS cost, TOTAL(cost_usd IS NULL) AS unknown,
              MAX(estimated) AS e
            FROM attempts WHERE call_pk = @pk) AS s
      WHERE calls.pk = @pk AND calls.ended_at IS NOT NULL AND s.n >= @at_least`,
    ),
    insertEvent: prepareNamed<{ call_id: string; ts: number; type: string; model: string | null; data: string }>(
      db,
      "INSERT INTO events (call_id, ts, type, model, data) VALUES (@call_id, @ts, @type, @model, @data)",
    ),
    insertBatchRow: prepareNamed<{ call_id: string; batch_id: string; row_id: string }>(
      db,
      "INSERT OR IGNORE INTO batch_rows (call_id, batch_id, row_id) VALUES (@call_id, @batch_id, @row_id)",
    ),
    insertText: prepareNamed<{ hash: string; content: string }>(db, "INSERT OR IGNORE INTO texts (hash, content) VALUES (@hash, @content)"),
    bump: {
      hedge: db.prepare("UPDATE calls SET hedges = hedges + 1 WHERE id = ?"),
      reask: db.prepare("UPDATE calls SET reasked = 1 WHERE id = ?"),
      fallback: db.prepare("UPDATE calls SET fallback = 1 WHERE id = ?"),
      leak: prepareNamed<{ id: string; leak: string }>(db, "UPDATE calls SET leak = @leak WHERE id = @id"),
      feedback: prepareNamed<{ id: string; feedback: unknown }>(db, "UPDATE calls SET prompt_feedback = @feedback WHERE id = @id"),
    },
  };
}
