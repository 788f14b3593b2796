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
import { ReplyTimes, BreakerRegistry, type ModelHealth, RateGate, localRateLimiter, runCascade } from "../cascade/index.js";
import type { LanguageModel, Price, EventListener, GenerateResult } from "../core/index.js";
import { ConfigurationError } from "../errors/index.js";
import { createBudget, createEmitter, preloadPriceCatalogue, createRedactor, traceStoreFromOption } from "../observe/index.js";
import { loadExactTokenCounts } from "../prompt/index.js";
import { compileSchema, FREE_TEXT, type StandardSchemaV1 } from "../schema/index.js";
import type { BallastOptions, GenerateOptions, PerCallOptions, TaskDefinition, TextOptions, StreamOptions } from "./options.js";
import { definitionOf } from "./definition-of.js";
import { knownPrice } from "./check-budget.js";
import { DEFAULTS, layerOptions, millisecondsProblem, type ResolvedOptions } from "./resolve-options.js";
import { checkClientOptions, checkSchema } from "./check-boundary.js";
import {
  callOptionsMistake,
  checkCallOptions,
  GENERATE_CALL,
  STREAM_CALL,
  TASK_CALL,
  TASK_STREAM_CALL,
  TEXT_CALL,
} from "./check-call-options.js";
import { checkFallback, checkTextFallback } from "./check-fallback.js";
import { checkTaskDefinition, checkTaskFields } from "./check-task-fields.js";
import type { AttemptScoped, ClientRuntime } from "./client-runtime.js";
import { finishCall } from "./finish-call.js";
import { type Defined, NO_OPTIONS, prepareCall } from "./prepare-call.js";
import { type ReplayedReply, replayRunner } from "./replay.js";
import { type CascadeRunner, runUnderDeadline } from "./run-under-deadline.js";
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

/** The per-call part of a one-off call's options (its definition is checked apart). */
function perCallOf(signal: AbortSignal | undefined, batch: PerCallOptions["batch"]): PerCallOptions {
  if (!signal && !batch) return NO_OPTIONS;
  const perCall: PerCallOptions = {};
  if (signal) perCall.signal = signal;
  if (batch) perCall.batch = batch;
  return perCall;
}

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
  const runtime: ClientRuntime = { events, store, budget, redactor, rates, replyTimes, breakers, scopes, priceOf };

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
    checkTaskFields(`task "${definition.name}"`, definition);
    checkFallback(`task "${definition.name}"`, definition);
    if (definition.models && definition.models !== clientOptions.models) setImmediate(() => warnUnknownPrices(definition.models!)).unref();
    return { definition, compiled, options: resolved };
  }

  function task<T>(definition: TaskDefinition<T>): Task<T> {
    checkTaskDefinition(definition);
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

  /** One call in three phases: prepare (nothing sent), run under the deadline, finish (result or error). */
  async function call<T>(
    defined: Defined<T>,
    input: unknown,
    perCall: PerCallOptions,
    /** How the rungs run (the cascade of whole replies, or the streaming one) and what the call is for traces. */
    { run, operation }: CallKind = GENERATE,
  ): Promise<GenerateResult<T>> {
    checkCallOptions(perCall, TASK_CALL, defined.definition.name);
    const prepared = prepareCall(runtime, { defined, input, perCall, operation });
    return finishCall(prepared, await runUnderDeadline(prepared, run, perCall.signal));
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
    // `o?.`: options that are not an object are refused just below, on the stream's result
    const channel = new StreamChannel<T>(o?.atomic ?? [], stop, (o?.privateContext ?? definition.privateContext) !== undefined); // a leak is judged on the whole answer
    let result: Promise<GenerateResult<T>>;
    try {
      checkCallOptions(o, TASK_STREAM_CALL, definition.name);
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
      const mistake = callOptionsMistake(generateOptions, GENERATE_CALL);
      if (mistake) return Promise.reject(mistake);
      const definition = definitionOf(generateOptions, "generate");
      let defined: Defined<T>;
      try {
        defined = define(definition);
      } catch (err) {
        return Promise.reject(err); // a promise-returning call reports bad options by rejecting, never by throwing
      }
      const { input, signal, batch } = generateOptions;
      return call(defined, input, perCallOf(signal, batch));
    },
    stream<T>(streamOptions: StreamOptions<T>): StructuredStream<T> {
      const mistake = callOptionsMistake(streamOptions, STREAM_CALL);
      if (mistake)
        return streamCall(
          { name: "stream" } as TaskDefinition<T>,
          () => {
            throw mistake;
          },
          undefined,
          {},
        );
      const { input, signal, batch, firstChunkMs, idleMs, atomic } = streamOptions;
      const definition = definitionOf(streamOptions, "generate"); // same name as generate: same wire schema, same cache key
      return streamCall(definition, () => define(definition), input, { signal, batch, firstChunkMs, idleMs, atomic });
    },
    text(textOptions: TextOptions) {
      const mistake = callOptionsMistake(textOptions, TEXT_CALL);
      if (mistake) return Promise.reject(mistake);
      const { input, signal, batch } = textOptions;
      const definition = definitionOf<string>(textOptions as TextOptions & { schema: typeof FREE_TEXT.source }, "text");
      definition.schema = FREE_TEXT.source;
      let resolved: ResolvedOptions;
      try {
        resolved = layerOptions(clientOptions, definition, () => `text "${definition.name}"`);
        checkTaskFields(`text "${definition.name}"`, definition, true);
        checkTextFallback(`text "${definition.name}"`, definition.fallback);
      } catch (err) {
        return Promise.reject(err);
      }
      return call({ definition, compiled: FREE_TEXT, options: resolved }, input, perCallOf(signal, batch), TEXT);
    },
    task,
    health: () => breakers?.health() ?? [],
    on: listen,
    close() {
      store?.close();
    },
  };
}
