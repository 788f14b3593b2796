/**
 * The trace store's SQLite schema: one row per call, one per attempt, and a generic `events` table for the
 * rest of the stream (hedges, breaker moves, leaks, prompt feedback, cache-busters, re-asks, fallbacks, warnings).
 * `prepareSchema` creates it with the rollup tables, or migrates a store written by an earlier version (the version
 * is in `meta`).
 */
import type { TraceDb } from "./trace-db.js";
import { rollupSchemaSql, rollupsFromV2 } from "./rollup-schema.js";

/**
 * The layout's version, kept in `meta`:
 * - 2: attempts point at their call by `calls.pk` (an integer in insertion order) instead of by call id, and
 *   neither the attempt id nor `calls.model` is indexed. Call ids were random UUIDs then (they are time-ordered
 *   UUIDv7 now): an index keyed by one took a random page per row, which made the trace store's writes cost twice
 *   as much. An 8-byte integer key in insertion order stays the cheaper join either way.
 * - 3: `estimated` on attempts and calls (usage and cost counted locally for an attempt cut short before the
 *   provider reported them); daily rollups beside the hourly ones (rollup-schema.ts).
 */
export const SCHEMA_VERSION = 3;

const callsTable = `
CREATE TABLE IF NOT EXISTS calls (
  pk INTEGER PRIMARY KEY,     -- insertion order; attempts.call_pk points here
  id TEXT NOT NULL UNIQUE,
  task TEXT,
  operation TEXT,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  latency_ms REAL,
  models TEXT,                -- JSON array: the cascade, primary first
  model TEXT,                 -- the model that produced the value, or "hardcoded_fallback"
  source TEXT,                -- "model" | "repaired" | "fallback" (hardcoded); NULL while running or when the call rejected
  error_kind TEXT,            -- the call rejected with this error kind (call_error event)
  fallback INTEGER NOT NULL DEFAULT 0,   -- value not from the primary model (a fallback model or the hardcoded rung)
  hardcoded INTEGER NOT NULL DEFAULT 0,  -- value from the hardcoded rung
  repaired INTEGER NOT NULL DEFAULT 0,   -- value needed JSON recovery
  reasked INTEGER NOT NULL DEFAULT 0,    -- at least one re-ask
  hedges INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cached_input_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL,              -- NULL: some attempt had an unknown price
  temperature REAL,
  frequency_penalty REAL,
  leak TEXT,                  -- NULL | "self_reported" | "silent" (private-context leak)
  private_context TEXT,       -- JSON PrivateContextReport
  prompt TEXT,                -- JSON PromptSection[] (redacted; stable ones as {ref} into texts; NULL in metadata mode)
  value TEXT,                 -- JSON value returned (redacted; NULL in metadata mode)
  prompt_feedback TEXT,
  errors TEXT,                -- JSON [{kind, message?, status?}]
  estimated INTEGER NOT NULL DEFAULT 0   -- some attempt's usage (so the tokens and cost here) was counted locally
);
CREATE INDEX IF NOT EXISTS calls_started ON calls(started_at);
`;

const attemptsTable = `
CREATE TABLE IF NOT EXISTS attempts (
  id TEXT NOT NULL,
  call_id TEXT NOT NULL,      -- calls.id (not indexed: join on call_pk)
  call_pk INTEGER NOT NULL,   -- calls.pk
  seq INTEGER NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  rung INTEGER NOT NULL,
  kind TEXT NOT NULL,
  outcome TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  cost_usd REAL,
  finish_reason TEXT,
  recovery_steps TEXT,        -- JSON string[]
  error_kind TEXT,
  error_status INTEGER,
  error_message TEXT,         -- NULL in metadata mode
  issues TEXT,                -- JSON validation issues, NULL in metadata mode
  response_text TEXT,         -- redacted; NULL in metadata mode
  estimated INTEGER NOT NULL DEFAULT 0   -- cut short before the provider reported usage: tokens and cost counted locally
);
CREATE UNIQUE INDEX IF NOT EXISTS attempts_call ON attempts(call_pk, seq);
`;

export const schemaSql = `${callsTable}${attemptsTable}
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id TEXT NOT NULL,      -- "" for client-level events (breaker transitions)
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  model TEXT,
  data TEXT                   -- JSON: the event minus callId/ts/type
);
CREATE INDEX IF NOT EXISTS events_call ON events(call_id);
CREATE INDEX IF NOT EXISTS events_type_ts ON events(type, ts);

-- Stable prompt sections (instructions, examples) are identical across a task's calls: stored once, by hash,
-- and referenced from calls.prompt as {"name","role","stable":true,"ref":hash}.
CREATE TABLE IF NOT EXISTS texts (hash TEXT PRIMARY KEY, content TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);

-- calls made as rows of a batch run (ballast batch); added without a version bump: created IF NOT EXISTS on open
CREATE TABLE IF NOT EXISTS batch_rows (call_id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, row_id TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS batch_rows_batch ON batch_rows(batch_id);
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '${SCHEMA_VERSION}');
`;

/** The calls and attempts columns versions 1 to 3 share. */
const CALL_COLUMNS = `id, task, operation, started_at, ended_at, latency_ms, models, model, source, error_kind, fallback, hardcoded, repaired,
  reasked, hedges, attempts, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, temperature,
  frequency_penalty, leak, private_context, prompt, value, prompt_feedback, errors`;
const ATTEMPT_COLUMNS = `model, provider, rung, kind, outcome, started_at, latency_ms, input_tokens, output_tokens, cached_input_tokens,
  cache_write_tokens, reasoning_tokens, cost_usd, finish_reason, recovery_steps, error_kind, error_status, error_message, issues, response_text`;

/**
 * Version 1 -> current: both tables rebuilt in the current layout (calls numbered by start time), attempts
 * renumbered 1..n within their call.
 */
const fromV1 = `
DROP INDEX IF EXISTS calls_started;
DROP INDEX IF EXISTS calls_model;
DROP INDEX IF EXISTS attempts_call;
DROP INDEX IF EXISTS attempts_started;
ALTER TABLE calls RENAME TO calls_v1;
ALTER TABLE attempts RENAME TO attempts_v1;
${callsTable}${attemptsTable}
INSERT INTO calls (${CALL_COLUMNS}) SELECT ${CALL_COLUMNS} FROM calls_v1 ORDER BY started_at, rowid;
INSERT INTO attempts (id, call_id, call_pk, seq, ${ATTEMPT_COLUMNS})
  SELECT a.id, a.call_id, c.pk, ROW_NUMBER() OVER (PARTITION BY c.pk ORDER BY a.seq, a.started_at, a.rowid), ${ATTEMPT_COLUMNS.replace(/(\w+)/g, "a.$1")}
  FROM attempts_v1 a JOIN calls c ON c.id = a.call_id ORDER BY c.pk;
DROP TABLE calls_v1;
DROP TABLE attempts_v1;
`;

/** Version 2 -> 3: the `estimated` flags (0 for what version 2 wrote: it did not record them). */
const fromV2 = `
ALTER TABLE calls ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
`;

const hasTable = (db: TraceDb, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;

/**
 * Creates the schema, or brings an older store up to `SCHEMA_VERSION`, in one immediate transaction (another
 * process opening the same file waits for it). A store written by a newer version is refused.
 */
export function prepareSchema(db: TraceDb): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    const row = hasTable(db, "meta")
      ? (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined)
      : undefined;
    const version = row ? Number(row.value) : null;
    if (version !== null && version > SCHEMA_VERSION) {
      throw new Error(`the trace store was written by a newer Ballast (schema version ${version}; this one knows ${SCHEMA_VERSION})`);
    }
    if (version === 1) db.exec(fromV1);
    else if (version === 2) {
      db.exec(fromV2);
      if (hasTable(db, "rollup_attempts")) db.exec(rollupsFromV2);
    }
    db.exec(schemaSql);
    db.exec(rollupSchemaSql);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION));
    db.exec("COMMIT");
  } catch (error) {
    try {
      db.exec("ROLLBACK");
    } catch {
      // already rolled back by SQLite
    }
    throw error;
  }
}
