/** The caller's AbortSignal fired, or a hedge lost the race and was cancelled. */
import { BallastError } from "./ballast-error.js";

export class AbortedError extends BallastError<"aborted"> {
  constructor(reason = "the request was aborted") {
    super("aborted", reason);
  }
}
