/**
 * State that several processes can share: circuit breakers and rate limits. `ballast/redis` makes one;
 * `createBallast({ shared })` takes it. Implementations fail open (the process's own state serves while
 * the shared one is unreachable) and report each outage through `onOutage`.
 */
import type { BreakerStore } from "./breaker-store.js";
import type { RateLimiter } from "./rate-limiter.js";

export interface SharedStateOutage {
  /** What is affected ("circuit breakers", "rate limits"). */
  what: string;
  /** true: the shared state stopped answering and local state serves; false: it answers again. */
  down: boolean;
  /** The error that showed the outage (its message), when down. */
  reason?: string;
}

export interface SharedState {
  readonly breakerStore: BreakerStore;
  readonly rateLimiter: RateLimiter;
  /** Subscribes to outages and recoveries; returns the unsubscribe function. */
  onOutage(listener: (outage: SharedStateOutage) => void): () => void;
  /** Closes the connection. */
  close(): Promise<void>;
}
