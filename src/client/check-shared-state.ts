/**
 * The client options that plug in state (`shared`, `breaker.store`) or limits over it (`rateLimits`): each must
 * have the shape the cascade calls into, or the first call would fail with a TypeError deep inside it.
 */
import { describe } from "../core/index.js";

/** Why `v` is not a breaker store (`acquire`, `record`, `get`), or null; `name` is how the caller set it. */
export function breakerStoreProblem(name: string, v: unknown): string | null {
  if (v === null || typeof v !== "object")
    return `${name} must be a breaker store (memoryBreakerStore(), or shared.breakerStore), got ${describe(v)}`;
  for (const method of ["acquire", "record", "get"] as const)
    if (typeof (v as Record<string, unknown>)[method] !== "function") return `${name} is not a breaker store: it has no ${method}() method`;
  return null;
}

/** Why `v` is not a SharedState (from `ballast/redis`, or your own), or null. */
export function sharedStateProblem(v: unknown): string | null {
  if (v === null || typeof v !== "object")
    return `shared must be shared state, e.g. await redis(url) from ballast/redis, got ${describe(v)}`;
  const s = v as Record<string, unknown>;
  if (typeof s.onOutage !== "function") return "shared is not shared state: it has no onOutage() method";
  const store = breakerStoreProblem("shared.breakerStore", s.breakerStore);
  if (store !== null) return store;
  const limiter = s.rateLimiter as Record<string, unknown> | null | undefined;
  if (limiter === null || typeof limiter !== "object" || typeof limiter.take !== "function" || typeof limiter.settle !== "function")
    return "shared.rateLimiter must be a rate limiter with take() and settle() methods";
  return null;
}

/** Why `v` is not a map of model keys to rate limits, or null (each limit's fields are checked where the limits are built). */
export function rateLimitsProblem(v: unknown): string | null {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? null
    : `rateLimits must map model keys (or "*") to limits, e.g. { "openai:gpt-4.1": { requests: 500 } }, got ${describe(v)}`;
}
