/** HTTP 429 (or Anthropic 529 overloaded): carries how long the provider asked us to wait. */
import { BallastError } from "./ballast-error.js";

export class RateLimitedError extends BallastError {
  constructor(
    readonly status: number,
    /** From `retry-after-ms` or `retry-after`; undefined when the provider did not say. */
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super("rate_limited", message);
  }
}
