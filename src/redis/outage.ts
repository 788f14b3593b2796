/**
 * Fail-open bookkeeping for Redis-backed state: while Redis answers, the shared store is used; when a
 * command fails or times out, the caller's local fallback serves instead, one warning is reported per
 * outage, and Redis is tried again after a short pause.
 */

export interface OutageListener {
  /** Redis stopped answering (once per outage), with the error that showed it. */
  down?: (what: string, error: unknown) => void;
  /** Redis answers again after an outage. */
  up?: (what: string) => void;
}

/** How long a store stays on its local fallback before it tries Redis again. */
const RETRY_AFTER_MS = 1_000;

export class OutageGate {
  private downSince: number | null = null;

  constructor(
    private readonly what: string,
    private readonly listener: OutageListener,
    private readonly timeoutMs: number,
  ) {}

  /** Whether Redis should be asked now (not down, or down long enough to try again). */
  shouldTry(now: number): boolean {
    return this.downSince === null || now - this.downSince >= RETRY_AFTER_MS;
  }

  get isDown(): boolean {
    return this.downSince !== null;
  }

  succeeded(): void {
    if (this.downSince === null) return;
    this.downSince = null;
    this.listener.up?.(this.what);
  }

  failed(error: unknown, now: number): void {
    const first = this.downSince === null;
    this.downSince = now;
    if (first) this.listener.down?.(this.what, error);
  }

  /**
   * Runs `remote` when Redis should be asked, else (or when it fails) `local`. `local` must be cheap and
   * never fail: it is the process's own copy of the state.
   */
  async run<T>(remote: () => Promise<T>, local: () => T): Promise<T> {
    const now = Date.now();
    if (!this.shouldTry(now)) return local();
    try {
      const value = await bounded(remote(), this.timeoutMs);
      this.succeeded();
      return value;
    } catch (error) {
      this.failed(error, now);
      return local();
    }
  }
}

/**
 * `work`, or a rejection once `ms` have passed without an answer. The verdict waits one more turn of the
 * event loop (setImmediate runs after pending I/O is read): a process that was busy for longer than `ms`
 * (loading a module, say) must not take a reply already on the socket for a timeout. ioredis's own
 * `commandTimeout` is a plain timer and does exactly that.
 */
function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (!settled) reject(new Error(`Redis did not answer within ${ms} ms`));
        }),
      ms,
    );
    work.then(
      (v) => {
        settled = true;
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        settled = true;
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
