/**
 * A non-2xx reply from a provider that is neither a 429 nor a context-window error. `status` >= 500 (and
 * 408, 409, 529) is transient and retried on the same model; any other 4xx is that model's failure (a
 * retired model, a parameter it refuses): the cascade records it, warns, and moves on.
 */
import { BallastError } from "./ballast-error.js";

export class ProviderHttpError extends BallastError<"provider_http"> {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
    options?: { cause?: unknown },
  ) {
    super("provider_http", message, options);
  }
  get transient(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 409;
  }
}
