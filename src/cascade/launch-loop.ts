/**
 * The one launch-and-settle loop behind every cascade, whole or streamed: rungs start in order; with
 * hedging, the next starts once the latest launch has gone its hedge delay (`hedge-policy.ts`) without a
 * valid answer, and once every rung has started a hedge repeats a model that can still answer; the first
 * valid answer wins and the others are aborted (their attempts stay in the record, sealed). The streamed
 * cascade plugs in through `LaunchHooks`: a rung that owns the stream holds back new launches, and rungs
 * it pushed aside are queued to run again if it fails.
 */
import type { AttemptRecord, LanguageModel } from "../core/index.js";
import { AbortedError, DeadlineExceededError } from "../errors/index.js";
import { sealAborted } from "./attempt.js";
import type { CallContext } from "./call-context.js";
import type { Cancel } from "./cancel.js";
import { HedgeClock } from "./hedge-clock.js";
import type { CascadeWin, RungResult } from "./rung.js";

/** What the loop offers its hooks: the rungs in flight and a way to wake it. */
export interface LaunchControl {
  /** Aborts every running rung other than `rung` with `reason`; returns the rungs it aborted. */
  abortOthers(rung: number, reason: AbortedError): number[];
  /** Queues rungs to run again before any new one (rungs pushed aside by a stream that later failed). */
  requeue(rungs: readonly number[]): void;
  /** Restarts the hedge delay from now and re-evaluates the loop. */
  restartHedgeClock(): void;
}

export interface LaunchHooks<T> {
  /** Runs one rung to its end (re-asks, retries, breaker included). */
  runRung(model: LanguageModel, rung: number, kind: AttemptRecord["kind"], cancel: Cancel): Promise<RungResult<T>>;
  /** True while no new rung may start, not even a hedge (a rung owns the stream). */
  holding?(): boolean;
}

/** How the loop ended without a winner: every rung failed, or the deadline came first. */
export type LoopEnd = "exhausted" | "deadline";

/**
 * Runs the rungs of `ctx` until one answers validly (its win), none is left or the deadline passes (null;
 * `ctx.ended` says which). Throws only on the caller's abort or a rung's fatal error (the caller's own bug).
 */
export async function runLaunchLoop<T>(
  ctx: CallContext<T>,
  hooksFor: (control: LaunchControl) => LaunchHooks<T>,
): Promise<CascadeWin<T> | null> {
  const { models } = ctx;
  /** Launches in flight, by launch number (a requeued or repeated rung may run twice): its rung and Cancel. */
  const running = new Map<number, { rung: number; cancel: Cancel & { release(): void } }>();
  const settled: Array<RungResult<T>> = [];
  const queued: number[] = [];
  const clock = ctx.hedge ? new HedgeClock(ctx, ctx.hedge) : null;
  let launches = 0;
  let next = 0;
  let wake: () => void = () => {};
  let woken = new Promise<void>((r) => (wake = r));
  const offCallAbort = ctx.cancel.onAbort(() => wake());
  const untried = () => queued.length > 0 || next < models.length;
  const pastDeadline = () => ctx.now() >= ctx.deadlineAt;

  const control: LaunchControl = {
    abortOthers(rung, reason) {
      const aborted: number[] = [];
      for (const other of running.values()) {
        if (other.rung === rung || other.cancel.aborted) continue;
        other.cancel.abort(reason);
        aborted.push(other.rung);
      }
      return aborted;
    },
    requeue(rungs) {
      queued.push(...rungs);
    },
    restartHedgeClock() {
      clock?.restart();
      wake();
    },
  };
  if (clock)
    ctx.resting = (cancel, until) => {
      for (const { rung, cancel: c } of running.values()) if (c === cancel && clock.resting(rung, cancel, until, untried())) wake();
    };
  const hooks = hooksFor(control);
  const holding = hooks.holding ?? (() => false);

  const launch = (): boolean => {
    if (pastDeadline()) return false; // a rung started at the deadline could only be aborted
    // A requeued rung, the next untried one, else (hedged, others in flight) a repeat.
    const rung = queued.length > 0 ? queued.shift()! : next < models.length ? next++ : (clock?.takeRepeat() ?? null);
    if (rung === null) return false;
    const model = models[rung]!;
    const cancel = ctx.cancel.child(); // aborts with the call, or alone when another rung wins or streams
    const slot = launches++;
    running.set(slot, { rung, cancel });
    const afterMs = clock ? clock.launched(rung, cancel) : 0;
    const kind = running.size > 1 ? "hedge" : "initial";
    if (kind === "hedge") ctx.emit?.({ type: "hedge", callId: ctx.callId, ts: ctx.now(), model: model.modelId, afterMs });
    const done = (result: RungResult<T>) => {
      cancel.release();
      running.delete(slot);
      clock?.settled(rung, result.ok ? undefined : result.error);
      settled.push(result);
      wake();
    };
    hooks.runRung(model, rung, kind, cancel).then(done, (err: unknown) => done({ ok: false, error: new AbortedError(String(err)) }));
    return true;
  };

  try {
    launch();
    for (;;) {
      for (const result of settled.splice(0)) {
        if (result.ok) return result;
        if (result.fatal) throw result.error;
        if (!holding()) launch(); // a rung failed: the next one takes its place (not while another one streams)
      }
      if (ctx.cancel.aborted) {
        if (ctx.cancel.reason instanceof AbortedError) throw ctx.cancel.reason;
        ctx.ended = "deadline";
        return null; // the caller falls back now, not after the stragglers
      }
      // Past the deadline but its timer has not fired yet (a busy event loop): the same end, at once.
      if (pastDeadline()) {
        ctx.ended = "deadline";
        return null;
      }
      if (running.size === 0 && !launch()) {
        ctx.ended = "exhausted";
        return null;
      }
      const at = clock && !holding() ? clock.point(untried()) : undefined;
      const hedgeIn = at === undefined ? undefined : at - ctx.now();
      if (hedgeIn !== undefined && hedgeIn <= 0 && launch()) continue;
      // Wake on a settled rung, the call's abort (the deadline's timer too) or the hedge delay.
      const timer = hedgeIn !== undefined ? setTimeout(wake, Math.max(1, hedgeIn)) : undefined;
      await woken;
      clearTimeout(timer);
      woken = new Promise<void>((r) => (wake = r));
    }
  } finally {
    offCallAbort();
    ctx.resting = undefined;
    // The reason is an Error (a stack captured): built only when a rung is left to abort, not on every call.
    if (running.size > 0) {
      const reason = ctx.ended === "deadline" ? deadlineReason(ctx) : new AbortedError("another rung answered first");
      for (const { cancel } of running.values()) cancel.abort(reason);
    }
    sealUnfinished(ctx);
  }
}

function deadlineReason<T>(ctx: CallContext<T>): DeadlineExceededError {
  return ctx.cancel.reason instanceof DeadlineExceededError ? ctx.cancel.reason : new DeadlineExceededError(ctx.deadlineMs);
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
