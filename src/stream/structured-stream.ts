/**
 * The consumer's side of a streaming call: a queue of resets and snapshot requests, snapshots built only
 * when pulled (a slow reader gets the latest state, never a backlog), and `result`.
 */
import { escapeSegment, type GenerateResult } from "../core/index.js";
import { AbortedError, type BallastError } from "../errors/index.js";
import type { CompiledSchema } from "../schema/index.js";
import { SNAPSHOT_INTERVAL_MS, type Snapshot, SnapshotBuilder, type SnapshotSource } from "./snapshot.js";
import type { StreamEvent, StructuredStream } from "./types.js";

/** One attempt that owns the stream (it produced the first chunk). */
export interface AttemptView {
  readonly attempt: number;
  readonly model: string;
  readonly builder: SnapshotBuilder;
  /** The stream ended: the last snapshot was taken before recovery could touch the parser's value. */
  closed: boolean;
  final: Snapshot | null;
}

type Item =
  | { type: "snapshot"; view: AttemptView }
  | { type: "reset"; event: StreamEvent<unknown> }
  | { type: "final"; result: GenerateResult<unknown> };

/** What the streaming cascade tells the consumer's side. */
export interface StreamSink {
  begin(attempt: number, model: string, schema: CompiledSchema<unknown>, source: SnapshotSource): AttemptView;
  /** A chunk arrived for this attempt. */
  progress(view: AttemptView): void;
  /** The attempt's stream ended (before its final value is recovered). */
  close(view: AttemptView): void;
  /** The attempt failed after it started streaming: the consumer must clear what it showed. */
  reset(view: AttemptView, error: BallastError): void;
}

export class StreamChannel<T> implements StreamSink, StructuredStream<T> {
  private readonly queue: Item[] = [];
  private waiters: Array<() => void> = [];
  private listening = false;
  private settled = false;
  private failure: { error: unknown } | null = null;
  private thrown = false;
  private retry: NodeJS.Timeout | undefined;
  result!: Promise<GenerateResult<T>>;

  constructor(
    private readonly atomic: readonly string[],
    private readonly stop: AbortController,
    /**
     * Show nothing until the final value has passed every check, then that value as one snapshot: for calls
     * with a private context, whose leak check can only judge the whole answer.
     */
    private readonly hold = false,
  ) {}

  /** Attaches the call; its end ends the iteration (rejection: the iterator throws it once). */
  attach(result: Promise<GenerateResult<T>>): this {
    this.result = result;
    result.then(
      (r) => {
        if (this.hold && this.listening && r.source !== "fallback") this.queue.push({ type: "final", result: r });
        this.finish(null);
      },
      (error: unknown) => this.finish({ error }),
    );
    return this;
  }

  abort(reason = "the caller aborted the stream"): void {
    if (!this.settled && !this.stop.signal.aborted) this.stop.abort(new AbortedError(reason));
  }

  begin(attempt: number, model: string, schema: CompiledSchema<unknown>, source: SnapshotSource): AttemptView {
    const builder = new SnapshotBuilder(source, {
      schema: schema.json,
      wrapped: schema.wrapped,
      extraFields: schema.extraFields,
      atomic: this.atomic,
    });
    return { attempt, model, builder, closed: false, final: null };
  }

  progress(view: AttemptView): void {
    if (!this.listening || this.hold) return;
    const last = this.queue[this.queue.length - 1];
    if (last?.type === "snapshot" && last.view === view) return;
    this.queue.push({ type: "snapshot", view });
    this.wake();
  }

  close(view: AttemptView): void {
    if (view.closed) return;
    view.closed = true;
    if (!this.listening || this.hold) return;
    view.final = view.builder.take(true);
    if (view.final) this.progress(view);
  }

  reset(view: AttemptView, error: BallastError): void {
    this.close(view);
    if (!this.listening || this.hold) return;
    const message = error.message;
    this.queue.push({
      type: "reset",
      event: { type: "reset", reason: message, error: { kind: error.kind, message }, attempt: view.attempt, model: view.model },
    });
    this.wake();
  }

  private finish(failure: { error: unknown } | null): void {
    this.settled = true;
    clearTimeout(this.retry);
    this.failure = failure;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private snapshotOf(view: AttemptView): Snapshot | null {
    if (!view.closed) {
      const snapshot = view.builder.take();
      if (view.builder.deferred) this.retryLater(view);
      return snapshot;
    }
    const s = view.final;
    view.final = null;
    return s;
  }

  /** A snapshot put off to keep copying linear is retried after the interval even if no chunk comes. */
  private retryLater(view: AttemptView): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!view.closed && !this.settled) this.progress(view);
    }, SNAPSHOT_INTERVAL_MS);
    this.retry.unref?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent<T>> {
    this.listening = true;
    const done = { value: undefined, done: true } as const;
    return {
      next: async (): Promise<IteratorResult<StreamEvent<T>>> => {
        for (;;) {
          while (this.queue.length > 0) {
            const item = this.queue.shift()!;
            if (item.type === "reset") return { value: item.event as StreamEvent<T>, done: false };
            if (item.type === "final") {
              const { value, attempts, model } = item.result;
              const event = {
                type: "snapshot",
                partial: value,
                done: new Set(pathsOf(value)),
                attempt: attempts.findIndex((x) => x.outcome === "ok" || x.outcome === "repaired") + 1,
                model,
              };
              return { value: event as StreamEvent<T>, done: false };
            }
            const snapshot = this.snapshotOf(item.view);
            if (snapshot) {
              const event = {
                type: "snapshot",
                partial: snapshot.partial,
                done: snapshot.done,
                attempt: item.view.attempt,
                model: item.view.model,
              };
              return { value: event as StreamEvent<T>, done: false };
            }
          }
          if (this.settled) {
            if (this.failure && !this.thrown) {
              this.thrown = true;
              throw this.failure.error;
            }
            return done;
          }
          await new Promise<void>((resolve) => this.waiters.push(resolve));
        }
      },
      return: async (): Promise<IteratorResult<StreamEvent<T>>> => {
        this.abort("the consumer stopped reading the stream");
        this.queue.length = 0;
        return done;
      },
      throw: async (error?: unknown): Promise<IteratorResult<StreamEvent<T>>> => {
        this.abort(`the consumer stopped reading the stream: ${String(error)}`);
        this.queue.length = 0;
        return done;
      },
    };
  }
}

/** Every JSON-pointer path in a complete value, children before their container. */
function pathsOf(value: unknown, path = "", out: string[] = []): string[] {
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) pathsOf(child, `${path}/${escapeSegment(key)}`, out);
  }
  out.push(path);
  return out;
}
