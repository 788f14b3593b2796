/**
 * Read-side queries over the trace store, shared by the CLI (`ballast stats|traces|trace`) and the dashboard:
 * aggregate stats with latency percentiles, per-model uptime, call listings and one call's full trace.
 */
import { jaccard, tokenSet } from "../../core/index.js";
import type { TraceDb } from "./trace-db.js";

/**
 * How attempts join their call: by `calls.pk` (schema 2), or by call id in a store an older version wrote and
 * no writer has migrated yet (the CLI opens read-only).
 */
function attemptJoin(db: TraceDb): { on: string; pk: boolean } {
  const pk = db.prepare("SELECT 1 FROM pragma_table_info('attempts') WHERE name = 'call_pk'").get() !== undefined;
  return pk ? { on: "a.call_pk = c.pk", pk } : { on: "a.call_id = c.id", pk };
}

/** True when the store records which usage was estimated (schema 3; an older store read as it is does not). */
const hasEstimated = (db: TraceDb): boolean =>
  db.prepare("SELECT 1 FROM pragma_table_info('attempts') WHERE name = 'estimated'").get() !== undefined;

/** Parses "90s", "30m", "24h", "7d", "2w" or an ISO date into an epoch-ms lower bound. */
export function parseSince(since: string, now = Date.now()): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i.exec(since.trim());
  if (m) {
    const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[m[2]!.toLowerCase() as "s"]!;
    return now - Number(m[1]) * unit;
  }
  const at = Date.parse(since);
  if (Number.isNaN(at)) throw new RangeError(`--since: expected e.g. 24h, 7d, 30m or a date, got "${since}"`);
  return at;
}

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

interface CallRow {
  id: string;
  task: string | null;
  started_at: number;
  ended_at: number | null;
  latency_ms: number | null;
  model: string | null;
  source: string | null;
  error_kind: string | null;
  leak: string | null;
  fallback: number;
  hardcoded: number;
  repaired: number;
  reasked: number;
}

interface AttemptRow {
  call_id: string;
  model: string;
  provider: string;
  outcome: string;
  started_at: number;
  latency_ms: number;
  input_tokens: number;
  cached_input_tokens: number;
  cost_usd: number | null;
  estimated: number;
}

export interface Summary {
  /** Calls started in the window (finished or not). */
  calls: number;
  /** Calls with a recorded end. */
  completed: number;
  /** Dollars over every attempt with a known price. */
  spend_usd: number;
  /** Attempts whose price is unknown (their spend is not in spend_usd). */
  unknown_cost_attempts: number;
  /**
   * Attempts cut short before the provider reported usage: their tokens and cost (in spend_usd) were counted
   * locally, from the request sent and the output streamed so far.
   */
  estimated_cost_attempts: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  /** A model produced the value (as returned or repaired). */
  success_share: number | null;
  /** The value needed JSON recovery. */
  repaired_share: number | null;
  /** At least one re-ask with validation errors. */
  reasked_share: number | null;
  /** The value did not come from the primary model (a fallback model or the hardcoded rung). */
  fallback_share: number | null;
  /** The value came from the hardcoded rung. */
  hardcoded_share: number | null;
  /** The call rejected (no model answered and no fallback, deadline, abort, budget). */
  error_share: number | null;
  /** No end recorded (still running, or the process died). */
  incomplete_share: number | null;
  input_tokens: number;
  cached_input_tokens: number;
  /** Cached share of all input tokens. */
  cached_input_share: number | null;
  /** Private-context leaks: calls where the model said it revealed (self_reported) or the detector caught it (silent). */
  leaks: { self_reported: number; silent: number };
}

export interface ModelStats {
  model: string;
  provider: string;
  attempts: number;
  /** Attempts that answered schema-valid output (ok or repaired). */
  answered: number;
  /** answered / attempts that ran (lost hedges and breaker skips excluded). */
  uptime: number | null;
  breaker_openings: number;
  spend_usd: number;
  p50_ms: number | null;
  cached_input_share: number | null;
}

/** Prompt-cache figures of one task (calls grouped by task name). */
export interface TaskCacheStats {
  task: string;
  calls: number;
  input_tokens: number;
  cached_input_tokens: number;
  /** Cached share of the task's input tokens (every attempt). */
  cached_input_share: number | null;
  /** Calls flagged with a cache-buster (a stable section that changed since the task's recent calls). */
  cache_busters: number;
  /** The sections named by those flags, most frequent first. */
  busted_sections: string[];
  /** Estimated prefix tokens the busters cost, summed over the flagged calls. */
  tokens_lost: number;
}

export interface Stats extends Summary {
  since: number | null;
  breaker_openings: number;
  /** `cache_buster` events in the window. */
  cache_busters: number;
  /** Events the store could not write in the window (busy past its retries, or its buffer full). */
  dropped_events: number;
  /** Per task, most calls first. */
  tasks: TaskCacheStats[];
  models: ModelStats[];
  /** With `by`: the same summary per answering model or per UTC day. */
  groups?: Array<Summary & { key: string }>;
}

function summarize(calls: readonly CallRow[], attempts: readonly AttemptRow[]): Summary {
  const ended = calls.filter((c) => c.ended_at !== null);
  const latencies = ended.map((c) => c.latency_ms ?? 0).sort((a, b) => a - b);
  let spend = 0;
  let unknown = 0;
  let estimated = 0;
  let input = 0;
  let cached = 0;
  for (const a of attempts) {
    if (a.cost_usd === null) unknown++;
    else spend += a.cost_usd;
    if (a.estimated === 1) estimated++;
    input += a.input_tokens;
    cached += a.cached_input_tokens;
  }
  const n = calls.length;
  const count = (f: (c: CallRow) => boolean) => calls.filter(f).length;
  return {
    calls: n,
    completed: ended.length,
    spend_usd: spend,
    unknown_cost_attempts: unknown,
    estimated_cost_attempts: estimated,
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
    p99_ms: percentile(latencies, 99),
    success_share: share(
      count((c) => c.source === "model" || c.source === "repaired"),
      n,
    ),
    repaired_share: share(
      count((c) => c.repaired === 1),
      n,
    ),
    reasked_share: share(
      count((c) => c.reasked === 1),
      n,
    ),
    fallback_share: share(
      count((c) => c.fallback === 1),
      n,
    ),
    hardcoded_share: share(
      count((c) => c.hardcoded === 1),
      n,
    ),
    error_share: share(
      count((c) => c.error_kind !== null),
      n,
    ),
    incomplete_share: share(n - ended.length, n),
    input_tokens: input,
    cached_input_tokens: cached,
    cached_input_share: share(cached, input),
    leaks: { self_reported: count((c) => c.leak === "self_reported"), silent: count((c) => c.leak === "silent") },
  };
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function stats(db: TraceDb, options: { since?: number; by?: "model" | "day"; batch?: string } = {}): Stats {
  const since = options.since ?? 0;
  // --batch: only the calls made as rows of that batch run
  const inBatch = options.batch === undefined ? "" : " AND c.id IN (SELECT call_id FROM batch_rows WHERE batch_id = ?)";
  const params: unknown[] = options.batch === undefined ? [since] : [since, options.batch];
  if (options.batch !== undefined && db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'batch_rows'").get() === undefined) {
    throw new RangeError(`no batch "${options.batch}" in this trace store (it has no batch runs)`);
  }
  const calls = db
    .prepare(
      `SELECT id, task, started_at, ended_at, latency_ms, model, source, error_kind, leak, fallback, hardcoded, repaired, reasked FROM calls c WHERE started_at >= ?${inBatch}`,
    )
    .all(...params) as CallRow[];
  const attempts = db
    .prepare(
      `SELECT a.call_id, a.model, a.provider, a.outcome, a.started_at, a.latency_ms, a.input_tokens, a.cached_input_tokens, a.cost_usd,
              ${hasEstimated(db) ? "a.estimated" : "0 AS estimated"}
       FROM attempts a JOIN calls c ON ${attemptJoin(db).on} WHERE c.started_at >= ?${inBatch}`,
    )
    .all(...params) as AttemptRow[];
  const breakers = db
    .prepare(
      "SELECT model, COUNT(*) AS n FROM events WHERE type = 'breaker' AND ts >= ? AND json_extract(data, '$.to') = 'open' GROUP BY model",
    )
    .all(since) as Array<{ model: string; n: number }>;
  const openings = new Map(breakers.map((b) => [b.model, b.n]));
  const droppedEvents = db
    .prepare("SELECT TOTAL(json_extract(data, '$.events')) AS n FROM events WHERE type = 'trace_dropped' AND ts >= ?")
    .get(since) as { n: number };

  const perModel = new Map<string, AttemptRow[]>();
  for (const a of attempts) {
    const list = perModel.get(a.model) ?? [];
    list.push(a);
    perModel.set(a.model, list);
  }
  for (const m of openings.keys()) if (!perModel.has(m)) perModel.set(m, []);
  const models: ModelStats[] = [...perModel].map(([model, list]) => {
    const ran = list.filter((a) => a.outcome !== "aborted" && a.outcome !== "skipped_breaker");
    const answered = list.filter((a) => a.outcome === "ok" || a.outcome === "repaired").length;
    const input = list.reduce((s, a) => s + a.input_tokens, 0);
    return {
      model,
      provider: list[0]?.provider ?? "",
      attempts: list.length,
      answered,
      uptime: share(answered, ran.length),
      breaker_openings: openings.get(model) ?? 0,
      spend_usd: list.reduce((s, a) => s + (a.cost_usd ?? 0), 0),
      p50_ms: percentile(
        ran.map((a) => a.latency_ms).sort((x, y) => x - y),
        50,
      ),
      cached_input_share: share(
        list.reduce((s, a) => s + a.cached_input_tokens, 0),
        input,
      ),
    };
  });
  models.sort((a, b) => b.attempts - a.attempts || a.model.localeCompare(b.model));

  const tasks = taskCacheStats(db, since, calls, attempts);
  const result: Stats = {
    since: options.since ?? null,
    ...summarize(calls, attempts),
    breaker_openings: breakers.reduce((s, b) => s + b.n, 0),
    cache_busters: tasks.reduce((s, t) => s + t.cache_busters, 0),
    dropped_events: droppedEvents.n,
    tasks,
    models,
  };
  if (options.by) {
    const keyOf =
      options.by === "day" ? (c: CallRow) => dayOf(c.started_at) : (c: CallRow) => c.model ?? (c.error_kind ? "(error)" : "(unfinished)");
    const groups = new Map<string, { calls: CallRow[]; ids: Set<string> }>();
    for (const c of calls) {
      const k = keyOf(c);
      const g = groups.get(k) ?? { calls: [], ids: new Set<string>() };
      g.calls.push(c);
      g.ids.add(c.id);
      groups.set(k, g);
    }
    result.groups = [...groups]
      .map(([key, g]) => ({
        key,
        ...summarize(
          g.calls,
          attempts.filter((a) => g.ids.has(a.call_id)),
        ),
      }))
      .sort((a, b) => (options.by === "day" ? a.key.localeCompare(b.key) : b.calls - a.calls));
  }
  return result;
}

/** Cached-input share and cache-buster counts per task (busters from the `cache_buster` events). */
function taskCacheStats(db: TraceDb, since: number, calls: readonly CallRow[], attempts: readonly AttemptRow[]): TaskCacheStats[] {
  const busters = db
    .prepare(
      `SELECT json_extract(data, '$.task') AS task, json_extract(data, '$.section') AS section, COUNT(*) AS n,
              TOTAL(json_extract(data, '$.tokensLost')) AS lost
       FROM events WHERE type = 'cache_buster' AND ts >= ? GROUP BY task, section ORDER BY n DESC`,
    )
    .all(since) as Array<{ task: string | null; section: string | null; n: number; lost: number }>;
  const byTask = new Map<string, TaskCacheStats>();
  const entry = (task: string): TaskCacheStats => {
    let t = byTask.get(task);
    if (!t) {
      t = {
        task,
        calls: 0,
        input_tokens: 0,
        cached_input_tokens: 0,
        cached_input_share: null,
        cache_busters: 0,
        busted_sections: [],
        tokens_lost: 0,
      };
      byTask.set(task, t);
    }
    return t;
  };
  const taskOf = new Map<string, string>();
  for (const c of calls) {
    const name = c.task ?? "(unnamed)";
    taskOf.set(c.id, name);
    entry(name).calls++;
  }
  for (const a of attempts) {
    const name = taskOf.get(a.call_id);
    if (name === undefined) continue;
    const t = entry(name);
    t.input_tokens += a.input_tokens;
    t.cached_input_tokens += a.cached_input_tokens;
  }
  for (const b of busters) {
    const t = entry(b.task ?? "(unnamed)");
    t.cache_busters += b.n;
    t.tokens_lost += b.lost;
    if (b.section !== null) t.busted_sections.push(b.section);
  }
  for (const t of byTask.values()) t.cached_input_share = share(t.cached_input_tokens, t.input_tokens);
  return [...byTask.values()].sort((a, b) => b.calls - a.calls || a.task.localeCompare(b.task));
}

export interface CallListItem {
  id: string;
  started_at: number;
  task: string | null;
  model: string | null;
  source: string | null;
  error_kind: string | null;
  attempts: number;
  latency_ms: number | null;
  cost_usd: number | null;
  /**
   * The index of the model rung whose answer is the value (0 = the first model); null for a hardcoded
   * `fallback` value, a rejected call or one still running. With `source`, the same words as the API result.
   */
  rung: number | null;
  reasked: number;
}

/** Newest first. `failed`: the models did not deliver (hardcoded value, rejected, or no end recorded). `model`: answered by or attempted on it. */
export function listCalls(db: TraceDb, options: { failed?: boolean; model?: string; since?: number; limit?: number } = {}): CallListItem[] {
  const where = ["c.started_at >= @since"];
  if (options.failed) where.push("(c.hardcoded = 1 OR c.error_kind IS NOT NULL OR c.ended_at IS NULL)");
  if (options.model) where.push(`(c.model = @model OR EXISTS (SELECT 1 FROM attempts a WHERE ${attemptJoin(db).on} AND a.model = @model))`);
  return db
    .prepare(
      `SELECT c.id, c.started_at, c.task, c.model, c.source, c.error_kind, c.attempts, c.latency_ms, c.cost_usd,
         CASE WHEN c.source IN ('model', 'repaired') THEN (SELECT a.rung FROM attempts a WHERE ${attemptJoin(db).on}
           AND a.model = c.model AND a.outcome IN ('ok', 'repaired') ORDER BY a.rung DESC LIMIT 1) END AS rung,
         c.reasked
       FROM calls c WHERE ${where.join(" AND ")} ORDER BY c.started_at DESC LIMIT @limit`,
    )
    .all({ since: options.since ?? 0, model: options.model ?? null, limit: options.limit ?? 50 }) as CallListItem[];
}

export interface CallTrace {
  call: Record<string, unknown>;
  attempts: Array<Record<string, unknown>>;
  events: Array<Record<string, unknown>>;
}

/** Ids of the calls whose id starts with `prefix` (at most `limit`): how a CLI names an ambiguous prefix's candidates. */
export function callIdsWithPrefix(db: TraceDb, prefix: string, limit = 10): string[] {
  const rows = db
    .prepare("SELECT id FROM calls WHERE id LIKE ? ESCAPE '\\' ORDER BY started_at DESC LIMIT ?")
    .all(`${prefix.replace(/[\\%_]/g, "\\$&")}%`, limit) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/** One call with its attempts and events; `id` may be a unique prefix. Null when not found (or ambiguous). */
export function getCall(db: TraceDb, id: string): CallTrace | null {
  let call = db.prepare("SELECT * FROM calls WHERE id = ?").get(id) as Record<string, unknown> | undefined;
  if (!call) {
    const matches = db.prepare("SELECT * FROM calls WHERE id LIKE ? ESCAPE '\\' LIMIT 2").all(`${id.replace(/[\\%_]/g, "\\$&")}%`) as Array<
      Record<string, unknown>
    >;
    if (matches.length !== 1) return null;
    call = matches[0]!;
  }
  const parse = (row: Record<string, unknown>, keys: string[]) => {
    for (const k of keys) {
      if (typeof row[k] !== "string") continue;
      try {
        row[k] = JSON.parse(row[k] as string);
      } catch {
        // a redact hook may have broken the JSON: keep the text
      }
    }
    return row;
  };
  parse(call, ["models", "prompt", "value", "errors", "private_context"]);
  call.estimated ??= 0; // a store older than the flag: nothing was recorded as estimated
  if (Array.isArray(call.prompt)) {
    const lookup = db.prepare("SELECT content FROM texts WHERE hash = ?");
    call.prompt = (call.prompt as Array<Record<string, unknown>>).map(({ ref, ...section }) =>
      typeof ref === "string" ? { ...section, content: (lookup.get(ref) as { content: string } | undefined)?.content ?? null } : section,
    );
  }
  const join = attemptJoin(db);
  const attempts = (
    join.pk
      ? (db.prepare("SELECT * FROM attempts WHERE call_pk = ? ORDER BY seq").all(call.pk) as Array<Record<string, unknown>>)
      : (db.prepare("SELECT * FROM attempts WHERE call_id = ? ORDER BY seq").all(call.id) as Array<Record<string, unknown>>)
  ).map(({ call_pk: _, ...a }) => {
    a.estimated ??= 0;
    return parse(a, ["recovery_steps", "issues"]);
  });
  delete call.pk; // the store's own row number
  const events = (
    db.prepare("SELECT ts, type, model, data FROM events WHERE call_id = ? ORDER BY seq").all(call.id) as Array<Record<string, unknown>>
  ).map((e) => parse(e, ["data"]));
  return { call, attempts, events };
}

/** One group of similar prompt-feedback texts of a task. */
export interface FeedbackCluster {
  /** The most typical text of the group (its medoid). */
  text: string;
  count: number;
  /** Distinct wordings in the group. */
  variants: number;
  /** Up to three example call ids, newest first. */
  examples: string[];
  last_seen: number;
}

export interface TaskFeedback {
  task: string;
  /** Calls of the task in the window. */
  calls: number;
  /** Calls whose model left prompt feedback. */
  with_feedback: number;
  /** Most frequent complaint first. */
  clusters: FeedbackCluster[];
}

/**
 * Prompt feedback per task (template), similar complaints clustered by token-set similarity (Jaccard over
 * normalised words, >= `similarity`, default 0.5), most frequent first, with example calls.
 */
export function promptFeedback(
  db: TraceDb,
  options: {
    task?: string;
    since?: number;
    similarity?: number;
    top?: number;
    /** Calls per task in the window when the caller knows them (the dashboard, from its rollups): no count query. */
    callsPerTask?: ReadonlyMap<string, number>;
  } = {},
): TaskFeedback[] {
  const since = options.since ?? 0;
  const threshold = options.similarity ?? 0.5;
  const taskFilter = options.task !== undefined ? " AND task = @task" : "";
  const params = { since, task: options.task ?? null };
  const counts = options.callsPerTask
    ? [...options.callsPerTask].filter(([task]) => options.task === undefined || task === options.task).map(([task, n]) => ({ task, n }))
    : (db
        .prepare(`SELECT COALESCE(task, '') AS task, COUNT(*) AS n FROM calls WHERE started_at >= @since${taskFilter} GROUP BY task`)
        .all(params) as Array<{ task: string; n: number }>);
  const rows = db
    .prepare(
      `SELECT id, COALESCE(task, '') AS task, prompt_feedback AS text, started_at FROM calls WHERE started_at >= @since AND prompt_feedback IS NOT NULL AND prompt_feedback != ''${taskFilter} ORDER BY started_at DESC`,
    )
    .all(params) as Array<{ id: string; task: string; text: string; started_at: number }>;
  // the same complaint recurs word for word: its word set is made once
  const wordSets = new Map<string, Set<string>>();
  const wordsOf = (text: string): Set<string> => {
    let words = wordSets.get(text);
    if (words === undefined) wordSets.set(text, (words = tokenSet(text)));
    return words;
  };
  const out: TaskFeedback[] = [];
  for (const { task, n } of counts) {
    const mine = rows.filter((r) => r.task === task);
    if (mine.length === 0) continue;
    const groups: Array<{ words: Set<string>; rows: typeof mine }> = [];
    for (const row of mine) {
      const words = wordsOf(row.text);
      let best: (typeof groups)[number] | undefined;
      let bestSim = threshold;
      for (const g of groups) {
        const s = jaccard(words, g.words);
        if (s >= bestSim) [best, bestSim] = [g, s];
      }
      if (best) best.rows.push(row);
      else groups.push({ words, rows: [row] });
    }
    const clusters = groups.map((g) => {
      // the medoid of the newest MEDOID_SAMPLE texts: the whole group would cost its size squared
      const sets = g.rows.slice(0, MEDOID_SAMPLE).map((r) => wordsOf(r.text));
      let medoid = 0;
      let medoidScore = -1;
      sets.forEach((s, i) => {
        const score = sets.reduce((sum, o) => sum + jaccard(s, o), 0);
        if (score > medoidScore) [medoid, medoidScore] = [i, score];
      });
      return {
        text: g.rows[medoid]!.text,
        count: g.rows.length,
        variants: new Set(g.rows.map((r) => r.text.trim().toLowerCase())).size,
        examples: g.rows.slice(0, 3).map((r) => r.id),
        last_seen: g.rows[0]!.started_at,
      };
    });
    clusters.sort((a, b) => b.count - a.count || b.last_seen - a.last_seen);
    out.push({ task, calls: n, with_feedback: mine.length, clusters: options.top ? clusters.slice(0, options.top) : clusters });
  }
  return out.sort((a, b) => b.with_feedback - a.with_feedback);
}

const MEDOID_SAMPLE = 200;
