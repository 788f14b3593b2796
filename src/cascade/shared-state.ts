/**
 * `ballast/shared-state`: state several processes can share, circuit breakers and rate limits, and the
 * pieces to build your own store. `ballast/redis` makes one; `createBallast({ shared })` takes it.
 * Implementations fail open (the process's own state serves while the shared one is unreachable) and report
 * each outage through `onOutage`. A custom `BreakerStore` needs only a compare-and-set over
 * `BreakerRecord`s: `admitCall` and `settleCall` are the breaker's pure state machine.
 *
 * @example
 * import { admitCall, localRateLimiter, memoryBreakerStore, type SharedState } from "ballast/shared-state";
 * const shared: SharedState = {
 *   breakerStore: memoryBreakerStore(), // or one over your database, built on admitCall/settleCall
 *   rateLimiter: localRateLimiter(),
 *   onOutage: () => () => {},
 *   close: async () => {},
 * };
 * const llm = createBallast({ models, shared, rateLimits: { "openai:gpt-4.1": { requests: 500 } } });
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

export { memoryBreakerStore, type BreakerStore } from "./breaker-store.js";
export {
  admitCall,
  settleCall,
  type Admission,
  type BreakerOutcome,
  type BreakerPolicy,
  type BreakerRecord,
  type BreakerVerdict,
  type BreakerState,
  type Settlement,
} from "./breaker-state.js";
export { localRateLimiter, type LocalRateLimiter, type RateCost, type RateLimit, type RateLimiter } from "./rate-limiter.js";
