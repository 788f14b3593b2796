/** The caller's fallback function threw, or returned a value that does not fit the schema. */
import { BallastError } from "./ballast-error.js";
import type { ValidationIssue } from "../core/index.js";

export class FallbackFailedError extends BallastError<"fallback_failed"> {
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super("fallback_failed", message, options);
  }
}
