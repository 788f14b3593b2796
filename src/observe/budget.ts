/**
 * The spend guard: a dollar limit per client over a sliding time window. `check()` before a call throws
 * `BudgetExceededError` once the window's spend reaches the limit; `record()` after each attempt adds its cost.
 */
import { BudgetExceededError } from "../errors/budget-exceeded-error.js";
import type { BallastEvent } from "./events.js";

export interface BudgetOptions {
  /** Dollars allowed per window. */
  limitUsd: number;
  /** Sliding window length in ms. Default: no window (the limit covers the client's lifetime). */
  windowMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

export interface Budget {
  /** Throws `BudgetExceededError` when the spend in the current window is at or over the limit. */
  check(): void;
  /** Adds one attempt's cost. null (unknown price) cannot be counted: it only increments `unknownCosts`. */
  record(usd: number | null): void;
  /** Dollars spent in the current window. */
  spent(): number;
  /** Dollars left in the current window (never negative). */
  remaining(): number;
  /** Attempts recorded with an unknown price (their spend is not in `spent()`). */
  readonly unknownCosts: number;
  /** An event listener that records every `attempt_end`'s cost: subscribe it instead of calling `record`. */
  readonly listener: (event: BallastEvent) => void;
}

export function createBudget(options: BudgetOptions): Budget {
  const { limitUsd, windowMs } = options;
  const now = options.now ?? Date.now;
  if (!(limitUsd >= 0)) throw new RangeError("createBudget: limitUsd must be a number >= 0");
  const entries: Array<{ at: number; usd: number }> = [];
  let total = 0;
  let unknown = 0;
  const prune = (): void => {
    if (windowMs === undefined) return;
    const from = now() - windowMs;
    while (entries.length > 0 && entries[0]!.at <= from) total -= entries.shift()!.usd;
    if (entries.length === 0) total = 0; // wipe float drift
  };
  const spent = (): number => {
    prune();
    return total;
  };
  const budget: Budget = {
    check() {
      const s = spent();
      if (s >= limitUsd) throw new BudgetExceededError(limitUsd, s);
    },
    record(usd) {
      if (usd === null) {
        unknown++;
        return;
      }
      if (!(usd > 0)) return;
      prune();
      total += usd;
      if (windowMs !== undefined) entries.push({ at: now(), usd });
    },
    spent,
    remaining: () => Math.max(0, limitUsd - spent()),
    get unknownCosts() {
      return unknown;
    },
    listener: (event) => {
      if (event.type === "attempt_end") budget.record(event.attempt.costUsd);
    },
  };
  return budget;
}
