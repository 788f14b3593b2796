/**
 * The rows the trace writer stores, as objects named by their columns, and the pure functions that build them
 * from events: a whole call row from what one batch gathered of a call, the columns a call's end or failure
 * decides, one attempt row. The texts come redacted from the call's `CallTexts`; nothing here touches SQL.
 */
import type { BallastEvent } from "../../core/index.js";
import type { CallTexts, StoredError } from "./stored-texts.js";

export type CallStart = Extract<BallastEvent, { type: "call_start" }>;
export type CallEnd = Extract<BallastEvent, { type: "call_end" }>;
export type CallError = Extract<BallastEvent, { type: "call_error" }>;
export type Attempt = Extract<BallastEvent, { type: "attempt_end" }>["attempt"];
type CallResult = CallEnd["result"];

/** A call whose call_start is in the current batch: everything the batch says about it, written once. */
export interface GatheredCall {
  start: CallStart;
  attempts: Attempt[];
  hedges: number;
  reasked: number;
  fallback: number;
  leak: string | null;
  feedback: string | null;
  end: CallEnd | CallError | null;
}

export const gatherCall = (start: CallStart): GatheredCall => ({
  start,
  attempts: [],
  hedges: 0,
  reasked: 0,
  fallback: 0,
  leak: null,
  feedback: null,
  end: null,
});

/** One `calls` row (see schema.ts for what each column means). */
export interface CallRow {
  id: string;
  task: string;
  operation: string;
  started_at: number;
  ended_at: number | null;
  latency_ms: number | null;
  models: string;
  model: string | null;
  source: string | null;
  error_kind: string | null;
  fallback: number;
  hardcoded: number;
  repaired: number;
  reasked: number;
  hedges: number;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number | null;
  temperature: number | null;
  frequency_penalty: number | null;
  leak: string | null;
  private_context: string | null;
  prompt: string | null;
  value: string | null;
  prompt_feedback: string | null;
  errors: string | null;
  /** 1 when some attempt's usage was counted locally (so the call's tokens and cost include an estimate). */
  estimated: number;
}

/** The `calls` columns, in table order. */
export const CALL_COLUMNS = [
  "id",
  "task",
  "operation",
  "started_at",
  "ended_at",
  "latency_ms",
  "models",
  "model",
  "source",
  "error_kind",
  "fallback",
  "hardcoded",
  "repaired",
  "reasked",
  "hedges",
  "attempts",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_usd",
  "temperature",
  "frequency_penalty",
  "leak",
  "private_context",
  "prompt",
  "value",
  "prompt_feedback",
  "errors",
  "estimated",
] as const satisfies ReadonlyArray<keyof CallRow>;

/** One `attempts` row. */
export interface AttemptRow {
  id: string;
  call_id: string;
  call_pk: number;
  seq: number;
  model: string;
  provider: string;
  rung: number;
  kind: string;
  outcome: string;
  started_at: number;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number | null;
  finish_reason: string | null;
  recovery_steps: string;
  error_kind: string | null;
  error_status: number | null;
  error_message: string | null;
  issues: string | null;
  response_text: string | null;
  /** 1 when the attempt was cut short and its usage (so its cost) was counted locally. */
  estimated: number;
}

/** The `attempts` columns, in table order. */
export const ATTEMPT_COLUMNS = [
  "id",
  "call_id",
  "call_pk",
  "seq",
  "model",
  "provider",
  "rung",
  "kind",
  "outcome",
  "started_at",
  "latency_ms",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_usd",
  "finish_reason",
  "recovery_steps",
  "error_kind",
  "error_status",
  "error_message",
  "issues",
  "response_text",
  "estimated",
] as const satisfies ReadonlyArray<keyof AttemptRow>;

// Every field of a row type is a column: a field added to one but not the other fails to compile here.
type Unlisted<Row, Columns extends ReadonlyArray<keyof Row>> = Exclude<keyof Row, Columns[number]>;
const everyColumnListed: [Unlisted<CallRow, typeof CALL_COLUMNS>, Unlisted<AttemptRow, typeof ATTEMPT_COLUMNS>] extends [never, never]
  ? true
  : false = true;
void everyColumnListed;

/** What a call_end decides of a call whose row an earlier batch wrote. */
export interface CallEndRow {
  pk: number;
  ended_at: number;
  latency_ms: number;
  task: string;
  model: string;
  attempts: number;
  source: string;
  fallback: number;
  hardcoded: number;
  repaired: number;
  reasked: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number | null;
  private_context: string | null;
  value: string | null;
  prompt_feedback: string | null;
  errors: string;
  estimated: number;
}

/** What a call_error decides of a call whose row an earlier batch wrote. */
export interface CallFailRow {
  pk: number;
  ended_at: number;
  latency_ms: number;
  task: string;
  error_kind: string;
  attempts: number;
  reasked: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number | null;
  errors: string;
  estimated: number;
}

/** Where an attempt row goes: its call (id and row) and its sequence number within the call. */
export interface AttemptPlace {
  callId: string;
  pk: number;
  seq: number;
}

const EMPTY = "[]";

export function attemptRow(a: Attempt, at: AttemptPlace, texts: CallTexts): AttemptRow {
  const u = a.usage;
  const err = a.error;
  return {
    id: a.id,
    call_id: at.callId,
    call_pk: at.pk,
    seq: at.seq,
    model: a.model,
    provider: a.provider,
    rung: a.rung,
    kind: a.kind,
    outcome: a.outcome,
    started_at: a.startedAt,
    latency_ms: a.latencyMs,
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cached_input_tokens: u.cachedInputTokens,
    cache_write_tokens: u.cacheWriteTokens,
    reasoning_tokens: u.reasoningTokens,
    cost_usd: a.costUsd,
    finish_reason: a.finishReason ?? null,
    recovery_steps: a.recoverySteps && a.recoverySteps.length > 0 ? JSON.stringify(a.recoverySteps) : EMPTY,
    error_kind: err?.kind ?? null,
    error_status: err?.status ?? null,
    error_message: texts.text(err?.message),
    issues: err?.issues ? texts.json(err.issues) : null,
    response_text: texts.text(a.responseText),
    estimated: a.estimated === true ? 1 : 0,
  };
}

/** Attempt ids are "<call id>.<n>": the number is the sequence; null for an id of another form. */
export function seqOf(callId: string, id: string): number | null {
  const n = id.startsWith(callId) && id.charCodeAt(callId.length) === 46 ? Number(id.slice(callId.length + 1)) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

export const reaskedIn = (attempts: readonly Attempt[]): number => (attempts.some((a) => a.kind === "reask") ? 1 : 0);
const estimatedIn = (attempts: readonly Attempt[]): number => (attempts.some((a) => a.estimated === true) ? 1 : 0);

/** The rung of the attempt that produced the value (the last valid one of the answering model); -1 if none. */
function winnerRung(attempts: readonly Attempt[], model: string): number {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const a = attempts[i]!;
    if ((a.outcome === "ok" || a.outcome === "repaired") && a.model === model) return a.rung;
  }
  return -1;
}

/** The columns a call_end decides, whichever path writes them. */
function endColumns(r: CallResult, texts: CallTexts) {
  const hardcoded = r.source === "fallback" ? 1 : 0;
  return {
    fallback: hardcoded === 1 || winnerRung(r.attempts, r.model) > 0 ? 1 : 0,
    hardcoded,
    repaired: r.source === "repaired" ? 1 : 0,
    privateContext: r.privateContext === undefined ? null : JSON.stringify(r.privateContext),
    value: texts.json(r.value),
    feedback: texts.text(r.promptFeedback ?? null),
    errors: texts.errors(r.errors),
  };
}

/** A failed call's errors: every attempt's, then the call's own. */
function failureErrors(e: CallError, texts: CallTexts): string {
  const failures: StoredError[] = [];
  for (const a of e.attempts) if (a.error) failures.push(a.error);
  failures.push(e.error);
  return texts.errors(failures);
}

/**
 * The whole row of a call whose call_start is in the batch: ended when its end is in the batch too, else as it
 * stands (a running call).
 */
export function gatheredCallRow(g: GatheredCall, texts: CallTexts): CallRow {
  const s = g.start;
  const row: CallRow = {
    id: s.callId,
    task: s.task,
    operation: s.operation,
    started_at: s.ts,
    ended_at: null,
    latency_ms: null,
    models: texts.models(s.models),
    model: null,
    source: null,
    error_kind: null,
    fallback: g.fallback,
    hardcoded: 0,
    repaired: 0,
    reasked: g.reasked || reaskedIn(g.attempts),
    hedges: g.hedges,
    attempts: g.attempts.length,
    input_tokens: 0,
    output_tokens: 0,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: null,
    temperature: s.sampling.temperature ?? null,
    frequency_penalty: s.sampling.frequencyPenalty ?? null,
    leak: g.leak,
    private_context: null,
    prompt: texts.prompt(s.sections), // before the value, which the response texts written next often repeat
    value: null,
    prompt_feedback: g.feedback,
    errors: null,
    estimated: estimatedIn(g.attempts),
  };
  const end = g.end;
  if (end === null) return row;
  row.ended_at = end.ts;
  if (end.type === "call_end") {
    const r = end.result;
    const c = endColumns(r, texts);
    row.latency_ms = r.latencyMs;
    row.model = r.model;
    row.source = r.source;
    row.hardcoded = c.hardcoded;
    row.fallback = Math.max(row.fallback, c.fallback);
    row.repaired = c.repaired;
    row.attempts = Math.max(row.attempts, r.attempts.length);
    row.reasked = Math.max(row.reasked, reaskedIn(r.attempts));
    setUsage(row, r.usage, r.costUsd);
    row.estimated = Math.max(row.estimated, estimatedIn(r.attempts));
    row.private_context = c.privateContext;
    row.value = c.value;
    row.prompt_feedback = c.feedback ?? row.prompt_feedback;
    row.errors = c.errors;
  } else {
    row.latency_ms = end.latencyMs;
    row.error_kind = end.error.kind;
    row.attempts = Math.max(row.attempts, end.attempts.length);
    row.reasked = Math.max(row.reasked, reaskedIn(end.attempts));
    setUsage(row, end.usage, end.costUsd);
    row.estimated = Math.max(row.estimated, estimatedIn(end.attempts));
    row.errors = failureErrors(end, texts);
  }
  return row;
}

function setUsage(row: CallRow, u: CallResult["usage"], cost: number | null): void {
  row.input_tokens = u.inputTokens;
  row.output_tokens = u.outputTokens;
  row.cached_input_tokens = u.cachedInputTokens;
  row.cache_write_tokens = u.cacheWriteTokens;
  row.reasoning_tokens = u.reasoningTokens;
  row.cost_usd = cost;
}

/** The end of a call whose row is stored already (`pk`). */
export function callEndRow(e: CallEnd, pk: number, texts: CallTexts): CallEndRow {
  const r = e.result;
  const u = r.usage;
  const c = endColumns(r, texts);
  return {
    pk,
    ended_at: e.ts,
    latency_ms: r.latencyMs,
    task: e.task,
    model: r.model,
    attempts: r.attempts.length,
    source: r.source,
    fallback: c.fallback,
    hardcoded: c.hardcoded,
    repaired: c.repaired,
    reasked: reaskedIn(r.attempts),
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cached_input_tokens: u.cachedInputTokens,
    cache_write_tokens: u.cacheWriteTokens,
    reasoning_tokens: u.reasoningTokens,
    cost_usd: r.costUsd,
    private_context: c.privateContext,
    value: c.value,
    prompt_feedback: c.feedback,
    errors: c.errors,
    estimated: estimatedIn(r.attempts),
  };
}

/** The failure of a call whose row is stored already (`pk`). */
export function callFailRow(e: CallError, pk: number, texts: CallTexts): CallFailRow {
  const u = e.usage;
  return {
    pk,
    ended_at: e.ts,
    latency_ms: e.latencyMs,
    task: e.task,
    error_kind: e.error.kind,
    attempts: e.attempts.length,
    reasked: reaskedIn(e.attempts),
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cached_input_tokens: u.cachedInputTokens,
    cache_write_tokens: u.cacheWriteTokens,
    reasoning_tokens: u.reasoningTokens,
    cost_usd: e.costUsd,
    errors: failureErrors(e, texts),
    estimated: estimatedIn(e.attempts),
  };
}
