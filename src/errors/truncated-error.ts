/** The reply hit the max-tokens limit (finish_reason "length") and could not be recovered. */
import { BallastError } from "./ballast-error.js";

export class TruncatedError extends BallastError<"truncated"> {
  constructor(readonly text: string) {
    super("truncated", "the model's reply was cut off by the output token limit");
  }
}
