/** The public types of a call: options in, result out, and the per-attempt record. */
import type { ErrorKind } from "./error-kind.js";
import type { ValidationIssue } from "./validation-issue.js";
import type { FinishReason, Usage } from "./language-model.js";

/** How one provider call ended. */
export type AttemptOutcome =
  | "ok" // valid as returned
  | "repaired" // valid after JSON recovery
  | "invalid" // parsed or not, failed validation
  | "timeout"
  | "rate_limited"
  | "http_error"
  | "connection_error"
  | "refusal"
  | "truncated"
  | "content_filter"
  | "aborted" // lost a hedge race, or the caller cancelled it
  | "deadline" // cut short by the call's deadline
  | "skipped_breaker" // not called: the model's circuit breaker was open
  | "error"; // anything else (configuration, context window…)

export interface AttemptRecord {
  id: string;
  model: string;
  provider: string;
  /** 0 for the primary model, 1 for the first fallback model, … */
  rung: number;
  /**
   * "initial" first call on a rung, "reask" re-prompt with validation errors, "retry" after a 429 wait or a
   * transient failure (5xx, 529, connection reset), "hedge" started concurrently.
   */
  kind: "initial" | "reask" | "retry" | "hedge";
  outcome: AttemptOutcome;
  startedAt: number;
  latencyMs: number;
  usage: Usage;
  /** Dollars this attempt consumed; null when the model's price is unknown. */
  costUsd: number | null;
  finishReason?: FinishReason;
  /** The model that answered, as the provider named it (a dated snapshot of an alias, say). */
  responseModel?: string;
  /** The provider's id for the response (OpenAI `chatcmpl-…`, Anthropic `msg_…`). */
  responseId?: string;
  /** Recovery steps applied to the reply (empty when it parsed as is). */
  recoverySteps: string[];
  /**
   * True when `usage` (and so `costUsd`) was counted locally because the attempt was cut short (timeout,
   * deadline, lost hedge, dropped connection): input from the request sent, output streamed so far.
   */
  estimated?: true;
  error?: { kind: ErrorKind; message: string; issues?: ValidationIssue[]; status?: number; retryAfterMs?: number };
  /** The raw reply text, when content capture is on (always kept in memory for the result). */
  responseText?: string;
}

export type ResultSource = "model" | "repaired" | "fallback";

export interface PrivateContextReport {
  outcome: "none" | "authorized" | "self_reported" | "silent";
  modelFlag: boolean;
  detected: boolean;
}

export interface GenerateResult<T> {
  /** Always valid against the schema. */
  value: T;
  /** Where the value came from: "model" (valid as returned), "repaired" (after JSON recovery), "fallback" (your default). */
  source: ResultSource;
  /**
   * The index of the model rung that answered (0 = the first model; > 0 = a later model of the cascade), or
   * null when the value is the `fallback`. `ballast traces` and the trace store use the same two words.
   */
  rung: number | null;
  /** The model that produced the value, or "hardcoded_fallback". */
  model: string;
  attempts: AttemptRecord[];
  /** Summed over every attempt, failed and aborted ones included. */
  usage: Usage;
  /** Summed dollars over every attempt; null when any attempt's price is unknown. */
  costUsd: number | null;
  latencyMs: number;
  callId: string;
  /** Errors that led to the fallback (empty when a model answered). */
  errors: AttemptRecord["error"][];
  privateContext?: PrivateContextReport;
  /**
   * With `n` > 1: every choice of the winning request that fit the schema (`value` is the first), and how
   * many choices did not. A model without `n` support answers one choice.
   */
  samples?: T[];
  invalidSamples?: number;
  /** The model's prompt feedback, when the task asked for it and the model gave some. */
  promptFeedback?: string | null;
}
