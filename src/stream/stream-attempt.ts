/**
 * One streaming provider call: the same timeout and deadline as `generate`, plus the first-chunk and idle
 * deadlines, each aborting the request through its AbortSignal; chunks feed the incremental parser, and
 * the end of the stream is recovered and validated like a whole reply. Returns an outcome, never throws.
 */
import {
  type AttemptResult,
  attemptRequest,
  checkValue,
  finishAttempt,
  issuesOf,
  noteSent,
  openAttempt,
  type CallContext,
  type Cancel,
} from "../cascade/index.js";
import type { AttemptRecord, LanguageModel, ModelRequest, StreamPart } from "../core/index.js";
import {
  AbortedError,
  BallastError,
  ConnectionError,
  ContentFilterError,
  InvalidOutputError,
  ProviderHttpError,
  RefusalError,
  TruncatedError,
} from "../errors/index.js";
import { createIncrementalParser, type PartialValue, type RecoveryResult } from "../recovery/index.js";
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

/** One streamed attempt: which rung, and where its chunks go. */
export interface StreamAttemptOptions<T> {
  ctx: CallContext<T>;
  model: LanguageModel;
  rung: number;
  kind: AttemptRecord["kind"];
  rungCancel: Cancel;
  followUp: ModelRequest["followUp"];
  deadlines: StreamDeadlines;
  sink: StreamSink;
  stream: StreamClaim;
}

export async function runStreamAttempt<T>(options: StreamAttemptOptions<T>): Promise<AttemptResult<T>> {
  const { ctx, model, rung, kind, rungCancel, followUp, deadlines, sink, stream } = options;
  const { number, record, controller, close } = openAttempt(ctx, { model, rung, kind, cancel: rungCancel });
  const watch = watchChunks({ ...deadlines, model: model.modelId, onExpire: (error) => controller.abort(error) });

  const parser = createIncrementalParser({ schema: ctx.schema.wire });
  const chunks: string[] = [];
  noteSent(record, { followUp, chunks }); // a cut stream is billed for what it sent so far
  let latest: PartialValue | null = null;
  let received = 0;
  let view: AttemptView | null = null;
  let result: AttemptResult<T>;
  try {
    const request = attemptRequest(ctx, controller.signal, followUp);
    let finish: Extract<StreamPart, { type: "finish" }> | null = null;
    const parts = model.stream ? model.stream(request) : whole(model, request);
    for await (const part of ctx.scope ? scoped(parts, record.id, ctx.scope) : parts) {
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
    record.responseModel = finish.modelId;
    if (finish.requestId) record.responseId = finish.requestId;
    record.finishReason = finish.finishReason;
    const text = chunks.join("");
    record.responseText = text;
    if (view) sink.close(view);
    result = await interpret(ctx, record, { text, recovered: parser.end(), finish });
  } catch (err) {
    const error =
      controller.signal.aborted && controller.signal.reason instanceof BallastError
        ? controller.signal.reason
        : err instanceof BallastError
          ? err
          : new ProviderHttpError(502, String(err), undefined, { cause: err });
    result = { ok: false, error, record, ...(chunks.length ? { text: chunks.join("") } : {}) };
  } finally {
    close();
    watch.clear();
  }
  if (view) {
    if (!result.ok) {
      sink.reset(view, result.error);
      ctx.emit?.({
        type: "stream_reset",
        callId: ctx.callId,
        ts: ctx.now(),
        attemptId: record.id,
        model: model.modelId,
        reason: result.error.message,
      });
    }
    stream.release();
  }
  finishAttempt(ctx, model, record, result);
  return result;
}

/** `parts`, each step run inside the attempt's trace context (see `CallContext.scope`). */
function scoped<P>(parts: AsyncIterable<P>, attemptId: string, scope: NonNullable<CallContext<unknown>["scope"]>): AsyncIterable<P> {
  return {
    [Symbol.asyncIterator]() {
      const it = scope(attemptId, () => parts[Symbol.asyncIterator]());
      return {
        next: () => scope(attemptId, () => it.next()),
        return: (value?: unknown) => (it.return ? it.return(value) : Promise.resolve({ done: true as const, value: undefined })),
      };
    },
  };
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
  record: AttemptRecord,
  { text, recovered, finish }: { text: string; recovered: RecoveryResult; finish: Extract<StreamPart, { type: "finish" }> },
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
  const checked = await checkValue(ctx, recovered.value);
  if (!checked.ok) return { ok: false, error: new InvalidOutputError(checked.issues, text.slice(0, 2000), recovered.steps), record, text };
  return { ok: true, value: checked.value, repaired: recovered.steps.length > 0, record, text, extras };
}
