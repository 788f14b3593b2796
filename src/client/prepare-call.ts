/**
 * The first phase of a call: layers the per-call options, checks the input, prepares private context and
 * redaction, builds the prompt and the cascade's `CallContext`, and announces the call (`call_start`).
 * Nothing is sent and no timer is armed here.
 */
import { Cancel, hedgePolicy, outputOf, type CallContext } from "../cascade/index.js";
import type { BallastEvent, JsonSchema } from "../core/index.js";
import { AbortedError } from "../errors/index.js";
import { preparePrivateContext, REVEALING_FIELD, revealingFieldSchema, type PreparedPrivateContext } from "../guard/index.js";
import type { CallRedaction } from "../observe/index.js";
import { buildPrompt, cacheMonitorFor, PROMPT_FEEDBACK_FIELD, promptFeedbackSchema, renderValue } from "../prompt/index.js";
import { type CompiledSchema, withExtraFields } from "../schema/index.js";
import { newCallId } from "./call-id.js";
import { checkInput } from "./check-boundary.js";
import type { ClientRuntime } from "./client-runtime.js";
import type { PerCallOptions, RetryOptions, TaskDefinition } from "./options.js";
import { digestPrivateSections } from "./private-context-report.js";
import { layerOptions, type ResolvedOptions } from "./resolve-options.js";
import { checkModelsReady } from "./models-ready.js";

/** A checked task: its definition, compiled schema and resolved options (client's, then the task's). */
export interface Defined<T> {
  definition: TaskDefinition<T>;
  compiled: CompiledSchema<T>;
  options: ResolvedOptions;
}

/** The per-call options of a call that passed none (checked once, at definition). */
export const NO_OPTIONS: PerCallOptions = Object.freeze({});

/** One call, ready to run: everything the run and finish phases need. */
export interface PreparedCall<T> {
  runtime: ClientRuntime;
  definition: TaskDefinition<T>;
  input: unknown;
  /** The call's options: the task's, with the per-call ones layered on. */
  options: ResolvedOptions;
  ctx: CallContext<T>;
  startedAt: number;
  /** The private context's secret and content, when the call has one. */
  privateContext: PreparedPrivateContext | null;
  redaction: CallRedaction;
  /** Emits one (redacted) event, or null when nobody listens. */
  emit: ((e: BallastEvent) => void) | null;
}

/** One same-model retry after a transient failure, backoff up to 100 ms. */
const DEFAULT_RETRY: CallContext<unknown>["retry"] = Object.freeze({ limit: 1, backoffMs: 100 });

function retryPolicy(r: RetryOptions): CallContext<unknown>["retry"] {
  return { limit: r.limit ?? DEFAULT_RETRY.limit, backoffMs: r.backoffMs ?? DEFAULT_RETRY.backoffMs, models: r.models };
}

export interface CallRequest<T> {
  defined: Defined<T>;
  input: unknown;
  perCall: PerCallOptions;
  /** What the call is, for traces. */
  operation: "generate" | "stream" | "text";
}

/** Builds the call; throws (before anything is sent) on the caller's own mistakes or an already aborted signal. */
export function prepareCall<T>(runtime: ClientRuntime, { defined, input, perCall, operation }: CallRequest<T>): PreparedCall<T> {
  const { definition, compiled, options: resolved } = defined;
  const o = perCall === NO_OPTIONS ? resolved : layerOptions(resolved, perCall, () => "call options");
  checkInput(`${operation === "generate" ? "task" : operation} "${definition.name}"`, input);
  const models = o.models;
  checkModelsReady(models);
  const callId = newCallId();
  const startedAt = Date.now();
  const privateOptions = perCall.privateContext ?? definition.privateContext;
  // checked already: the task's at definition (check-task-fields.ts), a call's with its options (check-call-options.ts)
  const prepared = privateOptions ? preparePrivateContext(privateOptions, renderValue(input)) : null;
  const digest = runtime.redactor.privateContext === "digest";
  runtime.redactor.knowModels(models);
  const redaction = runtime.redactor.forCall(prepared ? (digest ? [prepared.secret, prepared.content] : [prepared.secret]) : undefined);
  const raw = runtime.events.active ? runtime.events.emit : null;
  const emit = raw ? (e: BallastEvent) => raw(redaction.event(e)) : null;
  const extraFields: Record<string, JsonSchema> = {};
  if (definition.promptFeedback) extraFields[PROMPT_FEEDBACK_FIELD] = promptFeedbackSchema;
  if (prepared) {
    extraFields[REVEALING_FIELD] = revealingFieldSchema;
    runtime.store?.redactSecret(callId, prepared.secret);
  }
  const schema = withExtraFields(compiled, extraFields);
  const sections = buildPrompt({
    instructions: definition.instructions,
    examples: definition.examples,
    sections: prepared ? [...(definition.sections ?? []), ...prepared.sections] : definition.sections,
    input: prepared ? prepared.input : input,
  });
  if (perCall.signal?.aborted) throw new AbortedError();

  const sampling: CallContext<T>["sampling"] = { temperature: o.temperature, frequencyPenalty: o.frequencyPenalty };
  if (o.topP !== undefined) sampling.topP = o.topP;
  if (o.maxOutputTokens !== undefined) sampling.maxOutputTokens = o.maxOutputTokens;
  if (o.seed !== undefined) sampling.seed = o.seed;
  if (o.n !== undefined && o.n > 1) sampling.n = o.n;
  const ctx: CallContext<T> = {
    callId,
    task: definition.name,
    schema,
    output: outputOf(definition.name, schema),
    sections,
    sampling,
    models,
    timeoutMs: o.timeoutMs,
    deadlineAt: startedAt + o.deadlineMs,
    reasks: o.reasks,
    maxRetryWaitMs: o.maxRetryWaitMs,
    hedge: o.hedge ? hedgePolicy(o.hedge) : undefined,
    replyTimes: runtime.replyTimes,
    cancel: new Cancel(),
    attempts: [],
    breakers: runtime.breakers,
    emit,
    now: Date.now,
    deadlineMs: o.deadlineMs,
    retry: o.retry ? retryPolicy(o.retry) : DEFAULT_RETRY,
  };
  if (runtime.rates) ctx.rates = runtime.rates;
  if (o.headers) ctx.headers = o.headers;
  if (runtime.scopes.length > 0) {
    const active = runtime.scopes.slice();
    ctx.scope = <R>(attemptId: string, fn: () => R): R =>
      active.reduce<() => R>((inner, s) => () => s.attemptScope(callId, attemptId, inner), fn)();
  }
  if (o.mode) ctx.mode = o.mode;
  emit?.({
    type: "call_start",
    callId,
    ts: startedAt,
    task: definition.name,
    models: models.map((m) => m.modelId),
    sections: prepared && digest ? digestPrivateSections(sections, prepared.content) : sections,
    sampling: { temperature: sampling.temperature, frequencyPenalty: sampling.frequencyPenalty },
    operation,
    ...(perCall.batch ? { batch: perCall.batch } : {}),
  });
  // Prompt cache: default prompt_cache_key per task, cache-buster and minimum-length reports (src/prompt/cache-monitor.ts).
  ctx.cache = cacheMonitorFor(runtime.events).prepare(
    {
      callId,
      task: definition.name,
      sections,
      provider: models[0]?.provider,
      modelId: models[0]?.modelId,
      schema: schema.wire,
      cache: o.cache,
    },
    emit,
  );
  return { runtime, definition, input, options: o, ctx, startedAt, privateContext: prepared, redaction, emit };
}
