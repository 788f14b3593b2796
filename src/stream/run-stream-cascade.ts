/**
 * The streaming cascade: the same rungs, re-asks, 429 waits and breakers as `runCascade`, with hedging
 * before the first chunk only. The first attempt to stream owns the call (the other rungs are aborted);
 * if it fails mid-stream the consumer gets a `reset` and the cascade goes on from there.
 */
import { sealAborted } from "../cascade/attempt.js";
import type { CallContext } from "../cascade/call-context.js";
import type { Cancel } from "../cascade/cancel.js";
import type { CascadeWin } from "../cascade/run-cascade.js";
import { type RungResult, runRung } from "../cascade/rung.js";
import type { AttemptRecord } from "../client/types.js";
import { AbortedError } from "../errors/aborted-error.js";
import type { ModelRequest } from "../providers/types.js";
import { runStreamAttempt, type StreamClaim } from "./stream-attempt.js";
import type { StreamSink } from "./structured-stream.js";
import type { StreamDeadlines } from "./types.js";

/** A `CascadeRunner` for `call()` that streams every attempt into `sink`. */
export function streamCascade(sink: StreamSink, deadlines: StreamDeadlines) {
  return <T>(ctx: CallContext<T>): Promise<CascadeWin<T> | null> => runStreamCascade(ctx, sink, deadlines);
}

export async function runStreamCascade<T>(
  ctx: CallContext<T>,
  sink: StreamSink,
  deadlines: StreamDeadlines,
): Promise<CascadeWin<T> | null> {
  const { models } = ctx;
  /** Launches in flight, by launch number (a passed-over rung may run again): its rung and controller. */
  const running = new Map<number, { index: number; cancel: Cancel & { release(): void } }>();
  let launches = 0;
  const settled: Array<RungResult<T>> = [];
  let next = 0;
  let lastLaunch = 0;
  /** The rung whose attempt is streaming now: no hedge starts while one streams. */
  let owner: number | null = null;
  /** Rungs aborted only because another one streamed first: they get their turn again if it fails. */
  const passedOver: number[] = [];
  const waiting = () => passedOver.length > 0 || next < models.length;
  let wake: () => void = () => {};
  let woken = new Promise<void>((r) => (wake = r));
  const offCallAbort = ctx.cancel.onAbort(() => wake());

  const claimFor = (index: number): StreamClaim => ({
    claim() {
      if (owner !== null && owner !== index) return false;
      owner = index;
      for (const { index: other, cancel } of running.values()) {
        if (other === index || cancel.aborted) continue;
        cancel.abort(new AbortedError("another rung started streaming first"));
        passedOver.push(other);
      }
      return true;
    },
    release() {
      if (owner !== index) return;
      owner = null;
      lastLaunch = ctx.now(); // a re-ask on this rung gets the full hedge delay before a hedge starts
      wake();
    },
  });

  const launch = (): boolean => {
    if (ctx.now() >= ctx.deadlineAt) return false;
    while (waiting()) {
      const index = passedOver.length > 0 ? passedOver.shift()! : next++;
      const model = models[index]!;
      const cancel = ctx.cancel.child(); // aborts with the call, or alone when another rung streams or wins
      const slot = launches++;
      running.set(slot, { index, cancel });
      lastLaunch = ctx.now();
      const kind = running.size > 1 ? "hedge" : "initial";
      if (kind === "hedge")
        ctx.emit?.({ type: "hedge", callId: ctx.callId, ts: lastLaunch, model: model.modelId, afterMs: ctx.hedgeAfterMs ?? 0 });
      const claim = claimFor(index);
      // The cascade's own rung (re-asks, 429 waits, breaker), each attempt streamed.
      const streamed = (k: AttemptRecord["kind"], followUp: ModelRequest["followUp"]) =>
        runStreamAttempt<T>(ctx, model, index, k, cancel, followUp, deadlines, sink, claim);
      runRung(ctx, model, index, kind, cancel, streamed).then(
        (result) => {
          cancel.release();
          running.delete(slot);
          settled.push(result);
          wake();
        },
        (err: unknown) => {
          cancel.release();
          running.delete(slot);
          settled.push({ ok: false, error: new AbortedError(String(err)) });
          wake();
        },
      );
      return true;
    }
    return false;
  };

  try {
    launch();
    for (;;) {
      for (const result of settled.splice(0)) {
        if (result.ok) return result;
        if (result.fatal) throw result.error;
        if (owner === null) launch(); // a rung failed: the next takes its place (not while another one streams)
      }
      if (ctx.cancel.aborted) {
        if (ctx.cancel.reason instanceof AbortedError) throw ctx.cancel.reason;
        return null;
      }
      if (running.size === 0 && !launch()) return null;
      const hedging = ctx.hedgeAfterMs !== undefined && owner === null && waiting();
      const hedgeIn = hedging ? lastLaunch + ctx.hedgeAfterMs! - ctx.now() : undefined;
      if (hedgeIn !== undefined && hedgeIn <= 0) {
        launch();
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const hedged = hedgeIn === undefined ? null : new Promise<void>((r) => (timer = setTimeout(r, hedgeIn)));
      await (hedged ? Promise.race([woken, hedged]) : woken);
      clearTimeout(timer);
      woken = new Promise<void>((r) => (wake = r));
    }
  } finally {
    offCallAbort();
    for (const { cancel } of running.values()) cancel.abort(new AbortedError("another rung answered first"));
    for (const record of ctx.attempts) {
      if (record.outcome === "error" && !record.error) sealAborted(ctx, record);
    }
  }
}
