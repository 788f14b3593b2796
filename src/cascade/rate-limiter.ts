/**
 * Request and token rate limits per model: a token bucket for requests per window and one for tokens per
 * window, taken together (a call waits until both have room). The local limiter serves one process;
 * `ballast/redis` gives the same semantics to every process sharing a Redis.
 *
 * Semantics: a bucket holds at most `burst` units and refills at `limit / windowMs` per millisecond. A call
 * takes 1 request and its estimated tokens; `settle` later corrects the token bucket by the reported usage
 * (it may go below zero, which delays the next calls). Over any run of length T the units taken stay within
 * `burst + limit * T / windowMs`, so with a small burst the rate holds to the limit.
 *
 * Two ways to wait. `take` takes only when there is room now, else answers how long to wait, and the caller
 * asks again then (and may lose the room to another caller, and ask again). `reserve` takes at once and
 * answers when the units are due: the bucket goes into debt, the next caller's units fall due after them, and
 * the caller sleeps and goes without asking again. Both keep the same bucket, so they mix: a unit reserved
 * 200 ms ahead makes a `take` wait those 200 ms too.
 */
import { ConfigurationError } from "../errors/index.js";

export interface RateLimit {
  /** Requests allowed per window (RPM with the default window). */
  requests?: number;
  /** Tokens (input + output) allowed per window (TPM with the default window). */
  tokens?: number;
  /** @default 60_000 (per minute) */
  windowMs?: number;
  /** Most units a bucket holds, as a share of the window: bursts up to this much run at once. @default 1 / 60 (one second's worth) */
  burstShare?: number;
}

export interface RateCost {
  requests: number;
  tokens: number;
}

export interface RateLimiter {
  /** Takes `cost` from `key`'s buckets if both have room: 0. Otherwise takes nothing and answers how long to wait (ms) before trying again. */
  take(key: string, cost: RateCost, limit: RateLimit): number | Promise<number>;
  /** Corrects the token bucket once the real usage is known (`tokens` = actual - estimated; may be negative). */
  settle(key: string, tokens: number, limit: RateLimit): void | Promise<void>;
  /**
   * Takes `cost` now if its units fall due within `maxWaitMs`, and answers in how many ms they do (0: at
   * once); answers -1 and takes nothing when they fall due later. The caller sleeps that long and sends,
   * without asking again. A negative cost gives units back (a reservation its caller will not use).
   * Optional: gates fall back to asking `take` again after each wait.
   */
  reserve?(key: string, cost: RateCost, limit: RateLimit, maxWaitMs: number): number | Promise<number>;
}

interface Bucket {
  level: number;
  at: number;
}

/** Capacity and refill rate (per ms) of one dimension of a limit. */
export function bucketShape(perWindow: number, limit: RateLimit): { capacity: number; rate: number } {
  const windowMs = limit.windowMs ?? 60_000;
  return { capacity: Math.max(1, perWindow * (limit.burstShare ?? 1 / 60)), rate: perWindow / windowMs };
}

function level(b: Bucket, capacity: number, rate: number, now: number): number {
  return Math.min(capacity, b.level + (now - b.at) * rate);
}

/** The in-process limiter answers at once. */
export interface LocalRateLimiter extends RateLimiter {
  take(key: string, cost: RateCost, limit: RateLimit): number;
  settle(key: string, tokens: number, limit: RateLimit): void;
  reserve(key: string, cost: RateCost, limit: RateLimit, maxWaitMs: number): number;
}

/** One process's limiter; pass one instance to several clients to share it between them. */
export function localRateLimiter(clock: () => number = Date.now): LocalRateLimiter {
  const buckets = new Map<string, Bucket>();
  const bucket = (key: string, capacity: number, now: number) => {
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { level: capacity, at: now }));
    return b;
  };
  /** The wait until `cost` fits; takes it when that wait is at most `maxWaitMs` (the caller learns which by comparing). */
  const takeWithin = (key: string, cost: RateCost, limit: RateLimit, maxWaitMs: number): number => {
    const now = clock();
    let wait = 0;
    // a cost with no positive part gives units back: it never waits
    const giving = cost.requests <= 0 && cost.tokens <= 0;
    const parts: [Bucket, number, number][] = [];
    for (const [dim, amount, per] of [
      ["r", cost.requests, limit.requests],
      ["t", cost.tokens, limit.tokens],
    ] as const) {
      if (per === undefined) continue;
      const { capacity, rate } = bucketShape(per, limit);
      const b = bucket(`${key}:${dim}`, capacity, now);
      const have = level(b, capacity, rate, now);
      // A cost above the capacity can never fit: let it through when the bucket is full.
      const need = Math.min(amount, capacity);
      if (!giving && have < need) wait = Math.max(wait, Math.ceil((need - have) / rate));
      parts.push([b, have, amount]);
    }
    if (wait > maxWaitMs) return wait;
    for (const [b, have, amount] of parts) {
      b.level = have - amount;
      b.at = now;
    }
    return wait;
  };
  return {
    take: (key, cost, limit) => takeWithin(key, cost, limit, 0),
    reserve(key, cost, limit, maxWaitMs) {
      const wait = takeWithin(key, cost, limit, maxWaitMs);
      return wait > maxWaitMs ? -1 : wait;
    },
    settle(key, tokens, limit) {
      if (limit.tokens === undefined || tokens === 0) return;
      const now = clock();
      const { capacity, rate } = bucketShape(limit.tokens, limit);
      const b = bucket(`${key}:t`, capacity, now);
      b.level = level(b, capacity, rate, now) - tokens;
      b.at = now;
    },
  };
}

/** Throws a ConfigurationError naming the first bad field of `limits` (client option `rateLimits`). */
export function checkRateLimits(limits: Readonly<Record<string, RateLimit>>): void {
  for (const [key, limit] of Object.entries(limits)) {
    const where = `rateLimits["${key}"]`;
    if (typeof limit !== "object" || limit === null) throw new ConfigurationError(`${where} must be an object like { requests: 500 }`);
    if (limit.requests === undefined && limit.tokens === undefined)
      throw new ConfigurationError(`${where} sets neither requests nor tokens`);
    for (const field of ["requests", "tokens", "windowMs"] as const) {
      const v = limit[field];
      if (v !== undefined && !(typeof v === "number" && Number.isFinite(v) && v > 0 && v <= 2 ** 31 - 1))
        throw new ConfigurationError(`${where}.${field} must be a positive number, got ${String(v)}`);
    }
    const b = limit.burstShare;
    if (b !== undefined && !(typeof b === "number" && b > 0 && b <= 1))
      throw new ConfigurationError(`${where}.burstShare must be in (0, 1], got ${String(b)}`);
  }
}
