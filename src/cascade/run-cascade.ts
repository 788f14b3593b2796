/**
 * The cascade: rungs run in order; with hedging, the next rung starts concurrently once the running ones
 * have gone `hedgeAfterMs` without a valid answer. The first valid answer wins and the others are aborted
 * (their attempts stay in the record). Returns null when no rung produced a valid answer in time, so the
 * caller can fall back; throws only for errors the caller must fix (configuration) or their own abort.
 */
import { AbortedError } from "../errors/aborted-error.js";
import type { LanguageModel } from "../providers/types.js";
import type { CallContext } from "./call-context.js";
import { sealAborted } from "./attempt.js";
import type { Cancel } from "./cancel.js";
import { type RungResult, runRung } from "./rung.js";

export interface CascadeWin<T> {
  value: T;
  repaired: boolean;
  model: LanguageModel;
  /** Ballast's own fields the model filled (prompt feedback, private-context flag). */
  extras: Record<string, unknown>;
  /** The winning reply's raw text (for leak detection). */
  text: string;
  /** With `n` > 1: every valid choice of the winning request, and how many choices did not fit. */
  samples?: T[];
  invalidSamples?: number;
}

export async function runCascade<T>(ctx: CallContext<T>): Promise<CascadeWin<T> | null> {
  const { models } = ctx;
  const running = new Map<number, Cancel & { release(): void }>();
  const settled: Array<RungResult<T>> = [];
  let next = 0;
  let lastLaunch = 0;
  let wake: () => void = () => {};
  let woken = new Promise<void>((r) => (wake = r));
  const offCallAbort = ctx.cancel.onAbort(() => wake());

  const launch = (): boolean => {
    if (ctx.now() >= ctx.deadlineAt) return false; // a rung started at the deadline could only be aborted
    while (next < models.length) {
      const index = next++;
      const model = models[index]!;
      const cancel = ctx.cancel.child(); // aborts with the call, or alone when another rung wins
      running.set(index, cancel);
      lastLaunch = ctx.now();
      const kind = running.size > 1 ? "hedge" : "initial";
      if (kind === "hedge")
        ctx.emit?.({ type: "hedge", callId: ctx.callId, ts: lastLaunch, model: model.modelId, afterMs: ctx.hedgeAfterMs ?? 0 });
      runRung(ctx, model, index, kind, cancel).then(
        (result) => {
          cancel.release();
          running.delete(index);
          settled.push(result);
          wake();
        },
        (err: unknown) => {
          cancel.release();
          running.delete(index);
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
        launch(); // a rung failed: the next one takes its place
      }
      if (ctx.cancel.aborted) {
        if (ctx.cancel.reason instanceof AbortedError) throw ctx.cancel.reason;
        return null; // deadline: the caller falls back now, not after the stragglers
      }
      if (ctx.now() >= ctx.deadlineAt) return null; // past it, its timer not run yet (a busy event loop): same
      if (running.size === 0 && !launch()) return null;
      const hedgeIn = ctx.hedgeAfterMs !== undefined && next < models.length ? lastLaunch + ctx.hedgeAfterMs - ctx.now() : undefined;
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
    for (const cancel of running.values()) cancel.abort(new AbortedError("another rung answered first"));
    sealUnfinished(ctx);
  }
}

/**
 * Rungs still running when the call ends (hedge losers, the deadline) are aborted; their records are sealed
 * now, synchronously, so the result is final and the fallback is not delayed by stragglers.
 */
function sealUnfinished<T>(ctx: CallContext<T>): void {
  for (const record of ctx.attempts) {
    if (record.outcome === "error" && !record.error) sealAborted(ctx, record);
  }
}
