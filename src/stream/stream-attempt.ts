/**
 * One streaming provider call: the same timeout and deadline as `generate`, plus the first-chunk and idle
 * deadlines, each aborting the request through its AbortSignal; chunks feed the incremental parser, and
 * the end of the stream is recovered and validated like a whole reply. Returns an outcome, never throws.
 */
import type { AttemptResult } from "../cascade/attempt.js";
import type { CallContext } from "../cascade/call-context.js";
import type { AttemptRecord } from "../client/types.js";
import { AbortedError } from "../errors/aborted-error.js";
import { BallastError } from "../errors/ballast-error.js";
import { ConfigurationError } from "../errors/configuration-error.js";
import { ConnectionError } from "../errors/connection-error.js";
import { ContentFilterError } from "../errors/content-filter-error.js";
import { InvalidOutputError, type ValidationIssue } from "../errors/invalid-output-error.js";
import { ProviderHttpError } from "../errors/provider-http-error.js";
import { RateLimitedError } from "../errors/rate-limited-error.js";
import { RefusalError } from "../errors/refusal-error.js";
import { TimeoutError } from "../errors/timeout-error.js";
import { TruncatedError } from "../errors/truncated-error.js";
import { attemptCost } from "../observe/cost.js";
import type { LanguageModel, ModelRequest, StreamPart } from "../providers/types.js";
import { emptyUsage } from "../providers/types.js";
import { createIncrementalParser, type PartialValue, recover, type RecoveryResult } from "../recovery/index.js";
import { watchChunks } from "./deadlines.js";
import type { AttemptView, StreamSink } from "./structured-stream.js";
import type { StreamDeadlines } from "./types.js";

/** How an attempt asks the cascade for the stream when its first chunk arrives. */
export interface StreamClaim {
  /** True when this attempt now owns the stream (the others are aborted); false when another one already does. */
  claim(): boolean;
  /** This attempt no longer streams (finished or failed). */
  release(): void;
}

const OUTCOME: Record<string, AttemptRecord["outcome"]> = {
  timeout: "timeout",
  deadline_exceeded: "aborted",
  aborted: "aborted",
  rate_limited: "rate_limited",
  provider_http: "http_error",
  connection: "connection_error",
  invalid_output: "invalid",
  refusal: "refusal",
  truncated: "truncated",
  content_filter: "content_filter",
};

export async function runStreamAttempt<T>(
  ctx: CallContext<T>,
  model: LanguageModel,
  rung: number,
  kind: AttemptRecord["kind"],
  rungSignal: AbortSignal,
  followUp: ModelRequest["followUp"],
  deadlines: StreamDeadlines,
  sink: StreamSink,
  stream: StreamClaim,
): Promise<AttemptResult<T>> {
  const number = ctx.attempts.length + 1;
  const id = `${ctx.callId}.${number}`;
  const startedAt = ctx.now();
  const timeoutMs = Math.max(1, Math.min(ctx.timeoutMs, ctx.deadlineAt - startedAt));
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
  const onAbort = () => controller.abort(rungSignal.reason);
  if (rungSignal.aborted) onAbort();
  else rungSignal.addEventListener("abort", onAbort, { once: true });
  // as in runAttempt: a timer clamped to the deadline is still a timeout (a model hanging past short deadlines trips its breaker)
  const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutMs, model.modelId)), timeoutMs);
  const watch = watchChunks({ ...deadlines, model: model.modelId, onExpire: (error) => controller.abort(error) });

  const parser = createIncrementalParser({ schema: ctx.schema.wire });
  const chunks: string[] = [];
  let latest: PartialValue | null = null;
  let received = 0;
  let view: AttemptView | null = null;
  let result: AttemptResult<T>;
  try {
    const request: ModelRequest = {
      sections: ctx.sections,
      output: { name: ctx.task.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "answer", schema: ctx.schema.wire },
      ...(ctx.mode ? { mode: ctx.mode } : {}),
      sampling: ctx.sampling,
      signal: controller.signal,
      ...(ctx.headers ? { headers: ctx.headers } : {}),
      ...(ctx.cache ? { cache: ctx.cache } : {}),
      ...(followUp ? { followUp } : {}),
    };
    let finish: Extract<StreamPart, { type: "finish" }> | null = null;
    for await (const part of model.stream ? model.stream(request) : whole(model, request)) {
      if (part.type === "finish") {
        finish = part;
        continue;
      }
      watch.chunk();
      if (view === null) {
        if (!stream.claim()) {
          const lost = new AbortedError("another rung started streaming first");
          controller.abort(lost);
          throw lost;
        }
        latest = parser.push(part.text);
        chunks.push(part.text);
        received += part.text.length;
        const current = () => latest!.value;
        view = sink.begin(number, model.modelId, ctx.schema as never, {
          value: current,
          complete: latest.complete,
          length: () => received,
        });
      } else {
        latest = parser.push(part.text);
        chunks.push(part.text);
        received += part.text.length;
      }
      sink.progress(view);
    }
    watch.clear();
    if (controller.signal.aborted) throw controller.signal.reason;
    if (!finish) throw new ConnectionError(`${model.modelId}: the stream ended before the model finished`);
    record.usage = finish.usage;
    record.finishReason = finish.finishReason;
    const text = chunks.join("");
    record.responseText = text;
    if (view) sink.close(view);
    result = await interpret(ctx, text, parser.end(), finish, record);
  } catch (err) {
    const error =
      controller.signal.aborted && controller.signal.reason instanceof BallastError
        ? controller.signal.reason
        : err instanceof BallastError
          ? err
          : new ProviderHttpError(502, String(err));
    result = { ok: false, error, record, ...(chunks.length ? { text: chunks.join("") } : {}) };
  } finally {
    clearTimeout(timer);
    watch.clear();
    rungSignal.removeEventListener("abort", onAbort);
  }
  if (view) {
    if (!result.ok) {
      sink.reset(view, result.error);
      ctx.emit?.({ type: "stream_reset", callId: ctx.callId, ts: ctx.now(), attemptId: record.id, model: model.modelId, reason: result.error.message });
    }
    stream.release();
  }
  finish(ctx, model, record, result, startedAt);
  return result;
}

/** A model without `stream`: its whole reply as one chunk. */
async function* whole(model: LanguageModel, request: ModelRequest): AsyncIterable<StreamPart> {
  const response = await model.generate(request);
  const choice = response.choices[0]!;
  if (choice.text) yield { type: "text", text: choice.text };
  yield {
    type: "finish",
    finishReason: choice.finishReason,
    usage: response.usage,
    modelId: response.modelId,
    ...(choice.refusal ? { refusal: choice.refusal } : {}),
  };
}

async function interpret<T>(
  ctx: CallContext<T>,
  text: string,
  recovered: RecoveryResult,
  finish: Extract<StreamPart, { type: "finish" }>,
  record: AttemptRecord,
): Promise<AttemptResult<T>> {
  const { finishReason } = finish;
  if (finishReason === "refusal") return { ok: false, error: new RefusalError(finish.refusal ?? text), record, text };
  if (finishReason === "content_filter") return { ok: false, error: new ContentFilterError(), record, text };
  record.recoverySteps = recovered.steps;
  if (recovered.steps.length)
    ctx.emit?.({ type: "recovery", callId: ctx.callId, ts: ctx.now(), attemptId: record.id, steps: recovered.steps });
  if (finishReason === "length") return { ok: false, error: new TruncatedError(text.slice(0, 2000)), record, text };
  if (!recovered.ok)
    return {
      ok: false,
      error: new InvalidOutputError(await issuesOf(ctx, text, recovered.error), text.slice(0, 2000), recovered.steps),
      record,
      text,
    };
  const extras = ctx.schema.takeExtras(recovered.value);
  const checked = await ctx.schema.check(recovered.value);
  if (!checked.ok) return { ok: false, error: new InvalidOutputError(checked.issues, text.slice(0, 2000), recovered.steps), record, text };
  return { ok: true, value: checked.value, repaired: recovered.steps.length > 0, record, text, extras };
}

async function issuesOf<T>(ctx: CallContext<T>, text: string, reason: string): Promise<ValidationIssue[]> {
  const parsed = recover(text);
  if (parsed.ok) {
    ctx.schema.takeExtras(parsed.value);
    const checked = await ctx.schema.check(parsed.value);
    if (!checked.ok) return checked.issues;
  }
  return [{ path: [], message: reason }];
}

function finish<T>(ctx: CallContext<T>, model: LanguageModel, record: AttemptRecord, result: AttemptResult<T>, startedAt: number): void {
  if (record.error) return; // sealed by the cascade while in flight (sealAborted)
  record.latencyMs = ctx.now() - startedAt;
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
  ctx.emit?.({ type: "attempt_end", callId: ctx.callId, ts: ctx.now(), attempt: record });
}
