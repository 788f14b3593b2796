/**
 * The base class of every error Ballast raises. Each subclass declares its literal `kind`, so a
 * `BallastErrorUnion` narrows on `e.kind` (`e.kind === "rate_limited" && e.retryAfterMs`); `cause` is kept.
 */
import type { ErrorKind } from "../core/index.js";

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
