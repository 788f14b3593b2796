/**
 * The base class of every error Ballast raises. Each subclass declares its literal `kind`, so a
 * `BallastErrorUnion` narrows on `e.kind` (`e.kind === "rate_limited" && e.retryAfterMs`); `cause` is kept.
 */
export type ErrorKind =
  | "timeout"
  | "deadline_exceeded"
  | "aborted"
  | "rate_limited"
  | "provider_http"
  | "connection"
  | "invalid_output"
  | "refusal"
  | "truncated"
  | "content_filter"
  | "configuration"
  | "all_attempts_failed"
  | "fallback_failed"
  | "budget_exceeded"
  | "circuit_open"
  | "context_window"
  | "private_context_leak"
  | "batch_input"
  | "queue_unavailable"
  | "validator_error";

export class BallastError<K extends ErrorKind = ErrorKind> extends Error {
  readonly kind: K;
  constructor(kind: K, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = new.target.name;
    // Kept even when the runtime's Error ignores the option, so `cause` is always there to read.
    if (options && "cause" in options && this.cause === undefined) this.cause = options.cause;
  }
}
