/**
 * The call's `deadlineMs` ran out before any rung produced a valid answer (and there was no fallback), or,
 * on an attempt's record, the deadline cut that attempt short.
 */
import type { AttemptRecord } from "../core/index.js";
import { BallastError } from "./ballast-error.js";

export class DeadlineExceededError extends BallastError<"deadline_exceeded"> {
  constructor(
    readonly deadlineMs: number,
    options?: {
      cause?: unknown;
      /** True when the attempt's own timer (clamped to what was left of the deadline) cut it. */
      attemptTimer?: boolean;
      /** Every attempt the call made, when the deadline ended the call. */
      attempts?: AttemptRecord[];
    },
  ) {
    const made = options?.attempts;
    super(
      "deadline_exceeded",
      `the call's deadline of ${deadlineMs} ms passed` + (made ? ` before any model answered validly (${made.length} attempt(s))` : ""),
      options,
    );
    this.attemptTimer = options?.attemptTimer ?? false;
    this.attempts = made ?? [];
  }
  readonly attemptTimer: boolean;
  readonly attempts: AttemptRecord[];
}
