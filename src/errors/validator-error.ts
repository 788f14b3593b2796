/**
 * The caller's own validator or transform threw (a bug in a zod `.transform`, say), rather than reporting
 * issues. The call rejects with it at once; the original exception is its `cause`, and no model is blamed.
 */
import { BallastError } from "./ballast-error.js";

export class ValidatorError extends BallastError<"validator_error"> {
  constructor(cause: unknown) {
    const what = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super("validator_error", `the schema's validator or transform threw: ${what}`, { cause });
  }
}
