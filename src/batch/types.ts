/**
 * The public types of a batch run: one input row, one result row, the run's options (grouped by concern)
 * and its progress events and summary.
 */
import type { AttemptRecord, ResultSource } from "../core/index.js";
import type { RateLimiter } from "../cascade/index.js";
import type { ProviderPauses } from "./provider-pauses.js";

/** One input line: `{"id": <string|number>, "input": <any>}`. */
export interface BatchRow {
  id: string | number;
  input: unknown;
  /** 1-based line number in the input file, when the row came from one. */
  line?: number;
}

/** One output line. */
export interface BatchRowResult<T = unknown> {
  id: string | number;
  value: T;
  source: ResultSource;
  /** The model that produced the value, or "hardcoded_fallback". */
  model: string;
  /** Dollars for the row (the Batch API's discount applied); null when a price is unknown. */
  costUsd: number | null;
  tokens: { input: number; output: number };
  errors: Array<{ kind: string; message: string }>;
  /** The rung of the cascade that answered (0 = primary); null for the hardcoded fallback. */
  rung: number | null;
  /** "live" (the cascade) or "batch" (a provider Batch API). */
  via: "live" | "batch";
}

/** A malformed input line, reported with its line number. */
export interface BadLine {
  line: number;
  reason: string;
}

/** Per-model request and token limits the client holds itself to. */
export interface ModelLimits {
  /** Requests per minute (or per `windowMs`). */
  rpm?: number;
  /** Tokens per minute (or per `windowMs`): input estimated locally, corrected by the reported usage. */
  tpm?: number;
}

export interface BatchOptions {
  /** The journal file (SQLite). Required: it is what makes the run resumable. */
  journal: string;
  /** The id of the run on its traces (`ballast stats --batch <id>`). @default a new id, kept in the journal */
  batchId?: string;
  /** Rows in flight at most (AIMD lowers it on 429s and climbs back). @default 16 */
  concurrency?: number;
  /** Per-model limits (key: `"provider:model"`, model id, or `"*"`), or one set for every model. */
  limits?: ModelLimits | Record<string, ModelLimits>;
  /** The window `rpm` and `tpm` count over. @default 60_000 */
  limitWindowMs?: number;
  /**
   * Where `limits` are kept: the client's `RateLimiter` interface, so a shared one (`(await redis(url)).rateLimiter`
   * from `ballast/redis`) holds them across processes and clients. @default this process's own (`localRateLimiter()`)
   */
  limiter?: RateLimiter;
  /**
   * Pauses asked for by the provider: 429 `retry-after` always; `x-ratelimit-*` when the SDK client's fetch is
   * `rateLimitFetch(pauses)`. @default a new one for the run (429s only)
   */
  pauses?: ProviderPauses;
  /**
   * Start no row once the spend so far (this run and earlier ones) plus the estimated cost of the rows in
   * flight and of the next row would pass this many dollars. Rows in flight finish at what they really cost
   * (a retry or a re-ask costs more than estimated), so the total can pass the budget by that difference.
   */
  budgetUsd?: number;
  /** Malformed rows: "skip" them (reported) or "stop" the run. @default "skip" */
  onBadRow?: "skip" | "stop";
  /** How rows are sent. @default "live" */
  mode?: "live" | "batch" | "auto";
  /** Provider Batch API settings (mode "batch" or "auto"). */
  providerBatch?: import("./provider-batch/types.js").ProviderBatchOptions;
  /** Stops taking new rows; in-flight rows finish (or are abandoned after `graceMs`). */
  signal?: AbortSignal;
  /** How long in-flight rows may take to finish after `signal` aborts. @default 10_000 */
  graceMs?: number;
  /** Progress and lifecycle events. */
  onEvent?: (event: BatchEvent) => void;
}

export interface BatchCounts {
  total: number | null;
  done: number;
  skipped: number;
  model: number;
  repaired: number;
  fallback: number;
  bad: number;
  costUsd: number;
  inFlight: number;
  /** Current concurrency window (AIMD). */
  window: number;
  /** Milliseconds of 429 back-off still pending, 0 when none. */
  backoffMs: number;
}

export type BatchEvent =
  | { type: "start"; batchId: string; resumed: number; invalidated: number }
  | { type: "bad_row"; line: number | null; reason: string }
  | { type: "row"; result: BatchRowResult; counts: BatchCounts }
  | { type: "rate_limited"; model: string; retryAfterMs: number | null; window: number }
  | { type: "provider_batch"; provider: string; batchId: string; status: string; rows: number }
  | { type: "stop"; reason: StopReason; message: string; counts: BatchCounts };

export type StopReason = "done" | "budget" | "signal" | "bad_row" | "output";

export interface BatchSummary {
  batchId: string;
  reason: StopReason;
  message: string;
  counts: BatchCounts;
  badRows: BadLine[];
}

export type AttemptLike = Pick<AttemptRecord, "rung" | "outcome" | "error" | "model">;
