/** Any other non-2xx reply from a provider. `status` >= 500 is transient; 4xx means the request itself is wrong. */
import { BallastError } from "./ballast-error.js";

export class ProviderHttpError extends BallastError {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super("provider_http", message);
  }
  get transient(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 409;
  }
}
