/**
 * Something the caller must fix: a bad option, a schema that cannot be sent, a fallback that does not fit
 * the schema, a missing API key, or a 400/401/403/404 from the provider. Never silently fallen back from.
 */
import { BallastError } from "./ballast-error.js";
import type { ValidationIssue } from "../core/index.js";

export class ConfigurationError extends BallastError<"configuration"> {
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
    options?: { cause?: unknown; status?: number },
  ) {
    super("configuration", message, options);
    this.status = options?.status;
  }
  readonly status: number | undefined;
}
