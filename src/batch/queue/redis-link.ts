/**
 * Every Redis operation of a distributed batch goes through a `RedisLink`: each try is bounded
 * (`commandTimeoutMs`); when one fails, the link is paused (one `onPause`), the operation is tried again every
 * second, and the first success resumes it (one `onResume`). Redis failing for longer than `outageMs` ends the
 * wait with a QueueUnavailableError, so no wait is ever unbounded.
 */
import { AbortedError, QueueUnavailableError } from "../../errors/index.js";

/** How often a paused link tries Redis again. */
const RETRY_MS = 1_000;

export interface RedisLinkOptions {
  /** The Redis URL as it may be shown (no password). */
  url: string;
  commandTimeoutMs: number;
  outageMs: number;
  onPause?: (reason: string) => void;
  onResume?: (pausedMs: number) => void;
}

export class RedisLink {
  private downSince: number | null = null;
  private resumed = false;

  constructor(private readonly options: RedisLinkOptions) {}

  get paused(): boolean {
    return this.downSince !== null;
  }

  /** True once after each outage ended (for callers that must redo work Redis may have lost). */
  takeResumed(): boolean {
    const r = this.resumed;
    this.resumed = false;
    return r;
  }

  /** Runs `op` (which must be safe to repeat) until it succeeds, Redis has been failing for `outageMs`, or `signal` aborts. */
  async run<T>(op: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (;;) {
      if (signal?.aborted) throw new AbortedError("the batch was stopped while Redis was unreachable");
      try {
        const value = await withDeadline(op(), this.options.commandTimeoutMs);
        if (this.downSince !== null) {
          const pausedMs = Date.now() - this.downSince;
          this.downSince = null;
          this.resumed = true;
          this.options.onResume?.(pausedMs);
        }
        return value;
      } catch (error) {
        const now = Date.now();
        if (this.downSince === null) {
          this.downSince = now;
          this.options.onPause?.(error instanceof Error ? error.message : String(error));
        } else if (now - this.downSince >= this.options.outageMs) {
          throw new QueueUnavailableError(this.options.url, now - this.downSince, { cause: error });
        }
        await sleep(Math.min(RETRY_MS, Math.max(0, this.downSince + this.options.outageMs - now)), signal);
      }
    }
  }
}

/** `work`, or a rejection once `ms` passed without an answer (the timer cleared either way). */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  work.catch(() => {}); // a late rejection after the deadline is not unhandled
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Waits `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
