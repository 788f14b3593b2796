/**
 * `createBallast`: the client. Binds the cascade and defaults once; `task()` binds a schema, instructions,
 * examples and a fallback; each call returns a value that always fits the schema (or rejects with one
 * typed error carrying every attempt when there is no fallback).
 *
 * @example
 * const llm = createBallast({ models: [openai("gpt-4o"), openai("gpt-4.1-nano")], deadlineMs: 30_000 });
 * const classify = llm.task({ name: "classify-review", schema: Review, instructions, fallback });
 * const r = await classify("Great battery, awful screen");
 * r.value; r.source; r.model; r.attempts; r.usage; r.costUsd;
 */
import {
  Cancel,
  hedgePolicy,
  ReplyTimes,
  BreakerRegistry,
  type ModelHealth,
  RateGate,
  localRateLimiter,
  type CallContext,
  costOf,
  outputOf,
  usageOf,
  type CascadeWin,
  runCascade,
} from "../cascade/index.js";
import type { LanguageModel, Price, BallastEvent, EventListener, JsonSchema, GenerateResult } from "../core/index.js";
import {
  AbortedError,
  AllAttemptsFailedError,
  BallastError,
  ConfigurationError,
  DeadlineExceededError,
  PrivateContextLeakError,
} from "../errors/index.js";
import { createBudget, createEmitter, preloadPriceCatalogue, createRedactor, traceStoreFromOption } from "../observe/index.js";
import { preparePrivateContext, REVEALING_FIELD, revealingFieldSchema } from "../guard/index.js";
import {
  buildPrompt,
  loadExactTokenCounts,
  renderValue,
  cacheMonitorFor,
  PROMPT_FEEDBACK_FIELD,
  promptFeedbackSchema,
  readPromptFeedback,
} from "../prompt/index.js";
import { type CompiledSchema, compileSchema, FREE_TEXT, withExtraFields, type StandardSchemaV1, validate } from "../schema/index.js";
import type {
  BallastOptions,
  GenerateOptions,
  PerCallOptions,
  RetryOptions,
  TaskDefinition,
  TextOptions,
  StreamOptions,
} from "./options.js";
import { newCallId } from "./call-id.js";
import { definitionOf } from "./definition-of.js";
import { checkBudget, knownPrice, type WorstCase, worstCaseUsd } from "./check-budget.js";
import { DEFAULTS, layerOptions, millisecondsProblem, type ResolvedOptions } from "./resolve-options.js";
import { assessReveal, digestPrivateSections } from "./private-context-report.js";
import { checkClientOptions, checkInput, checkSchema } from "./check-boundary.js";
import { resolveFallback } from "./resolve-fallback.js";
import { type ReplayedReply, replayRunner } from "./replay.js";
import { winningRung } from "./winning-rung.js";
import { StreamChannel, streamCascade, type StreamDeadlines, type StructuredStream } from "../stream/index.js";

/** How a call's rungs run, and the operation its trace names. */
interface CallKind {
  run: CascadeRunner;
  operation: "generate" | "stream" | "text";
}
const GENERATE: CallKind = { run: runCascade, operation: "generate" };
const TEXT: CallKind = { run: runCascade, operation: "text" };

export interface Task<T> {
  (input: unknown, options?: PerCallOptions): Promise<GenerateResult<T>>;
  /** The same call, streamed (see `Ballast.stream`). */
  stream(input: unknown, options?: TaskStreamOptions): StructuredStream<T>;
  /**
   * A call whose one attempt is a reply fetched outside the cascade (a provider Batch API's row): validated,
   * priced and traced like a live answer; nothing is sent. See `replay.ts`.
   */
  replay(input: unknown, reply: ReplayedReply, options?: PerCallOptions): Promise<GenerateResult<T>>;
  readonly taskName: string;
  readonly schema: StandardSchemaV1<unknown, T>;
  /** The checked definition (schema, instructions, models, fallback…), for tools that plan calls (batch). */
  readonly definition: Readonly<TaskDefinition<T>>;
  /** The cascade this task calls, primary first (the client's models unless the task set its own). */
  readonly models: readonly LanguageModel[];
}

/** Per-call options of a streamed task call. */
export interface TaskStreamOptions extends PerCallOptions, StreamDeadlines {
  atomic?: readonly string[];
}

export interface Ballast {
  generate<T>(options: GenerateOptions<T>): Promise<GenerateResult<T>>;
  /**
   * Like `generate`, streamed: iterate for validated partial snapshots (and `reset` events when an attempt
   * fails mid-stream); `await s.result` for exactly what `generate` returns. Breaking out cancels the call.
   */
  stream<T>(options: StreamOptions<T>): StructuredStream<T>;
  task<T>(definition: TaskDefinition<T>): Task<T>;
  /**
   * A free-text call (no schema) through the same cascade, deadlines, breakers and traces: for thinker
   * steps and other prose. `r.value` is the text.
   */
  text(options: TextOptions): Promise<GenerateResult<string>>;
  /** Circuit-breaker state per model, for dashboards. */
  health(): ModelHealth[];
  /** Subscribe to every call's events; returns the unsubscribe function. */
  on(listener: EventListener): () => void;
  /** Flushes and closes the trace store (it also flushes on process exit). */
  close(): void;
}

/** Runs the rungs of one call and returns the winning answer, or null to fall back. */
export type CascadeRunner = <T>(ctx: CallContext<T>) => Promise<CascadeWin<T> | null>;

/** A checked task: its definition, compiled schema and resolved options (client's, then the task's). */
interface Defined<T> {
  definition: TaskDefinition<T>;
  compiled: CompiledSchema<T>;
  options: ResolvedOptions;
}

/** One same-model retry after a transient failure, backoff up to 100 ms. */
const DEFAULT_RETRY: CallContext<unknown>["retry"] = Object.freeze({ limit: 1, backoffMs: 100 });

function retryPolicy(r: RetryOptions): CallContext<unknown>["retry"] {
  return { limit: r.limit ?? DEFAULT_RETRY.limit, backoffMs: r.backoffMs ?? DEFAULT_RETRY.backoffMs, models: r.models };
}

/** A listener that can run an attempt's provider request in the attempt's trace context (see `otelListener`). */
interface AttemptScoped extends EventListener {
  attemptScope<R>(callId: string, attemptId: string, fn: () => R): R;
}

/** The budget verdict of a client without a budget. */
const NO_BUDGET: ReturnType<typeof checkBudget> = Object.freeze({ error: null, release: () => {} });

/** The shape of a call's most expensive run, for the budget's reservation. */
function worstCaseOf<T>(ctx: CallContext<T>, schema: CompiledSchema<T>): WorstCase {
  let retries = ctx.retry.limit;
  for (const limit of Object.values(ctx.retry.models ?? {})) retries = Math.max(retries, limit);
  return {
    models: ctx.models,
    sections: ctx.sections,
    schemaText: schema.freeText ? "" : JSON.stringify(schema.wire),
    attemptsPerRung: 1 + ctx.reasks + retries,
    maxOutputTokens: ctx.sampling.maxOutputTokens,
    n: ctx.sampling.n ?? 1,
    repeats: ctx.hedge?.repeats ?? 0,
  };
}

/** The per-call options of a call that passed none (checked once, here). */
const NO_OPTIONS: PerCallOptions = Object.freeze({});

export function createBallast(options: BallastOptions): Ballast {
  // Checks the client's options now (models included: there is no default cascade).
  checkClientOptions(options);
  const clientOptions = layerOptions(
    { ...DEFAULTS, models: [] },
    { ...options, models: options.models ?? null } as BallastOptions,
    () => "createBallast",
  );
  const events = createEmitter();
  /** Listeners that can run a request inside its attempt's trace context (the OTel listener). */
  const scopes: AttemptScoped[] = [];
  const listen = (listener: EventListener): (() => void) => {
    const off = events.on(listener);
    if (typeof (listener as Partial<AttemptScoped>).attemptScope !== "function") return off;
    scopes.push(listener as AttemptScoped);
    return () => {
      off();
      scopes.splice(scopes.indexOf(listener as AttemptScoped), 1);
    };
  };
  if (options.onEvent) listen(options.onEvent);
  const store = traceStoreFromOption(options.traces);
  if (store) events.on(store.listener);
  const budget = options.budget ? createBudget(options.budget) : null;
  if (budget) events.on(budget.listener);
  const emitter = () => (events.active ? events.emit : null);
  // Every event and every thrown error goes through it: no listener and no caller ever sees a call's secrets.
  const redactor = createRedactor(options.redact);
  // The price catalogue takes ~45 ms to load: do it now, off the first call's path.
  setImmediate(() => {
    preloadPriceCatalogue();
    warnUnknownPrices(clientOptions.models);
  }).unref();
  if (budget) void loadExactTokenCounts(); // cut attempts are billed: count their tokens exactly where dollars are guarded
  /** Each model's price (its own or the catalogue's), looked up once; null when unknown. */
  const prices = new Map<LanguageModel, Price | null>();
  const priceOf = (model: LanguageModel): Price | null => {
    let price = prices.get(model);
    if (price === undefined) prices.set(model, (price = knownPrice(model)));
    return price;
  };
  /**
   * Unknown prices make `costUsd` null and leave the budget guessing: said once per model, as a warning
   * event (and so in the trace store and OTel), when the client or a task with its own models is created.
   */
  const warned = new Set<string>();
  const warnUnknownPrices = (models: readonly LanguageModel[]): void => {
    for (const model of models) {
      const key = `${model.provider}:${model.modelId}`;
      if (warned.has(key) || priceOf(model) !== null) continue;
      warned.add(key);
      events.emit({
        type: "warning",
        callId: "",
        ts: Date.now(),
        message:
          `${key}: price unknown (not in the price catalogue, no \`price\` option): costUsd will be null` +
          (budget ? (budget.assumePrice ? "; the budget assumes its assumePrice" : "; the budget counts these calls apart") : ""),
      });
    }
  };
  const shared = options.shared;
  shared?.onOutage((o) =>
    events.emit({
      type: "warning",
      callId: "",
      ts: Date.now(),
      message: o.down
        ? `shared ${o.what} unreachable (${o.reason}): this process goes on with its own until it answers again`
        : `shared ${o.what} answer again`,
    }),
  );
  const rates = options.rateLimits ? new RateGate(shared?.rateLimiter ?? localRateLimiter(), options.rateLimits) : undefined;
  const replyTimes = new ReplyTimes();
  const breakers =
    options.breaker === false
      ? null
      : new BreakerRegistry({ store: shared?.breakerStore, ...options.breaker }, (model, from, to) =>
          events.emit({ type: "breaker", callId: "", ts: Date.now(), model, from, to }),
        );

  /**
   * Checks a task's options and fallback, compiles its schema and resolves its options over the client's:
   * throws now, naming what is wrong.
   */
  function define<T>(definition: TaskDefinition<T>): Defined<T> {
    if (typeof definition?.name !== "string" || definition.name === "")
      throw new ConfigurationError(`task: name must be a non-empty string, got ${String(definition?.name)}`);
    const resolved = layerOptions(clientOptions, definition, () => `task "${definition.name}"`);
    checkSchema(`task "${definition.name}"`, definition.schema);
    const compiled = compileSchema(definition.schema); // throws now, naming the field, if it cannot be sent
    if (definition.fallback !== undefined && typeof definition.fallback !== "function") {
      const checked = validate(definition.schema, definition.fallback);
      if (checked instanceof Promise) {
        checked.catch(() => {}); // not awaited: a validator that rejects must not surface as an unhandled rejection
        throw new ConfigurationError(
          `task "${definition.name}": async validators cannot check the fallback at definition; pass a fallback function`,
        );
      }
      if (!checked.ok) {
        const fields = checked.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
        throw new ConfigurationError(`task "${definition.name}": the fallback does not fit the schema (${fields})`, checked.issues);
      }
    }
    if (definition.models && definition.models !== clientOptions.models) setImmediate(() => warnUnknownPrices(definition.models!)).unref();
    return { definition, compiled, options: resolved };
  }

  function task<T>(definition: TaskDefinition<T>): Task<T> {
    const defined = define(definition);
    const run = (input: unknown, perCall: PerCallOptions = NO_OPTIONS) => call(defined, input, perCall);
    const stream = (input: unknown, perCall: TaskStreamOptions = {}) => streamCall(definition, () => defined, input, perCall);
    const replay = (input: unknown, reply: ReplayedReply, perCall: PerCallOptions = NO_OPTIONS) =>
      call(defined, input, perCall, { run: replayRunner(reply), operation: "generate" });
    return Object.assign(run, {
      taskName: definition.name,
      schema: definition.schema,
      stream,
      replay,
      definition,
      models: defined.options.models,
    });
  }

  async function call<T>(
    { definition, compiled, options: resolved }: Defined<T>,
    input: unknown,
    perCall: PerCallOptions,
    /** How the rungs run (the cascade of whole replies, or the streaming one) and what the call is for traces. */
    { run, operation }: CallKind = GENERATE,
  ): Promise<GenerateResult<T>> {
    const o = perCall === NO_OPTIONS ? resolved : layerOptions(resolved, perCall, () => "call options");
    checkInput(`${operation === "generate" ? "task" : operation} "${definition.name}"`, input);
    const models = o.models;
    const callId = newCallId();
    const startedAt = Date.now();
    const privateOptions = perCall.privateContext ?? definition.privateContext;
    if (privateOptions && typeof privateOptions.content !== "string")
      throw new ConfigurationError(`task "${definition.name}": privateContext.content must be a string`);
    const prepared = privateOptions ? preparePrivateContext(privateOptions, renderValue(input)) : null;
    const digest = redactor.privateContext === "digest";
    const redaction = redactor.forCall(prepared ? (digest ? [prepared.secret, prepared.content] : [prepared.secret]) : undefined);
    const raw = emitter();
    const emit = raw ? (e: BallastEvent) => raw(redaction.event(e)) : null;
    const extraFields: Record<string, JsonSchema> = {};
    if (definition.promptFeedback) extraFields[PROMPT_FEEDBACK_FIELD] = promptFeedbackSchema;
    if (prepared) {
      extraFields[REVEALING_FIELD] = revealingFieldSchema;
      store?.redactSecret(callId, prepared.secret);
    }
    const schema = withExtraFields(compiled, extraFields);
    const sections = buildPrompt({
      instructions: definition.instructions,
      examples: definition.examples,
      sections: prepared ? [...(definition.sections ?? []), ...prepared.sections] : definition.sections,
      input: prepared ? prepared.input : input,
    });

    if (perCall.signal?.aborted) throw new AbortedError();
    const cancel = new Cancel();
    const deadline = setTimeout(() => cancel.abort(new DeadlineExceededError(o.deadlineMs)), o.deadlineMs);
    const onCallerAbort = () => cancel.abort(new AbortedError("the caller aborted the call"));
    perCall.signal?.addEventListener("abort", onCallerAbort, { once: true });

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
      replyTimes,
      cancel,
      attempts: [],
      breakers,
      emit,
      now: Date.now,
      deadlineMs: o.deadlineMs,
      retry: o.retry ? retryPolicy(o.retry) : DEFAULT_RETRY,
    };
    if (rates) ctx.rates = rates;
    if (o.headers) ctx.headers = o.headers;
    if (scopes.length > 0) {
      const active = scopes.slice();
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
    ctx.cache = cacheMonitorFor(events).prepare(
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

    let result: GenerateResult<T>;
    let admission = NO_BUDGET;
    const failed = (err: unknown): never => {
      const error = err instanceof BallastError ? err : new BallastError("aborted", String(err), { cause: err });
      emit?.({
        type: "call_error",
        callId,
        ts: Date.now(),
        task: definition.name,
        error: { kind: error.kind, message: error.message },
        attempts: ctx.attempts,
        usage: usageOf(ctx.attempts),
        costUsd: costOf(ctx.attempts),
        latencyMs: Date.now() - startedAt,
      });
      throw redaction.error(err);
    };
    try {
      if (budget) admission = checkBudget(budget, worstCaseUsd(budget, worstCaseOf(ctx, schema), priceOf));
      const overBudget = admission.error;
      let win = overBudget ? null : await run(ctx).catch(failed);
      if (overBudget && definition.fallback === undefined) failed(overBudget);
      const reveal = win && prepared ? assessReveal(prepared, win.value, win.extras[REVEALING_FIELD] === true) : undefined;
      let withheld: PrivateContextLeakError | null = null;
      if (reveal && (reveal.outcome === "self_reported" || reveal.outcome === "silent")) {
        emit?.({ type: "leak", callId, ts: Date.now(), outcome: reveal.outcome, model: win!.model.modelId });
        if (prepared!.withholdOnLeak) {
          withheld = new PrivateContextLeakError(reveal.outcome);
          win = null;
        }
      }
      const feedback = definition.promptFeedback ? (win ? readPromptFeedback(win.extras[PROMPT_FEEDBACK_FIELD]) : null) : undefined;
      if (feedback) emit?.({ type: "prompt_feedback", callId, ts: Date.now(), task: definition.name, feedback });
      // Built field by field, in the documented order (no spreads of partial objects on every call).
      const partial: Partial<GenerateResult<T>> = {
        attempts: ctx.attempts,
        usage: usageOf(ctx.attempts),
        costUsd: costOf(ctx.attempts),
        callId,
      };
      if (reveal) partial.privateContext = reveal;
      if (feedback !== undefined) partial.promptFeedback = feedback;
      if (win) {
        if (win.samples) {
          partial.samples = win.samples;
          partial.invalidSamples = win.invalidSamples ?? 0;
        }
        partial.value = win.value;
        partial.source = win.repaired ? "repaired" : "model";
        partial.rung = winningRung(ctx.attempts, win.model.modelId);
        partial.model = win.model.modelId;
        partial.latencyMs = Date.now() - startedAt;
        partial.errors = [];
      } else {
        const blocker = overBudget ?? withheld;
        const errors = blocker
          ? [{ kind: blocker.kind, message: blocker.message }]
          : ctx.attempts.flatMap((a) => (a.error ? [a.error] : []));
        if (definition.fallback === undefined)
          failed(
            withheld ??
              (ctx.ended === "deadline"
                ? new DeadlineExceededError(o.deadlineMs, { attempts: ctx.attempts })
                : new AllAttemptsFailedError(ctx.attempts)),
          );
        partial.value = await resolveFallback(definition, input, errors, ctx.deadlineAt).catch(failed);
        emit?.({ type: "fallback", callId, ts: Date.now(), reason: errors.at(-1)?.message ?? "no model answered" });
        partial.source = "fallback";
        partial.rung = null;
        partial.model = "hardcoded_fallback";
        partial.latencyMs = Date.now() - startedAt;
        partial.errors = errors;
      }
      result = partial as GenerateResult<T>;
    } finally {
      admission.release();
      clearTimeout(deadline);
      perCall.signal?.removeEventListener("abort", onCallerAbort);
    }
    emit?.({ type: "call_end", callId, ts: Date.now(), task: definition.name, result });
    return result;
  }

  /**
   * A streamed call of a task: snapshots through the channel, the same result as generate. Never throws:
   * `getDefined` checks a one-off stream's definition (its errors reject the result) or hands back a task's.
   */
  function streamCall<T>(
    definition: TaskDefinition<T>,
    getDefined: () => Defined<T>,
    input: unknown,
    o: TaskStreamOptions & { signal?: AbortSignal | undefined },
  ): StructuredStream<T> {
    const stop = new AbortController();
    const channel = new StreamChannel<T>(o.atomic ?? [], stop, (o.privateContext ?? definition.privateContext) !== undefined); // a leak is judged on the whole answer
    let result: Promise<GenerateResult<T>>;
    try {
      for (const [key, v] of Object.entries({ firstChunkMs: o.firstChunkMs, idleMs: o.idleMs })) {
        const problem = v === undefined ? null : millisecondsProblem(key, v);
        if (problem !== null) throw new ConfigurationError(`stream: ${problem}`);
      }
      const callSignal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
      const { firstChunkMs, idleMs, atomic: _atomic, signal: _signal, ...perCall } = o;
      result = call(
        getDefined(),
        input,
        { ...perCall, signal: callSignal },
        {
          run: streamCascade(channel, { firstChunkMs, idleMs }),
          operation: "stream",
        },
      );
    } catch (err) {
      result = Promise.reject(err);
    }
    return channel.attach(result);
  }

  return {
    generate<T>(generateOptions: GenerateOptions<T>) {
      const definition = definitionOf(generateOptions, "generate");
      let defined: Defined<T>;
      try {
        defined = define(definition);
      } catch (err) {
        return Promise.reject(err); // a promise-returning call reports bad options by rejecting, never by throwing
      }
      const { input, signal } = generateOptions;
      return call(defined, input, signal ? { signal } : NO_OPTIONS);
    },
    stream<T>(streamOptions: StreamOptions<T>): StructuredStream<T> {
      const { input, signal, firstChunkMs, idleMs, atomic } = streamOptions;
      const definition = definitionOf(streamOptions, "generate"); // same name as generate: same wire schema, same cache key
      return streamCall(definition, () => define(definition), input, { signal, firstChunkMs, idleMs, atomic });
    },
    text(textOptions: TextOptions) {
      const { input, signal } = textOptions;
      const definition = definitionOf<string>(textOptions as TextOptions & { schema: typeof FREE_TEXT.source }, "text");
      definition.schema = FREE_TEXT.source;
      let resolved: ResolvedOptions;
      try {
        resolved = layerOptions(clientOptions, definition, () => `text "${definition.name}"`);
      } catch (err) {
        return Promise.reject(err);
      }
      return call({ definition, compiled: FREE_TEXT, options: resolved }, input, signal ? { signal } : NO_OPTIONS, TEXT);
    },
    task,
    health: () => breakers?.health() ?? [],
    on: listen,
    close() {
      store?.close();
    },
  };
}
