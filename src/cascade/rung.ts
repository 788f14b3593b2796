/**
 * One rung of the cascade: a model, asked once, re-asked with its validation errors (default once), retried
 * after a 429 only when, after the provider's `retry-after`, the deadline leaves the model its usual reply
 * time (otherwise the rung ends at once and the cascade moves on instead of sleeping), and retried after a
 * transient failure (5xx, 529, connection reset) with jittered backoff inside the deadline (default once).
 * Any other failure, a 4xx included, ends the rung (the cascade moves on); a validator that threw ends the call.
 */
import {
  AbortedError,
  DeadlineExceededError,
  BallastError,
  CircuitOpenError,
  ConfigurationError,
  ConnectionError,
  InvalidOutputError,
  ProviderHttpError,
  RateLimitedError,
  ValidatorError,
} from "../errors/index.js";
import { type AttemptRecord, type LanguageModel, type ModelRequest, emptyUsage } from "../core/index.js";
import { type AttemptResult, type AttemptSlot, runAttempt } from "./attempt.js";
import { estimateTokens } from "./rate-gate.js";
import { overContextWindow } from "./context-window.js";
import { sleep } from "./cancel.js";
import type { CallContext } from "./call-context.js";
import { modelKey } from "./model-key.js";

/** What a cascade returns when a rung won: the value and where it came from. */
export interface CascadeWin<T> {
  value: T;
  repaired: boolean;
  model: LanguageModel;
  /** Ballast's own fields the model filled (prompt feedback, private-context flag). */
  extras: Record<string, unknown>;
  /** The winning reply's raw text (for leak detection). */
  text: string;
  /** With `n` > 1: every valid choice of the winning request, and how many choices did not fit. */
  samples?: T[];
  invalidSamples?: number;
}

/** A rung's end: the answer it won (a `CascadeWin`), or why it gave up. */
export type RungResult<T> =
  | ({ ok: true } & CascadeWin<T>)
  | { ok: false; error: BallastError /** surfaces to the caller instead of falling back */; fatal?: boolean };

const MAX_RATE_LIMIT_RETRIES = 2;
/** Never start a retry that could not finish before the deadline. */
const RETRY_HEADROOM_MS = 50;

/** Makes one attempt of the rung: a whole reply (the default) or a streamed one (src/stream). */
export type AttemptRunner<T> = (kind: AttemptRecord["kind"], followUp: ModelRequest["followUp"]) => Promise<AttemptResult<T>>;

export async function runRung<T>(
  ctx: CallContext<T>,
  /** The rung's model and number, its first attempt's kind, and its Cancel. */
  first: AttemptSlot,
  attempt: AttemptRunner<T> = (kind, followUp) => runAttempt(ctx, { ...first, kind }, followUp),
): Promise<RungResult<T>> {
  const { model, rung, kind: firstKind, cancel } = first;
  let followUp: ModelRequest["followUp"];
  let reasksLeft = ctx.reasks;
  let retries = 0;
  let transientRetries = 0;
  const transientLimit = ctx.retry.models?.[model.modelId] ?? ctx.retry.limit;
  let kind = firstKind;
  for (;;) {
    if (cancel.aborted) return { ok: false, error: cancel.reason instanceof BallastError ? cancel.reason : new AbortedError() };
    const tooLong = overContextWindow(model, ctx.sections, followUp, ctx.sampling);
    if (tooLong) {
      recordNotSent(ctx, { model, rung, kind }, tooLong);
      return { ok: false, error: tooLong };
    }
    const key = ctx.rates ? modelKey(model) : "";
    const estimate = ctx.rates ? estimateTokens(ctx.sections) : 0;
    if (ctx.rates && !(await ctx.rates.admit(key, estimate, cancel, ctx.deadlineAt)))
      return { ok: false, error: new RateLimitedError(429, undefined, `${model.modelId}: no room in its rate limit before the deadline`) };
    const tried = await underBreaker(ctx, model, () => attempt(kind, followUp));
    if (ctx.rates && tried) ctx.rates.settle(key, estimate, tried.record.usage);
    if (!tried) {
      recordSkipped(ctx, model, rung, kind);
      return { ok: false, error: new CircuitOpenError(model.modelId) };
    }
    if (tried.ok) {
      const { value, repaired, extras, text, samples, invalidSamples } = tried;
      return { ok: true, value, repaired, model, extras, text, ...(samples ? { samples, invalidSamples: invalidSamples ?? 0 } : {}) };
    }
    const error = tried.error;
    // The caller's own mistakes end the call: a validator that threw, a model set up without its API key.
    if (error instanceof ValidatorError || error instanceof ConfigurationError) return { ok: false, error, fatal: true };
    if (error instanceof InvalidOutputError && reasksLeft > 0 && tried.text !== undefined) {
      reasksLeft--;
      followUp = reaskTurns(tried.text, error);
      kind = "reask";
      ctx.emit?.({
        type: "reask",
        callId: ctx.callId,
        ts: ctx.now(),
        attemptId: tried.record.id,
        model: model.modelId,
        issues: error.issues.length,
      });
      continue;
    }
    if (
      error instanceof RateLimitedError &&
      error.retryAfterMs !== undefined &&
      retries < MAX_RATE_LIMIT_RETRIES &&
      error.retryAfterMs <= ctx.maxRetryWaitMs &&
      ctx.now() + error.retryAfterMs + replyAllowance(ctx, model) < ctx.deadlineAt
    ) {
      retries++;
      kind = "retry";
      ctx.resting?.(cancel, ctx.now() + error.retryAfterMs);
      if (!(await sleep(error.retryAfterMs, cancel))) continue; // aborted while waiting: loop top reports it
      continue;
    }
    // Only a failure before any reply text: a stream cut mid-way has shown its output and billed it.
    if (isTransient(error) && tried.text === undefined && transientRetries < transientLimit) {
      // Full jitter over an exponential ceiling: concurrent calls hitting one failing model do not retry in step.
      const waitMs = Math.random() * ctx.retry.backoffMs * 2 ** transientRetries;
      if (ctx.now() + waitMs < ctx.deadlineAt - RETRY_HEADROOM_MS) {
        transientRetries++;
        kind = "retry";
        ctx.resting?.(cancel, ctx.now() + waitMs);
        await sleep(waitMs, cancel); // aborted while waiting: the loop top reports it
        continue;
      }
    }
    if (error instanceof ProviderHttpError && !error.transient) warnRungRejected(ctx, model, error);
    return { ok: false, error };
  }
}

/** The attempt under the model's breaker: null when the breaker refused it. Aborted attempts count neither way. */
function underBreaker<T>(
  ctx: CallContext<T>,
  model: LanguageModel,
  run: () => Promise<AttemptResult<T>>,
): Promise<AttemptResult<T> | null> {
  if (!ctx.breakers) return run();
  return ctx.breakers.run(modelKey(model), async () => {
    const result = await run();
    return { result, verdict: result.ok ? "success" : verdictOf(result.error) };
  });
}

/**
 * What a failed attempt says about its model. Aborted ones (a lost hedge, the caller) and the caller's own
 * validator bugs say nothing; an attempt the deadline cut by its own timer held the rest of the call silent.
 * A 400, 413 or 422 faults that one request (a parameter the model refuses, its size), not the model, which
 * answers others: counting them opened a healthy model's breaker (as a bad request does not trip Hystrix's).
 * A 404 (a retired model), 401 or 403 fails every request and counts.
 */
function verdictOf(error: BallastError): "failure" | "neutral" {
  if (error instanceof DeadlineExceededError) return error.attemptTimer ? "failure" : "neutral";
  if (error instanceof ProviderHttpError && REQUEST_FAULTS.has(error.status)) return "neutral";
  return error.kind === "aborted" || error.kind === "validator_error" || error.kind === "configuration" ? "neutral" : "failure";
}

/**
 * The time a retry after a 429's wait needs before the deadline: the model's median reply once the client
 * knows it (a retry landing later answers in time less often than not, so the rung gives up now and the
 * cascade moves on, or falls back, instead of sleeping into a request the deadline cuts), else the headroom.
 */
function replyAllowance<T>(ctx: CallContext<T>, model: LanguageModel): number {
  return Math.max(RETRY_HEADROOM_MS, ctx.replyTimes?.median(modelKey(model)) ?? 0);
}

/** HTTP statuses that fault one request (its body, size or a parameter), not the model: 400, 413, 422. */
const REQUEST_FAULTS: ReadonlySet<number> = new Set([400, 413, 422]);

/** 5xx, 408, 409, 529 overloaded, or a connection dropped before a reply: worth one more try on the same model. */
function isTransient(error: BallastError): boolean {
  return (error instanceof ProviderHttpError && error.transient) || error instanceof ConnectionError;
}

/**
 * A 4xx (not 429) from one model: that model refused this request (retired, a parameter it rejects, a bad
 * key). The cascade moves on, but loudly: someone has to fix the setup.
 */
function warnRungRejected<T>(ctx: CallContext<T>, model: LanguageModel, error: ProviderHttpError): void {
  ctx.emit?.({
    type: "warning",
    callId: ctx.callId,
    ts: ctx.now(),
    message: `${model.provider}:${model.modelId} rejected the request with HTTP ${error.status}; moving to the next rung (${error.message})`,
  });
}

/** A rung passed over because its breaker is open: recorded at no cost. */
function recordSkipped<T>(ctx: CallContext<T>, model: LanguageModel, rung: number, kind: AttemptRecord["kind"]): void {
  const record: AttemptRecord = {
    id: `${ctx.callId}.${ctx.attempts.length + 1}`,
    model: model.modelId,
    provider: model.provider,
    rung,
    kind,
    outcome: "skipped_breaker",
    startedAt: ctx.now(),
    latencyMs: 0,
    usage: emptyUsage(),
    costUsd: 0,
    recoverySteps: [],
    error: { kind: "circuit_open", message: `${model.modelId}: circuit breaker open` },
  };
  ctx.attempts.push(record);
  ctx.emit?.({ type: "attempt_end", callId: ctx.callId, ts: record.startedAt, attempt: record });
}

/** A request not sent because the prompt cannot fit the model's context window: recorded at no cost. */
function recordNotSent<T>(ctx: CallContext<T>, { model, rung, kind }: Omit<AttemptSlot, "cancel">, error: BallastError): void {
  const record: AttemptRecord = {
    id: `${ctx.callId}.${ctx.attempts.length + 1}`,
    model: model.modelId,
    provider: model.provider,
    rung,
    kind,
    outcome: "error",
    startedAt: ctx.now(),
    latencyMs: 0,
    usage: emptyUsage(),
    costUsd: 0,
    recoverySteps: [],
    error: { kind: error.kind, message: error.message },
  };
  ctx.attempts.push(record);
  ctx.emit?.({ type: "attempt_end", callId: ctx.callId, ts: record.startedAt, attempt: record });
}

/** The bad reply and the validation errors, as the next turns of the conversation. */
export function reaskTurns(text: string, error: InvalidOutputError): NonNullable<ModelRequest["followUp"]> {
  const issues = error.issues
    .slice(0, 20)
    .map((i) => `- ${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("\n");
  return [
    { role: "assistant", content: text.length > 8000 ? `${text.slice(0, 8000)}…` : text || "(empty reply)" },
    { role: "user", content: `Your reply did not fit the required schema:\n${issues}\nReply again with only the corrected JSON.` },
  ];
}
