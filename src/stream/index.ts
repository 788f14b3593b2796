/**
 * Streaming structured output: validated partial snapshots of the answer as it is written, resets when an
 * attempt fails mid-stream, first-chunk and idle deadlines, and the same final result as `generate`.
 */
export { StreamChannel, type StreamSink } from "./structured-stream.js";
export { streamCascade } from "./run-stream-cascade.js";
export type { DeepPartial, ResetEvent, SnapshotEvent, StreamDeadlines, StreamEvent, StructuredStream } from "./types.js";
