/**
 * One circuit breaker per model (closed / open / half-open; failure rate over a time window, or failures in
 * a row; cooldown), so a dead primary costs nothing after a few failures and recovers by itself.
 * The state lives in a `BreakerStore` (in memory by default), so several processes can share one breaker.
 * We replaced cockatiel here: it keeps the state inside its policy object, which cannot be shared across
 * processes, and two implementations (cockatiel in memory, ours for shared stores) would drift apart in
 * behaviour. The state machine is two small pure functions in `breaker-state.ts`.
 */
import { randomUUID } from "node:crypto";
import { type Admission, type BreakerPolicy, type BreakerRecord, type BreakerState, refuses } from "./breaker-state.js";
import { type BreakerStore, memoryBreakerStore } from "./breaker-store.js";

export type { BreakerState } from "./breaker-state.js";

export interface BreakerOptions {
  /** Failure share in the window that opens the breaker. Default 0.5. */
  threshold?: number;
  /** Length of the sampling window. Default 30 s. */
  windowMs?: number;
  /** Calls needed in the window before it may open. Default 5. */
  minimumCalls?: number;
  /** How long it stays open before a half-open trial. Default 10 s. */
  cooldownMs?: number;
  /** Open after this many consecutive failures instead of a rate (useful for tests). */
  consecutiveFailures?: number;
  /**
   * Where the state lives. Default: this client's own memory. Pass one store to several clients (or a
   * Redis-backed one to several processes) to share breakers: a model that failed for one is skipped by all.
   */
  store?: BreakerStore;
}

export interface ModelHealth {
  model: string;
  state: BreakerState;
  /** Calls with a verdict (aborted ones excluded), across every client sharing the store. */
  calls: number;
  failures: number;
}

/** A trial held longer than this (its process died mid-call) may be taken over. */
const MIN_TRIAL_LEASE_MS = 60_000;

export class BreakerRegistry {
  private readonly store: BreakerStore;
  private readonly policy: BreakerPolicy;
  /** Half-open trial ids: unique across processes sharing a store (random prefix), cheap per call (counter). */
  private readonly trialPrefix = `${randomUUID()}:`;
  private trials = 0;
  /** The last record seen per model: what `health()` shows when the store only answers asynchronously. */
  private readonly seen = new Map<string, BreakerRecord | undefined>();

  constructor(
    options: BreakerOptions,
    private readonly onTransition: (model: string, from: BreakerState, to: BreakerState) => void,
  ) {
    const threshold = options.threshold ?? 0.5;
    if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`breaker.threshold must be in (0, 1], got ${threshold}`);
    const cooldownMs = options.cooldownMs ?? 10_000;
    this.store = options.store ?? memoryBreakerStore();
    this.policy = {
      threshold,
      windowMs: options.windowMs ?? 30_000,
      minimumCalls: options.minimumCalls ?? 5,
      cooldownMs,
      consecutiveFailures: options.consecutiveFailures ?? 0,
      trialLeaseMs: Math.max(MIN_TRIAL_LEASE_MS, cooldownMs),
    };
  }

  /** Whether a call now would be refused without running (open, or another caller's half-open trial runs). */
  isOpen(model: string): boolean {
    const r = this.current(model);
    return r !== undefined && refuses(r, Date.now(), this.policy);
  }

  /**
   * Runs `fn` under the model's breaker. `fn` reports whether the outcome counts as a failure; aborted
   * attempts (lost hedges, deadline) are `neutral` and not counted either way.
   * Returns null when the breaker refused the call. Transitions are reported by the client that caused them.
   */
  async run<R>(model: string, fn: () => Promise<{ result: R; verdict: "success" | "failure" | "neutral" }>): Promise<R | null> {
    let admission: Admission | undefined;
    try {
      const pending = this.store.acquire(model, Date.now(), this.policy, `${this.trialPrefix}${++this.trials}`);
      admission = pending instanceof Promise ? await pending : pending; // the in-memory store answers at once: no extra tick
      this.note(model, admission);
    } catch {
      // A store that cannot be reached must not take the models down with it: run the call unguarded.
      admission = undefined;
    }
    if (admission && !admission.admitted) return null;
    const trial = admission?.trial;
    let outcome: { result: R; verdict: "success" | "failure" | "neutral" };
    try {
      outcome = await fn();
    } catch (err) {
      const settling = this.settle(model, "failure", trial);
      if (settling) await settling;
      throw err;
    }
    const settling = this.settle(model, outcome.verdict, trial);
    if (settling) await settling;
    return outcome.result;
  }

  /** Breaker state per model this client has used; with an asynchronous store, as last seen (see `readHealth`). */
  health(): ModelHealth[] {
    return [...this.seen.keys()].map((model) => toHealth(model, this.current(model)));
  }

  /** Like `health()`, but read from the store now (for asynchronous, shared stores). */
  async readHealth(): Promise<ModelHealth[]> {
    const models = [...this.seen.keys()];
    const records = await Promise.all(models.map((m) => this.store.get(m, Date.now())));
    return models.map((model, i) => toHealth(model, records[i]));
  }

  private settle(model: string, outcome: "success" | "failure" | "neutral", trial: string | undefined): Promise<void> | undefined {
    // An unreachable store: the outcome goes uncounted rather than failing the call.
    try {
      const pending = this.store.record(model, { outcome, now: Date.now(), policy: this.policy, trial });
      if (pending instanceof Promise)
        return pending.then(
          (settlement) => this.note(model, settlement),
          () => {},
        );
      this.note(model, pending);
    } catch {}
    return undefined;
  }

  private note(model: string, change: { from: BreakerState; to: BreakerState; record: BreakerRecord }): void {
    this.seen.set(model, change.record);
    if (change.from !== change.to) this.onTransition(model, change.from, change.to);
  }

  /** The store's record if it answers synchronously, else the last one seen. */
  private current(model: string): BreakerRecord | undefined {
    if (!this.seen.has(model)) this.seen.set(model, undefined);
    try {
      const r = this.store.get(model, Date.now());
      if (!(r instanceof Promise)) {
        this.seen.set(model, r);
        return r;
      }
      r.catch(() => {}); // not awaited here: readHealth() is the asynchronous read
    } catch {
      // fall back to the last record seen
    }
    return this.seen.get(model);
  }
}

function toHealth(model: string, r: BreakerRecord | undefined): ModelHealth {
  return { model, state: r?.state ?? "closed", calls: r?.calls ?? 0, failures: r?.failures ?? 0 };
}
