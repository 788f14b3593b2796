/**
 * The rollup tables, at two levels: per hour (`rollup_*`, keyed by `hour`) and per UTC day (`rollup_*_daily`,
 * keyed by `day`, merged from the hours), with the same columns (see tally.ts for what each counts), and the
 * progress marks in `meta`. Also the partial indexes the dashboard's lists of calls read.
 */

/** One level of rollup tables: their names and the column holding the start of the period a row covers. */
export interface RollupLevel {
  calls: string;
  attempts: string;
  counts: string;
  period: "hour" | "day";
}

export const HOURLY: RollupLevel = { calls: "rollup_calls", attempts: "rollup_attempts", counts: "rollup_counts", period: "hour" };
export const DAILY: RollupLevel = {
  calls: "rollup_calls_daily",
  attempts: "rollup_attempts_daily",
  counts: "rollup_counts_daily",
  period: "day",
};

const levelSql = (l: RollupLevel): string => `
CREATE TABLE IF NOT EXISTS ${l.calls} (
  ${l.period} INTEGER NOT NULL, task TEXT NOT NULL, model TEXT NOT NULL,
  calls INTEGER NOT NULL, completed INTEGER NOT NULL, success INTEGER NOT NULL, repaired INTEGER NOT NULL, reasked INTEGER NOT NULL,
  fallback INTEGER NOT NULL, hardcoded INTEGER NOT NULL, errors INTEGER NOT NULL, leak_self INTEGER NOT NULL, leak_silent INTEGER NOT NULL,
  latencies BLOB,             -- float64 little-endian, ascending
  PRIMARY KEY (${l.period}, task, model)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${l.attempts} (
  ${l.period} INTEGER NOT NULL, task TEXT NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL,
  attempts INTEGER NOT NULL, ran INTEGER NOT NULL, answered INTEGER NOT NULL, provider_failures INTEGER NOT NULL,
  spend REAL NOT NULL, unknown_cost INTEGER NOT NULL, input INTEGER NOT NULL, cached INTEGER NOT NULL, latencies BLOB,
  estimated INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (${l.period}, task, model)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${l.counts} (
  ${l.period} INTEGER NOT NULL, task TEXT NOT NULL, model TEXT NOT NULL, metric TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (metric, ${l.period}, task, model, key)
) WITHOUT ROWID;
`;

/** Created when missing, on every open for writing (after the migrations of schema.ts). */
export const rollupSchemaSql = `${levelSql(HOURLY)}${levelSql(DAILY)}
-- the dashboard's lists of calls with prompt feedback (covering: no visit of the wide call rows) or a private context
CREATE INDEX IF NOT EXISTS calls_feedback_text ON calls(started_at, task, id, prompt_feedback) WHERE prompt_feedback IS NOT NULL;
CREATE INDEX IF NOT EXISTS calls_private ON calls(started_at) WHERE private_context IS NOT NULL;
-- hours before rollup_until are in the hourly tables, days before rollup_days_until in the daily ones
INSERT OR IGNORE INTO meta(key, value) VALUES ('rollup_until', '0');
INSERT OR IGNORE INTO meta(key, value) VALUES ('rollup_days_until', '0');
`;

/**
 * Version 2 -> 3 of the rollups, when the store has them: attempts count the estimated ones (none before: version
 * 2 did not record the flag), and the prompt-feedback index becomes a covering one.
 */
export const rollupsFromV2 = `
ALTER TABLE rollup_attempts ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
DROP INDEX IF EXISTS calls_feedback;
`;
