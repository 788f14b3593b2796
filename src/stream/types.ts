/** The types of a structured stream: its deadlines, the events it yields, and the stream object itself. */
import type { GenerateResult, ErrorKind } from "../core/index.js";

/** Every field optional, all the way down: what a snapshot may hold. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What can be set on a stream, per call. Durations in ms; every one of them really aborts the request. */
export interface StreamDeadlines {
  /** Longest wait from sending a request to its first chunk; past it the attempt is aborted and the cascade moves on. */
  firstChunkMs?: number;
  /** Longest gap between two chunks once the stream has started; past it the attempt is aborted. */
  idleMs?: number;
}

export interface SnapshotEvent<T> {
  type: "snapshot";
  /**
   * The answer so far, checked against the schema's deep-partial form: a complete field never changes
   * afterwards; strings may grow. Never mutated after it is yielded (unchanged parts are shared between
   * snapshots). It is the reply as written, before your validator's transforms; `result.value` has those.
   */
  partial: DeepPartial<T> | undefined;
  /** JSON-pointer paths of the complete values in `partial` ("" is the root, "/items/0/name"). */
  done: ReadonlySet<string>;
  /** Which attempt is streaming (the n of `result.attempts[n - 1]`). */
  attempt: number;
  model: string;
}

/** The attempt whose snapshots were shown failed (cut stream, idle timeout, invalid final object): clear them. */
export interface ResetEvent {
  type: "reset";
  /** Why, in words. */
  reason: string;
  error: { kind: ErrorKind; message: string };
  /** The attempt that failed; the next snapshots (if any) come from a later one. */
  attempt: number;
  model: string;
}

export type StreamEvent<T> = SnapshotEvent<T> | ResetEvent;

/**
 * A streaming call: iterate it for snapshots and resets; `result` is what `generate` would have returned.
 * Breaking out of the loop (or `abort()`) cancels the call and closes the HTTP stream at once.
 */
export interface StructuredStream<T> extends AsyncIterable<StreamEvent<T>> {
  readonly result: Promise<GenerateResult<T>>;
  /** Cancels the call; `result` rejects with an AbortedError. */
  abort(reason?: string): void;
}
