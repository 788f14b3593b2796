/**
 * The trace store's SQLite schema: one row per call, one per attempt, and a generic `events` table for the
 * rest of the stream (hedges, breaker moves, leaks, prompt feedback, cache-busters, re-asks, fallbacks, warnings).
 */
export const SCHEMA_VERSION = 1;

export const schemaSql = `
CREATE TABLE IF NOT EXISTS calls (
  id TEXT PRIMARY KEY,
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
  errors TEXT                 -- JSON [{kind, message?, status?}]
);
CREATE INDEX IF NOT EXISTS calls_started ON calls(started_at);
CREATE INDEX IF NOT EXISTS calls_model ON calls(model);

CREATE TABLE IF NOT EXISTS attempts (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
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
  response_text TEXT          -- redacted; NULL in metadata mode
);
CREATE INDEX IF NOT EXISTS attempts_call ON attempts(call_id);
CREATE INDEX IF NOT EXISTS attempts_started ON attempts(started_at);

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
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '${SCHEMA_VERSION}');
`;
