/**
 * One provider call and what it produced: timeout wired to an AbortSignal (the socket really closes),
 * then recovery and validation of the reply. Returns a settled outcome, never throws.
 */
import {
  type AttemptRecord,
  type ValidationIssue,
  type LanguageModel,
  type ModelChoice,
  type ModelRequest,
  type Usage,
  emptyUsage,
} from "../core/index.js";
import {
  BallastError,
  ContentFilterError,
  InvalidOutputError,
  RateLimitedError,
  ProviderHttpError,
  ConfigurationError,
  DeadlineExceededError,
  ValidatorError,
  RefusalError,
  TimeoutError,
  TruncatedError,
} from "../errors/index.js";
import { attemptCost } from "../observe/index.js";
import { recover } from "../recovery/index.js";
import type { Validation } from "../schema/index.js";
import type { CallContext } from "./call-context.js";
import { modelKey } from "./model-key.js";
import type { Cancel } from "./cancel.js";
import { estimateCutUsage, type SentSoFar } from "./estimate-usage.js";
import { reportOmitted } from "./omitted-parameters.js";

export type AttemptResult<T> =
  | {
      ok: true;
      value: T;
      repaired: boolean;
      record: AttemptRecord;
      text: string;
      extras: Record<string, unknown>;
      /** With `n` > 1: every choice that fit the schema (the value is the first), and how many did not. */
      samples?: T[];
      invalidSamples?: number;
    }
  | { ok: false; error: BallastError; record: AttemptRecord; text?: string };

const OUTCOME: Record<string, AttemptRecord["outcome"]> = {
  timeout: "timeout",
  deadline_exceeded: "deadline",
  aborted: "aborted",
  rate_limited: "rate_limited",
  provider_http: "http_error",
  connection: "connection_error",
  invalid_output: "invalid",
  refusal: "refusal",
  truncated: "truncated",
  content_filter: "content_filter",
};

/** Where an attempt runs: its model, its rung, what kind of attempt it is, and the rung's Cancel. */
export interface AttemptSlot {
  model: LanguageModel;
  rung: number;
  kind: AttemptRecord["kind"];
  cancel: Cancel;
}

export async function runAttempt<T>(ctx: CallContext<T>, slot: AttemptSlot, followUp: ModelRequest["followUp"]): Promise<AttemptResult<T>> {
  const { model } = slot;
  const { record, controller, close } = openAttempt(ctx, slot);
  let result: AttemptResult<T>;
  try {
    if (followUp) noteSent(record, { followUp });
    const request = attemptRequest(ctx, controller.signal, followUp);
    const response = await (ctx.scope ? ctx.scope(record.id, () => model.generate(request)) : model.generate(request));
    record.usage = response.usage;
    record.responseModel = response.modelId;
    if (response.requestId) record.responseId = response.requestId;
    const choice = response.choices[0]!;
    record.finishReason = choice.finishReason;
    record.responseText = choice.text;
    result = await interpret(ctx, choice, record);
    if (response.choices.length > 1) result = await interpretSamples(ctx, response.choices, result, record);
  } catch (err) {
    const error = err instanceof BallastError ? err : new ProviderHttpError(502, String(err), undefined, { cause: err });
    result = { ok: false, error, record };
  } finally {
    close();
  }
  finishAttempt(ctx, model, record, result);
  return result;
}

export interface OpenAttempt {
  /** 1-based position in the call's attempts. */
  number: number;
  record: AttemptRecord;
  /** Aborted by the rung's Cancel or by the attempt's timeout (min of timeoutMs and the deadline left). Its signal goes to the SDK. */
  controller: AbortController;
  timeoutMs: number;
  /** Clears the timer and the rung listener. */
  close(): void;
}

/**
 * Starts an attempt: its record (pushed, `attempt_start` emitted) and an AbortController that the rung's
 * Cancel and the attempt's timeout both abort. Shared by whole-reply and streamed attempts.
 */
export function openAttempt<T>(ctx: CallContext<T>, { model, rung, kind, cancel: rungCancel }: AttemptSlot): OpenAttempt {
  const number = ctx.attempts.length + 1;
  const id = `${ctx.callId}.${number}`;
  reportOmitted(ctx, model);
  const startedAt = ctx.now();
  const left = ctx.deadlineAt - startedAt;
  const timeoutMs = Math.max(1, Math.min(ctx.timeoutMs, left));
  const record: AttemptRecord = {
    id,
    model: model.modelId,
    provider: model.provider,
    rung,
    kind,
    outcome: "error",
    startedAt,
    latencyMs: 0,
    usage: emptyUsage(),
    costUsd: null,
    recoverySteps: [],
  };
  ctx.attempts.push(record);
  ctx.emit?.({
    type: "attempt_start",
    callId: ctx.callId,
    ts: startedAt,
    attemptId: id,
    model: model.modelId,
    provider: model.provider,
    rung,
    kind,
  });

  const controller = new AbortController();
  const off = rungCancel.onAbort((reason) => controller.abort(reason));
  // A timer clamped to the deadline cuts the attempt for the deadline: it says so (and, having held the rest
  // of the call, still counts against the model's breaker, so a model hanging past short deadlines trips it).
  const cut = () =>
    controller.abort(
      ctx.timeoutMs < left ? new TimeoutError(timeoutMs, model.modelId) : new DeadlineExceededError(ctx.deadlineMs, { attemptTimer: true }),
    );
  const timer = setTimeout(cut, timeoutMs);
  const close = () => {
    clearTimeout(timer);
    off();
  };
  return { number, record, controller, timeoutMs, close };
}

/** The provider request of an attempt: the call's prompt, schema (none for free text) and sampling. */
export function attemptRequest<T>(ctx: CallContext<T>, signal: AbortSignal, followUp: ModelRequest["followUp"]): ModelRequest {
  // One shape for every request (unset fields undefined): providers read them with `??` and truthiness.
  return {
    sections: ctx.sections,
    output: ctx.output,
    mode: ctx.mode,
    sampling: ctx.sampling,
    signal,
    headers: ctx.headers,
    cache: ctx.cache,
    followUp,
  };
}

/** The output a task's requests ask for: its schema under a provider-safe name (none for free text). */
export function outputOf<T>(task: string, schema: CallContext<T>["schema"]): ModelRequest["output"] {
  return schema.freeText ? null : { name: task.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "answer", schema: schema.wire };
}

/**
 * `n` choices from one request: each is recovered and validated on its own; the attempt succeeds with the
 * first valid one as its value and all valid ones as samples, or fails as the first choice did.
 */
async function interpretSamples<T>(
  ctx: CallContext<T>,
  choices: readonly ModelChoice[],
  first: AttemptResult<T>,
  record: AttemptRecord,
): Promise<AttemptResult<T>> {
  // Every choice shares the attempt's record: keep each one's recovery steps and restore the winner's.
  const results: Array<{ result: AttemptResult<T>; steps: string[] }> = [{ result: first, steps: record.recoverySteps }];
  for (const choice of choices.slice(1)) {
    record.recoverySteps = [];
    const result = await interpret(ctx, choice, record);
    results.push({ result, steps: record.recoverySteps });
  }
  const valid = results.filter((r): r is { result: Extract<AttemptResult<T>, { ok: true }>; steps: string[] } => r.result.ok);
  const winner = valid[0];
  record.recoverySteps = (winner ?? results[0]!).steps;
  if (!winner) return first;
  return { ...winner.result, samples: valid.map((r) => r.result.value), invalidSamples: results.length - valid.length };
}

async function interpret<T>(
  ctx: CallContext<T>,
  { text, finishReason, refusal }: ModelChoice,
  record: AttemptRecord,
): Promise<AttemptResult<T>> {
  if (finishReason === "refusal") return { ok: false, error: new RefusalError(refusal ?? text), record, text };
  if (finishReason === "content_filter") return { ok: false, error: new ContentFilterError(), record, text };
  if (ctx.schema.freeText) {
    // Prose is not parsed; a reply cut by the token limit is still usable prose.
    const checked = await checkValue(ctx, text);
    if (!checked.ok) return { ok: false, error: new InvalidOutputError(checked.issues, text.slice(0, 2000)), record, text };
    return { ok: true, value: checked.value, repaired: false, record, text, extras: {} };
  }
  if (finishReason !== "length") {
    // Fast path: a reply that parses and validates as written needs no recovery pass at all.
    const checking = parseAndCheck(ctx, text);
    const direct = checking instanceof Promise ? await checking : checking;
    if (direct) return { ok: true, value: direct.value, repaired: false, record, text, extras: direct.extras };
  }
  const recovered = recover(text, { schema: ctx.schema.wire });
  record.recoverySteps = recovered.steps;
  if (recovered.steps.length)
    ctx.emit?.({ type: "recovery", callId: ctx.callId, ts: ctx.now(), attemptId: record.id, steps: recovered.steps });
  if (!recovered.ok) {
    if (finishReason === "length") return { ok: false, error: new TruncatedError(text.slice(0, 2000)), record, text };
    return {
      ok: false,
      error: new InvalidOutputError(await issuesOf(ctx, text, recovered.error), text.slice(0, 2000), recovered.steps),
      record,
      text,
    };
  }
  // A reply cut by the token limit may parse after repair but has lost content: never accept it.
  if (finishReason === "length") return { ok: false, error: new TruncatedError(text.slice(0, 2000)), record, text };
  const extras = ctx.schema.takeExtras(recovered.value);
  const checked = await checkValue(ctx, recovered.value);
  if (!checked.ok) return { ok: false, error: new InvalidOutputError(checked.issues, text.slice(0, 2000), recovered.steps), record, text };
  return { ok: true, value: checked.value, repaired: recovered.steps.length > 0, record, text, extras };
}

/**
 * The caller's validator on a value. An exception from it (a bug in a transform, say) is the caller's, not
 * the model's: it becomes a ValidatorError with the exception as its cause, which ends the call.
 */
export function checkValue<T>(ctx: CallContext<T>, value: unknown): Validation<T> | Promise<Validation<T>> {
  let checked: Validation<T> | Promise<Validation<T>>;
  try {
    checked = ctx.schema.check(value);
  } catch (err) {
    throw new ValidatorError(err);
  }
  if (checked instanceof Promise)
    return checked.catch((err: unknown) => {
      throw new ValidatorError(err);
    });
  return checked;
}

/**
 * What an attempt in flight has sent beyond the prompt (re-ask turns) and received (streamed chunks), for
 * the local count of an attempt cut short. Only re-asks and streams note anything.
 */
const sentSoFar = new WeakMap<AttemptRecord, SentSoFar>();

export function noteSent(record: AttemptRecord, sent: SentSoFar): void {
  sentSoFar.set(record, sent);
}

/** Attempt outcomes that were sent and cut short: billed by the provider, so counted locally. */
const CUT: ReadonlySet<string> = new Set(["timeout", "deadline_exceeded", "aborted", "connection"]);

/** Marks an in-flight attempt cut by the end of the call (a lost hedge, the deadline) and emits its end. */
export function sealAborted<T>(ctx: CallContext<T>, record: AttemptRecord): void {
  const model = ctx.models.find((m) => m.modelId === record.model && m.provider === record.provider);
  const deadline = ctx.ended === "deadline";
  record.outcome = deadline ? "deadline" : "aborted";
  record.latencyMs = ctx.now() - record.startedAt;
  estimateCutUsage(record, ctx.sections, sentSoFar.get(record));
  record.costUsd = attemptCost(record.provider, record.model, record.usage, model?.price);
  record.error = deadline
    ? { kind: "deadline_exceeded", message: `still running at the call's deadline of ${ctx.deadlineMs} ms; cancelled` }
    : { kind: "aborted", message: "still running when another rung answered; cancelled" };
  ctx.emit?.({ type: "attempt_end", callId: ctx.callId, ts: ctx.now(), attempt: record });
}

type Checked<T> = { value: T; extras: Record<string, unknown> } | null;

/**
 * JSON.parse and the caller's validator, nothing else: null when either rejects the text. Synchronous when
 * the validator is (zod's is), so the common reply costs no extra promise.
 */
function parseAndCheck<T>(ctx: CallContext<T>, text: string): Checked<T> | Promise<Checked<T>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const extras = ctx.schema.takeExtras(parsed);
  const checked = checkValue(ctx, parsed);
  if (checked instanceof Promise) return checked.then((c) => (c.ok ? { value: c.value, extras } : null));
  return checked.ok ? { value: checked.value, extras } : null;
}

/**
 * Why a reply could not be brought to the schema, as field-level issues for the re-ask: when the text
 * parses as JSON, the caller's validator names every bad field; otherwise recovery's reason is all we have.
 */
export async function issuesOf<T>(ctx: CallContext<T>, text: string, reason: string): Promise<ValidationIssue[]> {
  const parsed = recover(text);
  if (parsed.ok) {
    ctx.schema.takeExtras(parsed.value);
    const checked = await checkValue(ctx, parsed.value);
    if (!checked.ok) return checked.issues;
  }
  return [{ path: [], message: reason }];
}

/** Ends an attempt's record (outcome, latency, cost, error) and emits `attempt_end`; whole-reply and streamed alike. */
export function finishAttempt<T>(ctx: CallContext<T>, model: LanguageModel, record: AttemptRecord, result: AttemptResult<T>): void {
  if (record.error) return; // sealed by the cascade while its request was in flight (sealAborted)
  record.latencyMs = ctx.now() - record.startedAt;
  if (!result.ok && CUT.has(result.error.kind)) estimateCutUsage(record, ctx.sections, sentSoFar.get(record));
  record.costUsd = attemptCost(model.provider, model.modelId, record.usage, model.price);
  if (result.ok) record.outcome = result.repaired ? "repaired" : "ok";
  else {
    const e = result.error;
    record.outcome = OUTCOME[e.kind] ?? "error";
    record.error = {
      kind: e.kind,
      message: e.message,
      ...(e instanceof InvalidOutputError ? { issues: e.issues } : {}),
      ...(e instanceof ProviderHttpError || e instanceof RateLimitedError ? { status: e.status } : {}),
      ...(e instanceof ConfigurationError && e.status ? { status: e.status } : {}),
      ...(e instanceof RateLimitedError && e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    };
  }
  if (ctx.replyTimes && REPLIED.has(record.outcome)) ctx.replyTimes.note(modelKey(model), record.latencyMs);
  ctx.emit?.({ type: "attempt_end", callId: ctx.callId, ts: ctx.now(), attempt: record });
}

/** Outcomes of attempts the model answered (well or not): their latency is a reply time. */
const REPLIED: ReadonlySet<AttemptRecord["outcome"]> = new Set(["ok", "repaired", "invalid", "truncated", "refusal", "content_filter"]);

export function usageOf(records: readonly AttemptRecord[]): Usage {
  const total = emptyUsage();
  for (const r of records) {
    total.inputTokens += r.usage.inputTokens;
    total.outputTokens += r.usage.outputTokens;
    total.cachedInputTokens += r.usage.cachedInputTokens;
    total.cacheWriteTokens += r.usage.cacheWriteTokens;
    total.reasoningTokens += r.usage.reasoningTokens;
  }
  return total;
}

/** Summed dollars over attempts (breaker skips cost nothing); null when any attempt's price is unknown. */
export function costOf(records: readonly AttemptRecord[]): number | null {
  let total = 0;
  for (const r of records) {
    if (r.outcome === "skipped_breaker") continue;
    if (r.costUsd === null) return null;
    total += r.costUsd;
  }
  return total;
}
