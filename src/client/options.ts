/** Options of the client, of a task and of one call; per-call values override the task's, which override the client's. */
import type { StreamDeadlines } from "../stream/index.js";
import type { BreakerOptions, RateLimit, SharedState } from "../cascade/index.js";
import type { AttemptRecord, EventListener, LanguageModel, ModelRequest, PromptSection, OutputMode } from "../core/index.js";
import type { PrivateContextOptions } from "../guard/index.js";
import type { BudgetOptions, RedactOptions, TracesOption } from "../observe/index.js";
import type { Example } from "../prompt/index.js";
import type { StandardSchemaV1 } from "../schema/index.js";

export interface HedgeOptions {
  /** Start the next rung concurrently when the current one has not answered validly after this long. 0 = race all. */
  afterMs: number;
  /**
   * Start the hedge sooner, once the request in flight has outlived this quantile of its model's recent
   * reply times (the last 100 this client saw, once it has seen 20), and never later than `afterMs`. A request
   * slower than nearly every recent reply of its model is most likely stuck in the tail, where a second request
   * usually answers first; the extra requests stay near (1 - quantile) of the calls plus the tail's.
   * `false`: always wait `afterMs`. @default 0.95
   */
  quantile?: number | false;
  /**
   * Once every model of the cascade has started, a hedge may repeat the request on a model that can still
   * answer (the one in flight, or one that failed with a 5xx or a reset; never one whose breaker is open or
   * that answered 429 and asked to wait), so a one-model cascade, or one whose other models are down, still
   * cuts its tail. At most this many repeats per call; none when racing (`afterMs: 0`). @default 2
   */
  repeats?: number;
}

/** What can be set on the client, a task, or a single call. */
export interface CallOptions {
  /** The cascade, in order: primary first. */
  models?: readonly LanguageModel[];
  /** Per-attempt timeout (ms). Default 30,000. */
  timeoutMs?: number;
  /**
   * Whole-call deadline (ms). Default 60,000. The models stop at it; a fallback function then gets what is
   * left of it, and at least 1 s, before the call fails with FallbackFailedError (a fallback value is instant).
   */
  deadlineMs?: number;
  /** Re-asks of the same model with its validation errors before moving on. Default 1. */
  reasks?: number;
  /** Default 0: the most likely tokens, which is what structured output wants. */
  temperature?: number;
  /** Default 0.2; omitted for providers without it (Anthropic). */
  frequencyPenalty?: number;
  topP?: number;
  maxOutputTokens?: number;
  seed?: number;
  /**
   * Choices sampled in one request where the provider supports it (OpenAI `n`); every valid one is in
   * `r.samples`. Pair with a temperature above 0. Default 1.
   */
  n?: number;
  /** Concurrent fallback; false or absent = sequential. */
  hedge?: HedgeOptions | false;
  /** Longest 429 `retry-after` honoured on the same model before moving on. Default 5,000 ms. */
  maxRetryWaitMs?: number;
  /** Force an output mode instead of each model's default. */
  mode?: OutputMode;
  /** Extra HTTP headers on every provider request. */
  headers?: Record<string, string>;
  /** Prompt-cache hints (OpenAI `prompt_cache_key`, Anthropic breakpoints/TTL). */
  cache?: ModelRequest["cache"];
  /**
   * Same-model retries after a transient failure (5xx, 529 overloaded, connection reset), each after a
   * jittered backoff and only when it fits inside the deadline. A 4xx never retries; a 429 follows
   * `maxRetryWaitMs`. @default { limit: 1, backoffMs: 100 }
   */
  retry?: RetryOptions;
}

/**
 * Every option a client, a task or a call can set: the one list the option checks, the layering
 * (`resolve-options.ts`) and the definition copy (`definition-of.ts`) read.
 */
export const CALL_OPTION_NAMES = [
  "models",
  "timeoutMs",
  "deadlineMs",
  "reasks",
  "temperature",
  "frequencyPenalty",
  "topP",
  "maxOutputTokens",
  "seed",
  "n",
  "hedge",
  "maxRetryWaitMs",
  "mode",
  "headers",
  "cache",
  "retry",
] as const satisfies ReadonlyArray<keyof CallOptions>;
export type CallOptionName = (typeof CALL_OPTION_NAMES)[number];

/** A task's own fields after its options (and its `name`, which a copy defaults). */
export const TASK_FIELD_NAMES = [
  "schema",
  "instructions",
  "examples",
  "sections",
  "fallback",
  "promptFeedback",
  "privateContext",
  ...CALL_OPTION_NAMES,
] as const satisfies ReadonlyArray<keyof TaskDefinition<unknown>>;

// Compile-time: a field added to CallOptions or TaskDefinition but not to the lists above fails here.
const everyFieldNamed: [Exclude<keyof TaskDefinition<unknown>, (typeof TASK_FIELD_NAMES)[number] | "name">] extends [never]
  ? [Exclude<keyof CallOptions, CallOptionName>] extends [never]
    ? true
    : never
  : never = true;
void everyFieldNamed;

export interface RetryOptions {
  /** Retries per rung. @default 1 */
  limit?: number;
  /** Base of the full-jitter exponential backoff: retry k waits a random time up to `backoffMs * 2^k`. @default 100 */
  backoffMs?: number;
  /** Per-model retry limits by model id (e.g. `{ "gpt-4o": 2 }`), over `limit`. */
  models?: Record<string, number>;
}

export interface BallastOptions extends CallOptions {
  models: readonly LanguageModel[];
  /** Per-model circuit breakers (default on). */
  breaker?: BreakerOptions | false;
  /** Receives every event of every call. */
  onEvent?: EventListener;
  /**
   * The embedded trace store (SQLite via the optional better-sqlite3): a file path, store options, or
   * false to turn it off. Default `.ballast/traces.db` in the working directory.
   */
  traces?: TracesOption;
  /** A spend limit per time window; past it, calls fall back (or reject with BudgetExceededError). */
  budget?: BudgetOptions;
  /**
   * What never leaves the process: your own secrets and patterns, redacted (with every private-context secret
   * and the built-in credential patterns) from every event, trace, span and thrown error; and how much of a
   * call's private context listeners see (default: its length and a hash).
   */
  redact?: RedactOptions;
  /**
   * State shared with other processes (`await redis(url)` from `ballast/redis`): circuit breakers (unless
   * `breaker.store` is set) and rate limits become fleet-wide. Default: this process's own memory.
   */
  shared?: SharedState;
  /**
   * Requests and tokens per window for each model key (`"openai:gpt-4.1"`), or `"*"` for every model. A call
   * waits (within its deadline) for room before each attempt; with `shared`, the limit holds for the fleet.
   */
  rateLimits?: Record<string, RateLimit>;
}

/** A hardcoded answer, or a function of the input and the errors that led to it. Must fit the schema. */
export type Fallback<T> = T | ((input: unknown, errors: NonNullable<AttemptRecord["error"]>[]) => T | Promise<T>);

/** `T` is the schema's output type: what `r.value` holds. */
export interface TaskDefinition<T> extends CallOptions {
  /** Groups traces, cache keys and prompt feedback. */
  name: string;
  /** A zod v4 schema, or any Standard Schema validator with a JSON Schema form. */
  schema: StandardSchemaV1<unknown, T>;
  instructions?: string;
  examples?: NoInfer<ReadonlyArray<Example & { output: T }>>;
  /** Extra prompt sections (stable ones are kept ahead of the input). */
  sections?: readonly PromptSection[];
  fallback?: NoInfer<Fallback<T>>;
  /** Ask the model to report unclear or contradictory instructions (returned as `r.promptFeedback`). */
  promptFeedback?: boolean;
  /** Private context the model may use but must not reveal without the secret (see `r.privateContext`). */
  privateContext?: PrivateContextOptions;
}

export interface PerCallOptions extends CallOptions {
  signal?: AbortSignal;
  /** Marks the call as one row of a batch run: the ids go on its trace (`ballast stats --batch <id>`). */
  batch?: { id: string; row: string };
  /** Overrides the task's private context for this call. */
  privateContext?: PrivateContextOptions;
}

export interface GenerateOptions<T> extends Omit<TaskDefinition<T>, "name">, PerCallOptions {
  name?: string;
  input: unknown;
}

/** A free-text call: instructions and input, no schema; `fallback` is a text used when no model answers. */
export interface TextOptions extends CallOptions, PerCallOptions {
  name?: string;
  instructions?: string;
  examples?: ReadonlyArray<Example & { output: string }>;
  sections?: readonly PromptSection[];
  input: unknown;
  fallback?: string | ((input: unknown, errors: NonNullable<AttemptRecord["error"]>[]) => string | Promise<string>);
}

/** What `llm.stream()` takes: a one-off call's options plus the stream's own deadlines. */
export interface StreamOptions<T> extends GenerateOptions<T>, StreamDeadlines {
  /**
   * Fields shown in snapshots only once complete (JSON pointers, `*` for any key or index), e.g.
   * `["/url", "/items/*\/sku"]`. Enums, consts, numbers and booleans are always shown only once complete.
   */
  atomic?: readonly string[];
}
