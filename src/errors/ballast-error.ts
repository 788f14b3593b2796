/** The base class of every error Ballast raises: each carries a machine-readable `kind`. */
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
  | "batch_input";

export class BallastError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = new.target.name;
  }
}
