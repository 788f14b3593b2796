/**
 * A distributed batch's Redis stayed unreachable (or kept timing out) for longer than the run allows. The
 * enqueuer's journal keeps every row collected so far, and jobs already in Redis stay there: running the same
 * command again once Redis answers resumes the batch.
 */
import { BallastError } from "./ballast-error.js";

export class QueueUnavailableError extends BallastError<"queue_unavailable"> {
  constructor(
    /** The Redis URL, its password left out. */
    readonly url: string,
    /** How long Redis had been failing when the run gave up. */
    readonly downForMs: number,
    options?: { cause?: unknown },
  ) {
    const why = options?.cause instanceof Error ? `: ${options.cause.message}` : "";
    super("queue_unavailable", `Redis at ${url} did not answer for ${Math.round(downForMs)} ms${why}`, options);
  }
}
