/**
 * Tallies of the trace store: calls, attempts and keyed counts per (hour or day, task, model), folded from raw
 * rows by hour. The rollup tables store exactly these tallies (hourly, and daily ones merged from the hours), and
 * the dashboard folds the hours not rolled up yet with the same code, so every path counts alike. Latencies are
 * kept whole (8 bytes each, sorted) so percentiles stay exact.
 */
import type { TraceDb } from "./trace-db.js";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
/** The UTC day `ms` falls in (its first millisecond). */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** Call outcomes of one (hour or day, task, answering model); `model` is "" for calls no model answered. */
export interface CallTally {
  /** Start of the hour (or, for a daily rollup row, the UTC day) the calls started in. */
  at: number;
  task: string;
  model: string;
  calls: number;
  completed: number;
  success: number;
  repaired: number;
  reasked: number;
  fallback: number;
  hardcoded: number;
  errors: number;
  leak_self: number;
  leak_silent: number;
  /**
   * Latency of every completed call (0 when none was recorded), in chunks (one per merged row). Ascending within
   * each chunk once `readTallies` returns them (a raw fold fills its first chunk unsorted).
   */
  latencies: Array<ArrayLike<number>>;
}

/** Attempts of one (hour or day of their call, task, attempt model). */
export interface AttemptTally {
  at: number;
  task: string;
  model: string;
  provider: string;
  attempts: number;
  /** Attempts that ran (neither aborted nor skipped by an open breaker). */
  ran: number;
  /** Attempts that answered schema-valid output (ok or repaired). */
  answered: number;
  /** Attempts that ran and failed at the provider (not an answer, not invalid output). */
  provider_failures: number;
  spend: number;
  unknown_cost: number;
  /** Attempts whose usage (so cost) was counted locally: cut short before the provider reported it. */
  estimated: number;
  input: number;
  cached: number;
  /** Latency of every attempt that ran, in chunks (as `CallTally.latencies`). */
  latencies: Array<ArrayLike<number>>;
}

/**
 * Keyed counts: `first_try` (valid | repaired | invalid | failed), `depth` (rungs a call used), `guard`
 * (private-context outcome), `error` (kind a call rejected with) per call; `recovery` (step), `field`
 * (failing field path), `issue` (validation message) and `outcome` per attempt.
 */
export interface CountTally {
  at: number;
  task: string;
  model: string;
  metric: string;
  key: string;
  n: number;
}

export interface Tallies {
  calls: Map<string, CallTally>;
  attempts: Map<string, AttemptTally>;
  counts: Map<string, CountTally>;
}

export const emptyTallies = (): Tallies => ({ calls: new Map(), attempts: new Map(), counts: new Map() });

interface RawCall {
  pk: number;
  started_at: number;
  task: string;
  model: string;
  ended_at: number | null;
  latency_ms: number | null;
  source: string | null;
  error_kind: string | null;
  leak: string | null;
  fallback: number;
  hardcoded: number;
  repaired: number;
  reasked: number;
  guard: string | null;
}

interface RawAttempt {
  call_pk: number;
  seq: number;
  model: string;
  provider: string;
  rung: number;
  outcome: string;
  latency_ms: number;
  input_tokens: number;
  cached_input_tokens: number;
  cost_usd: number | null;
  estimated: number;
  recovery_steps: string | null;
  issues: string | null;
}

const key3 = (hour: number, task: string, model: string): string => `${hour}\u0000${task}\u0000${model}`;

function callTally(t: Tallies, at: number, task: string, model: string): CallTally {
  const k = key3(at, task, model);
  let c = t.calls.get(k);
  if (!c) {
    c = {
      at,
      task,
      model,
      calls: 0,
      completed: 0,
      success: 0,
      repaired: 0,
      reasked: 0,
      fallback: 0,
      hardcoded: 0,
      errors: 0,
      leak_self: 0,
      leak_silent: 0,
      latencies: [[]],
    };
    t.calls.set(k, c);
  }
  return c;
}

/** The tally of the attempts of `task` on `by`'s model in the period starting `at` (created empty on first use). */
function attemptTally(t: Tallies, at: number, task: string, by: { model: string; provider: string }): AttemptTally {
  const { model, provider } = by;
  const k = key3(at, task, model);
  let a = t.attempts.get(k);
  if (!a) {
    a = {
      at,
      task,
      model,
      provider,
      attempts: 0,
      ran: 0,
      answered: 0,
      provider_failures: 0,
      spend: 0,
      unknown_cost: 0,
      estimated: 0,
      input: 0,
      cached: 0,
      latencies: [[]],
    };
    t.attempts.set(k, a);
  }
  return a;
}

/** Adds `n` to one keyed count. */
export function addCount(t: Tallies, row: Omit<CountTally, "n">, n = 1): void {
  const k = `${key3(row.at, row.task, row.model)}\u0000${row.metric}\u0000${row.key}`;
  const c = t.counts.get(k);
  if (c) c.n += n;
  else t.counts.set(k, { ...row, n });
}

/** Adds a tally (e.g. one read from a rollup table) into `t`. */
export function mergeCall(t: Tallies, row: CallTally): void {
  const c = callTally(t, row.at, row.task, row.model);
  c.calls += row.calls;
  c.completed += row.completed;
  c.success += row.success;
  c.repaired += row.repaired;
  c.reasked += row.reasked;
  c.fallback += row.fallback;
  c.hardcoded += row.hardcoded;
  c.errors += row.errors;
  c.leak_self += row.leak_self;
  c.leak_silent += row.leak_silent;
  for (const chunk of row.latencies) c.latencies.push(chunk);
}

export function mergeAttempt(t: Tallies, row: AttemptTally): void {
  const a = attemptTally(t, row.at, row.task, row);
  a.attempts += row.attempts;
  a.ran += row.ran;
  a.answered += row.answered;
  a.provider_failures += row.provider_failures;
  a.spend += row.spend;
  a.unknown_cost += row.unknown_cost;
  a.estimated += row.estimated;
  a.input += row.input;
  a.cached += row.cached;
  for (const chunk of row.latencies) a.latencies.push(chunk);
}

const fieldOf = (path: unknown): string =>
  Array.isArray(path) && path.length > 0 ? path.map((p) => (typeof p === "number" ? "[]" : `.${String(p)}`)).join("") : "(root)";

function parseList(text: string | null): unknown[] {
  if (text === null || text === "" || text === "[]") return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v : [];
  } catch {
    return []; // a redact hook may have broken the JSON
  }
}

/** A half-open span of time, [from, to), in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/**
 * Folds the calls started in [from, to) and their attempts into `t`, by hour. Calls count as `ballast stats`
 * counts them (success = a model's value as returned or repaired; uptime = answered / ran). `estimated`: the
 * attempts table has its `estimated` column (a store not migrated yet has none).
 */
export function foldRange(db: TraceDb, { from, to }: TimeRange, t: Tallies = emptyTallies(), estimated = true): Tallies {
  const calls = db
    .prepare(
      `SELECT pk, started_at, IFNULL(task, '') AS task, IFNULL(model, '') AS model, ended_at, latency_ms, source, error_kind, leak,
              fallback, hardcoded, repaired, reasked, private_context ->> '$.outcome' AS guard
       FROM calls WHERE started_at >= ? AND started_at < ?`,
    )
    .all(from, to) as RawCall[];
  if (calls.length === 0) return t;
  const attempts = db
    .prepare(
      `SELECT a.call_pk, a.seq, a.model, a.provider, a.rung, a.outcome, a.latency_ms, a.input_tokens, a.cached_input_tokens, a.cost_usd,
              ${estimated ? "a.estimated" : "0 AS estimated"}, a.recovery_steps, a.issues
       FROM attempts a JOIN calls c ON a.call_pk = c.pk WHERE c.started_at >= ? AND c.started_at < ? ORDER BY a.call_pk, a.seq`,
    )
    .all(from, to) as RawAttempt[];
  const byPk = new Map<number, RawCall>();
  for (const c of calls) {
    byPk.set(c.pk, c);
    const hour = hourOf(c.started_at);
    const tally = callTally(t, hour, c.task, c.model);
    tally.calls++;
    if (c.ended_at !== null) {
      tally.completed++;
      (tally.latencies[0] as number[]).push(c.latency_ms ?? 0);
    }
    if (c.source === "model" || c.source === "repaired") tally.success++;
    tally.repaired += c.repaired === 1 ? 1 : 0;
    tally.reasked += c.reasked === 1 ? 1 : 0;
    tally.fallback += c.fallback === 1 ? 1 : 0;
    tally.hardcoded += c.hardcoded === 1 ? 1 : 0;
    if (c.error_kind !== null) {
      tally.errors++;
      addCount(t, { at: hour, task: c.task, model: c.model, metric: "error", key: c.error_kind });
    }
    if (c.leak === "self_reported") tally.leak_self++;
    else if (c.leak === "silent") tally.leak_silent++;
    if (c.guard) addCount(t, { at: hour, task: c.task, model: c.model, metric: "guard", key: c.guard });
  }
  // per call: its first attempt's outcome and the rungs it used
  let current: RawCall | undefined;
  let rungs = new Set<number>();
  const closeCall = (): void => {
    if (current && current.ended_at !== null && rungs.size > 0) {
      addCount(t, { at: hourOf(current.started_at), task: current.task, model: current.model, metric: "depth", key: String(rungs.size) });
    }
    rungs = new Set();
  };
  for (const a of attempts) {
    const c = byPk.get(a.call_pk);
    if (!c) continue;
    if (c !== current) {
      closeCall();
      current = c;
      const first = a.outcome === "ok" ? "valid" : a.outcome === "repaired" ? "repaired" : a.outcome === "invalid" ? "invalid" : "failed";
      addCount(t, { at: hourOf(c.started_at), task: c.task, model: c.model, metric: "first_try", key: first });
    }
    const hour = hourOf(c.started_at);
    const tally = attemptTally(t, hour, c.task, a);
    tally.attempts++;
    const ran = a.outcome !== "aborted" && a.outcome !== "skipped_breaker";
    const answered = a.outcome === "ok" || a.outcome === "repaired";
    if (ran) {
      tally.ran++;
      (tally.latencies[0] as number[]).push(a.latency_ms);
      rungs.add(a.rung);
      if (!answered && a.outcome !== "invalid") tally.provider_failures++;
    }
    if (answered) tally.answered++;
    if (a.cost_usd === null) tally.unknown_cost++;
    else tally.spend += a.cost_usd;
    if (a.estimated === 1) tally.estimated++;
    tally.input += a.input_tokens;
    tally.cached += a.cached_input_tokens;
    const row = { at: hour, task: c.task, model: a.model };
    addCount(t, { ...row, metric: "outcome", key: a.outcome });
    for (const step of parseList(a.recovery_steps)) addCount(t, { ...row, metric: "recovery", key: String(step) });
    for (const issue of parseList(a.issues)) {
      const i = issue as { path?: unknown; message?: unknown };
      addCount(t, { ...row, metric: "field", key: fieldOf(i.path) });
      if (typeof i.message === "string") addCount(t, { ...row, metric: "issue", key: i.message.slice(0, 200) });
    }
  }
  closeCall();
  return t;
}

/** All the values of the chunks in one array, sorted ascending (native numeric sort). */
export function sortedLatencies(chunks: Iterable<ArrayLike<number>>): Float64Array {
  const list = [...chunks];
  const out = new Float64Array(list.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of list) {
    out.set(c, at);
    at += c.length;
  }
  return out.sort();
}

/** Latencies as stored in a rollup row: little-endian float64s. */
export const packLatencies = (chunks: Array<ArrayLike<number>>): Buffer => Buffer.from(sortedLatencies(chunks).buffer);

/** A rollup row's latencies: a view of the blob when it is 8-byte aligned (better-sqlite3's are), else a copy. */
export function unpackLatencies(blob: Uint8Array | null): Float64Array {
  if (!blob || blob.byteLength === 0) return new Float64Array(0);
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / 8);
  const copy = new Float64Array(blob.byteLength / 8);
  new Uint8Array(copy.buffer).set(blob);
  return copy;
}

/** Sorts the chunks a raw fold filled (plain arrays) into ascending Float64Arrays: every chunk is then ascending. */
export function sortRawLatencies(t: Tallies): void {
  const seal = (chunks: Array<ArrayLike<number>>): void => {
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      if (Array.isArray(c)) chunks[i] = Float64Array.from(c).sort();
    }
  };
  for (const c of t.calls.values()) seal(c.latencies);
  for (const a of t.attempts.values()) seal(a.latencies);
}
