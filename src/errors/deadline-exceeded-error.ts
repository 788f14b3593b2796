/** The whole call ran out of its `deadlineMs` budget before any rung produced a valid answer. */
import { BallastError } from "./ballast-error.js";

export class DeadlineExceededError extends BallastError {
  constructor(readonly deadlineMs: number) {
    super("deadline_exceeded", `the call's deadline of ${deadlineMs} ms passed`);
  }
}
