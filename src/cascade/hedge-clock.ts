/**
 * One hedged call's hedge clock: from what the launch loop tells it (launches, their ends, their waits to
 * retry), when the next hedge is due and, once every model of the cascade has started, which model a
 * repeat request goes to. The loop owns the launches; this owns the timing and the choice.
 */
import { type BallastError, ConnectionError, ProviderHttpError } from "../errors/index.js";
import type { CallContext } from "./call-context.js";
import { modelKey } from "./model-key.js";
import { type HedgePolicy, hedgeDelay, repeatDelay } from "./hedge-policy.js";

export class HedgeClock<T> {
  /** Per rung: launches in flight, how its last launch failed, until when one of them waits to retry, failures so far. */
  private readonly running: number[];
  private readonly failed: Array<BallastError | undefined>;
  private readonly restUntil: number[];
  private readonly faults: number[];
  private inFlight = 0;
  private repeatsLeft: number;
  /** The latest launch: its identity, when it started, and how long it runs before the next model, or a repeat, hedges it. */
  private latest: object | null = null;
  private lastLaunch = 0;
  private delay: number;
  private repeatAfter: number | undefined;
  /** When the latest launch's current attempt started: its launch, or the end of its last wait to retry. */
  private retryFrom = 0;
  /** Set when the latest launch sits idle past its hedge point: the hedge starts now. */
  private early = false;

  constructor(
    private readonly ctx: CallContext<T>,
    private readonly policy: HedgePolicy,
  ) {
    const n = ctx.models.length;
    this.running = new Array<number>(n).fill(0);
    this.failed = new Array<BallastError | undefined>(n).fill(undefined);
    this.restUntil = new Array<number>(n).fill(0);
    this.faults = new Array<number>(n).fill(0);
    this.repeatsLeft = policy.repeats;
    this.delay = policy.afterMs;
  }

  /** A launch of `rung` (identified by `launch`) starts now; returns how long after the previous one it started. */
  launched(rung: number, launch: object): number {
    const now = this.ctx.now();
    const after = this.early ? now - this.lastLaunch : this.delay;
    this.running[rung]!++;
    this.inFlight++;
    this.latest = launch;
    this.lastLaunch = this.retryFrom = now;
    this.early = false;
    const model = this.ctx.models[rung]!;
    this.delay = hedgeDelay(this.ctx.replyTimes, this.policy, model);
    this.repeatAfter = repeatDelay(this.ctx.replyTimes, this.policy, model);
    return after;
  }

  /** A launch of `rung` ended, failed with `error` or not. */
  settled(rung: number, error: BallastError | undefined): void {
    this.running[rung]!--;
    this.inFlight--;
    this.failed[rung] = error;
    this.restUntil[rung] = 0;
    if (error) this.faults[rung]!++;
  }

  /**
   * A launch of `rung` waits until `until` before its next attempt (a 429's retry-after, a backoff). True
   * when that leaves the latest launch idle past its hedge point: the hedge it would get then should start
   * now (no extra request, only an earlier one; gRPC hedges a failed attempt at once too). A waiting model
   * is not repeated, so that hedge goes to another one, if any.
   */
  resting(rung: number, launch: object, until: number, untried: boolean): boolean {
    this.restUntil[rung] = until;
    this.faults[rung]!++;
    if (launch !== this.latest) return false;
    const at = this.point(untried);
    this.retryFrom = until;
    if (at === undefined || until <= at) return false;
    this.early = true;
    return true;
  }

  /** Restarts the hedge delay from now (a streamed rung let go of the stream). */
  restart(): void {
    this.lastLaunch = this.ctx.now();
    this.early = false;
  }

  /**
   * When the next hedge is due (epoch ms), or undefined when none can start; `untried`: a model of the cascade
   * has not started yet. A repeat gives the latest launch's current attempt `repeatAfter`, and a launch that
   * waited to retry gives its retry its model's repeat delay from the wait's end: a repeat sent as the wait
   * ends would reach a model that has just asked for fewer requests with two at once. When the only models
   * to repeat still wait, the loop looks again at the first of those points.
   */
  point(untried: boolean): number | undefined {
    const now = this.ctx.now();
    if (untried) return this.early ? now : this.lastLaunch + this.delay;
    if (!this.mayRepeat()) return undefined;
    const at = this.early ? now : Math.max(this.lastLaunch, this.retryFrom) + this.repeatAfter!;
    if (this.repeatRung(now) !== null) return at;
    let next = Number.POSITIVE_INFINITY;
    for (let r = 0; r < this.running.length; r++) {
      const from = this.retryHedgeable(r);
      if (this.running[r]! > 0 && from > now) next = Math.min(next, from);
    }
    return next === Number.POSITIVE_INFINITY ? undefined : Math.max(at, next);
  }

  /** When a repeat may hedge the retry `rung` sends once its wait ends (0: it has not waited). */
  private retryHedgeable(rung: number): number {
    const until = this.restUntil[rung]!;
    if (until === 0) return 0;
    return until + (repeatDelay(this.ctx.replyTimes, this.policy, this.ctx.models[rung]!) ?? this.repeatAfter!);
  }

  /** The rung a repeat goes to now, counted against `repeats`; null when none may start. */
  takeRepeat(): number | null {
    const rung = this.mayRepeat() ? this.repeatRung(this.ctx.now()) : null;
    if (rung !== null) this.repeatsLeft--;
    return rung;
  }

  /**
   * A repeat only hedges a launch in flight (with nothing running the cascade is over, not slow), and only
   * once the client knows the model's reply times (see `repeatDelay`).
   */
  private mayRepeat(): boolean {
    return this.repeatsLeft > 0 && this.repeatAfter !== undefined && this.inFlight > 0;
  }

  /**
   * The rung a repeat request goes to, or null: a model still able to answer, which is one in flight or one
   * whose last launch failed transiently (5xx, reset), never one whose breaker is open or whose launch waits to
   * retry (a 429's `retry-after`, which a repeat would ignore, or a backoff, which its own retry ends), nor one
   * whose retry after such a wait is younger than the model's repeat delay. The least busy first, then the one
   * that failed least in this call, then in cascade order.
   */
  private repeatRung(now: number): number | null {
    let best: number | null = null;
    for (let rung = 0; rung < this.running.length; rung++) {
      const failed = this.failed[rung];
      if (this.running[rung] === 0 && !(failed && transient(failed))) continue;
      if (best !== null && !this.busier(best, rung)) continue;
      if (this.retryHedgeable(rung) > now || this.ctx.breakers?.isOpen(modelKey(this.ctx.models[rung]!))) continue;
      best = rung;
    }
    return best;
  }

  /** Whether rung `a` is a worse place than `b` for a repeat: more launches in flight, or as many and more failures. */
  private busier(a: number, b: number): boolean {
    const running = this.running[a]! - this.running[b]!;
    return running > 0 || (running === 0 && this.faults[a]! > this.faults[b]!);
  }
}

/** 5xx, 408, 409, 529 or a connection dropped before a reply: the model may well answer the next request. */
function transient(error: BallastError): boolean {
  return (error instanceof ProviderHttpError && error.transient) || error instanceof ConnectionError;
}
