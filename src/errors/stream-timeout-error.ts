/** A streaming attempt went quiet: no first chunk within `firstChunkMs`, or a gap over `idleMs`; the stream was aborted. */
import { TimeoutError } from "./timeout-error.js";

export class StreamTimeoutError extends TimeoutError {
  constructor(
    /** "first_chunk": nothing arrived in time; "idle": the stream stalled between chunks. */
    readonly phase: "first_chunk" | "idle",
    timeoutMs: number,
    model?: string,
  ) {
    super(timeoutMs, model);
    this.message =
      phase === "first_chunk"
        ? `no first chunk${model ? ` from ${model}` : ""} within ${timeoutMs} ms; the stream was aborted`
        : `the stream${model ? ` from ${model}` : ""} went ${timeoutMs} ms without a chunk; it was aborted`;
  }
}
