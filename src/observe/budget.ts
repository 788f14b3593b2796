/**
 * The spend guard: a dollar limit per client over a sliding time window. Each call reserves its worst-case
 * cost before it starts (`admit`) and releases the reservation when it ends; attempts add their real cost
 * as they finish. A call is admitted only while spent + reserved is under the limit, so any number of
 * concurrent calls overshoot the limit by at most one call's worst case. Attempts whose model has no known
 * price are counted apart, or priced at `assumePrice` when given.
 */
import { BudgetExceededError } from "../errors/index.js";
import type { Price, BallastEvent } from "../core/index.js";
import { priceCost } from "./price-catalogue.js";

export interface BudgetOptions {
  /** Dollars allowed per window. */
  limitUsd: number;
  /** Sliding window length in ms. Default: no window (the limit covers the client's lifetime). */
  windowMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * The price to assume for models whose price is unknown (no `price` option, not in the catalogue): their
   * calls are reserved and counted at it. Without it such calls are only counted (`unknownCosts`).
   */
  assumePrice?: Price;
  /** Output tokens a call's worst case assumes when it sets no `maxOutputTokens`. @default 4096 */
  assumeMaxOutputTokens?: number;
}

export interface Budget {
  /** Throws `BudgetExceededError` when the spend plus the reservations in the current window reach the limit. */
  check(): void;
  /**
   * Checks, then reserves `worstUsd` for a call about to start; returns the release to call when it ends.
   * Throws `BudgetExceededError` (nothing reserved) when the limit is reached.
   */
  admit(worstUsd: number): () => void;
  /** Adds one attempt's cost. null (unknown price) cannot be counted: it only increments `unknownCosts`. */
  record(usd: number | null): void;
  /** Dollars spent in the current window. */
  spent(): number;
  /** Dollars reserved by calls in flight. */
  reserved(): number;
  /** Dollars left in the current window, reservations deducted (never negative). */
  remaining(): number;
  /** Attempts recorded with an unknown price (priced at `assumePrice` when given, else not in `spent()`). */
  readonly unknownCosts: number;
  /** The options' `assumePrice`, for working out worst cases of unknown-price models. */
  readonly assumePrice: Price | undefined;
  readonly assumeMaxOutputTokens: number;
  /** An event listener that records every `attempt_end`'s cost: subscribe it instead of calling `record`. */
  readonly listener: (event: BallastEvent) => void;
}

export function createBudget(options: BudgetOptions): Budget {
  const { limitUsd, windowMs, assumePrice } = options;
  const now = options.now ?? Date.now;
  if (!(limitUsd >= 0)) throw new RangeError("createBudget: limitUsd must be a number >= 0");
  const assumeMaxOutputTokens = options.assumeMaxOutputTokens ?? 4096;
  if (!(Number.isInteger(assumeMaxOutputTokens) && assumeMaxOutputTokens > 0))
    throw new RangeError("createBudget: assumeMaxOutputTokens must be a whole number > 0");
  const entries: Array<{ at: number; usd: number }> = [];
  let total = 0;
  let unknown = 0;
  let held = 0;
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
      if (s + held >= limitUsd) throw new BudgetExceededError(limitUsd, s);
    },
    admit(worstUsd) {
      budget.check();
      const hold = Number.isFinite(worstUsd) && worstUsd > 0 ? worstUsd : 0;
      held += hold;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held -= hold;
        if (held < 1e-12) held = 0; // wipe float drift
      };
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
    reserved: () => held,
    remaining: () => Math.max(0, limitUsd - spent() - held),
    get unknownCosts() {
      return unknown;
    },
    assumePrice,
    assumeMaxOutputTokens,
    listener: (event) => {
      if (event.type !== "attempt_end") return;
      const { costUsd, usage } = event.attempt;
      if (costUsd === null && assumePrice) {
        unknown++;
        budget.record(priceCost(usage, assumePrice));
      } else budget.record(costUsd);
    },
  };
  return budget;
}
