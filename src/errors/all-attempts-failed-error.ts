/** No model produced a valid answer and there was no fallback: carries every attempt made. */
import type { AttemptRecord } from "../core/index.js";
import { BallastError } from "./ballast-error.js";

export class AllAttemptsFailedError extends BallastError<"all_attempts_failed"> {
  constructor(readonly attempts: AttemptRecord[]) {
    const last = attempts.at(-1);
    super(
      "all_attempts_failed",
      `no model produced a valid answer after ${attempts.length} attempt(s)` +
        // provider errors already open with the model's name
        (last?.error ? `; last: ${last.error.message.startsWith(`${last.model}: `) ? "" : `${last.model}: `}${last.error.message}` : ""),
    );
  }
}
