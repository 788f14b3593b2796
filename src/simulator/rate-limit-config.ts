/** The simulator's rate-limit config: per model, requests and tokens per window (names are a public contract). */
import { checkNumber, isRecord } from "./config-checks.js";
import { SimulatorConfigError } from "./simulator-config-error.js";

export interface RateLimitConfig {
  /** Requests accepted per window. */
  requests?: number;
  /** Tokens (prompt + output) accepted per window. */
  tokens?: number;
  /** The sliding window, in ms (default 60,000: per minute). A short one makes tests fast. */
  windowMs?: number;
}

export function validateRateLimits(raw: unknown): Map<string, RateLimitConfig> {
  const out = new Map<string, RateLimitConfig>();
  if (raw === undefined) return out;
  if (!isRecord(raw)) throw new SimulatorConfigError("rateLimits", "must be an object keyed by model name");
  for (const [model, limit] of Object.entries(raw)) {
    const base = `rateLimits.${model}`;
    if (!isRecord(limit)) throw new SimulatorConfigError(base, "must be an object");
    for (const key of Object.keys(limit)) {
      if (!["requests", "tokens", "windowMs"].includes(key))
        throw new SimulatorConfigError(`${base}.${key}`, "is not a known rate-limit field");
      checkNumber(limit[key], `${base}.${key}`, { min: 1 });
    }
    out.set(model, limit as RateLimitConfig);
  }
  return out;
}
