/** The state one `generate` call carries through the cascade: prompt, budget, records, and the event sink. */
import type { AttemptRecord, BallastEvent, LanguageModel, ModelRequest, PromptSection, SamplingOptions } from "../core/index.js";
import type { CompiledSchema } from "../schema/index.js";
import type { Cancel } from "./cancel.js";
import type { BreakerRegistry } from "./circuit-breaker.js";
import type { HedgePolicy } from "./hedge-policy.js";
import type { RateGate } from "./rate-gate.js";
import type { ReplyTimes } from "./reply-times.js";

export interface CallContext<T = unknown> {
  callId: string;
  task: string;
  schema: CompiledSchema<T>;
  /** What every request of the call asks for (see `outputOf`): built once per call. */
  output: ModelRequest["output"];
  sections: PromptSection[];
  sampling: SamplingOptions;
  models: readonly LanguageModel[];
  /** Per-attempt timeout; each attempt gets min(this, what is left of the deadline). */
  timeoutMs: number;
  /** Epoch ms when the whole call must have an answer. */
  deadlineAt: number;
  /** Re-asks of the same model with the validation errors, per rung. */
  reasks: number;
  /** Longest 429 `retry-after` wait honoured on the same rung. */
  maxRetryWaitMs: number;
  /** When and where hedges start (see `hedge-policy.ts`); undefined = sequential. */
  hedge: HedgePolicy | undefined;
  /** The client's recent reply times per model, for the adaptive hedge delay. */
  replyTimes?: ReplyTimes;
  /** Fires on the deadline (DeadlineExceededError) or the caller's abort (AbortedError). */
  cancel: Cancel;
  attempts: AttemptRecord[];
  breakers: BreakerRegistry | null;
  /** Per-model rate limits, when the client sets any. */
  rates?: RateGate;
  /** null when nobody listens: events are not even built. */
  emit: ((event: BallastEvent) => void) | null;
  headers?: Record<string, string>;
  cache?: ModelRequest["cache"];
  mode?: ModelRequest["mode"];
  /** Raw-text hook run before recovery (e.g. to strip the prompt-feedback or leak fields). */
  now: () => number;
  /** The call's whole deadline in ms (for the DeadlineExceededError of attempts it cuts). */
  deadlineMs: number;
  /** Same-model retries after transient failures (5xx, 529, connection reset). */
  retry: RetryPolicy;
  /**
   * Runs an attempt's provider request inside that attempt's trace context (set when an OTel listener
   * listens), so the SDK's own spans become children of the attempt's span.
   */
  scope?: <R>(attemptId: string, fn: () => R) => R;
  /**
   * Set by the launch loop while it runs: a rung about to sit idle (a 429's `retry-after`, a backoff) says
   * until when, so a hedge can start now rather than after its delay.
   */
  resting?: (rung: Cancel, until: number) => void;
  /** Set when the cascade ends without a winner: every rung failed, or the deadline came first. */
  ended?: "exhausted" | "deadline";
}

/** Same-model retries after a transient failure, resolved for one call. */
export interface RetryPolicy {
  /** Retries per rung. */
  limit: number;
  /** Base of the full-jitter exponential backoff, ms. */
  backoffMs: number;
  /** Per-model limits by model id, over `limit`. */
  models?: Readonly<Record<string, number>>;
}
