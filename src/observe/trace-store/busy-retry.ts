/**
 * Waiting out a database another connection holds locked: a write refused with SQLITE_BUSY or SQLITE_LOCKED is
 * tried again on a timer (never on a caller's path) with doubling backoff, until `busyRetryMs` after the first
 * refusal; after that, or when the store is closing, the caller gives the batch up.
 */

/** First wait before retrying a busy database; doubled on each failure up to the cap. */
const BUSY_BACKOFF_MS = 100;
const BUSY_BACKOFF_MAX_MS = 4_000;

/** SQLITE_BUSY / SQLITE_LOCKED and their extended codes: another connection holds the lock; worth a retry. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

export interface BusyRetry {
  /**
   * True when `error` is a busy refusal still within `busyRetryMs` of the first one (which starts the window),
   * and the store is not closing (`final`).
   */
  mayRetry(error: unknown, final: boolean): boolean;
  /** Runs the retry after the next backoff step, on an unref()ed timer (replacing one already waiting). */
  later(): void;
  /** The database took the batch, or the batch was given up: the window and the backoff start over. */
  settled(): void;
  /** True while a retry is waiting on its timer. */
  readonly waiting: boolean;
  /** Drops a waiting retry (the store is closing). */
  cancel(): void;
}

export function createBusyRetry(busyRetryMs: number, retry: () => void): BusyRetry {
  let since = 0; // when the database first refused the batch now waiting (0: not busy)
  let delay = 0;
  let timer: NodeJS.Timeout | null = null;
  const cancel = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    mayRetry(error, final) {
      if (final || !isBusy(error)) return false;
      if (since === 0) since = Date.now();
      return Date.now() - since < busyRetryMs;
    },
    later() {
      delay = delay === 0 ? BUSY_BACKOFF_MS : Math.min(delay * 2, BUSY_BACKOFF_MAX_MS);
      cancel();
      timer = setTimeout(() => {
        timer = null;
        retry();
      }, delay);
      timer.unref();
    },
    settled() {
      since = 0;
      delay = 0;
    },
    get waiting() {
      return timer !== null;
    },
    cancel,
  };
}
