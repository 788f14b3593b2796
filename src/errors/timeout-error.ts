/** An attempt that did not answer within its per-attempt timeout; the request was aborted. */
import { BallastError } from "./ballast-error.js";

export class TimeoutError extends BallastError<"timeout"> {
  constructor(
    readonly timeoutMs: number,
    readonly model?: string,
  ) {
    super("timeout", `no answer${model ? ` from ${model}` : ""} within ${timeoutMs} ms; the request was aborted`);
  }
}
