/** HTTP 429: carries how long the provider asked us to wait. */
import { BallastError } from "./ballast-error.js";

export class RateLimitedError extends BallastError<"rate_limited"> {
  constructor(
    readonly status: number,
    /** From `retry-after-ms` or `retry-after`; undefined when the provider did not say. */
    readonly retryAfterMs: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("rate_limited", message, options);
  }
}
