/**
 * The options one call runs with: the defaults, overridden by the client's, the task's, then the call's.
 * Layered key by key over the known option names, checking each value on the way (one pass, no spreads of
 * whole definitions on every call), so a bad value is a ConfigurationError naming the option.
 */
import { ConfigurationError } from "../errors/configuration-error.js";
import type { LanguageModel } from "../providers/types.js";
import type { CallOptions } from "./options.js";

export const DEFAULTS = { timeoutMs: 30_000, deadlineMs: 60_000, reasks: 1, temperature: 0, frequencyPenalty: 0.2, maxRetryWaitMs: 5_000 };

export type ResolvedOptions = typeof DEFAULTS & CallOptions & { models: readonly LanguageModel[] };

const KEYS = [
  "models",
  "timeoutMs",
  "deadlineMs",
  "reasks",
  "temperature",
  "frequencyPenalty",
  "topP",
  "maxOutputTokens",
  "seed",
  "n",
  "hedge",
  "maxRetryWaitMs",
  "mode",
  "headers",
  "cache",
  "retry",
] as const satisfies ReadonlyArray<keyof CallOptions>;

/** Why `v` is not a valid value for option `key`, or null when it is. */
function problemOf(key: (typeof KEYS)[number], v: unknown): string | null {
  switch (key) {
    case "timeoutMs":
    case "deadlineMs":
    case "maxRetryWaitMs":
      return typeof v === "number" && v > 0 && Number.isFinite(v)
        ? null
        : `${key} must be a positive number of milliseconds, got ${String(v)}`;
    case "n":
      return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 128
        ? null
        : `n must be a whole number from 1 to 128, got ${String(v)}`;
    case "reasks":
      return Number.isInteger(v) && (v as number) >= 0 ? null : `reasks must be a whole number >= 0, got ${String(v)}`;
    case "models":
      return Array.isArray(v) && v.length > 0 ? null : `models must be a non-empty array of models, e.g. [openai("gpt-4o")]`;
    case "temperature":
      return (v as number) >= 0 && (v as number) <= 2 ? null : `temperature must be between 0 and 2, got ${String(v)}`;
    case "hedge":
      return !v || (v as { afterMs: number }).afterMs >= 0 ? null : "hedge.afterMs must be >= 0";
    case "retry":
      return retryProblem(v);
    default:
      return null;
  }
}

/**
 * `base` with every option `over` sets (not undefined), each checked first; `base` itself when `over`
 * changes nothing. `where` names the options in errors (a function: built only when one is thrown).
 */
export function layerOptions(base: ResolvedOptions, over: CallOptions, where: () => string): ResolvedOptions {
  // Most definitions and calls set none of these: named reads (monomorphic, unlike `over[key]` in a loop
  // over a definition without the key, which is a megamorphic miss up the prototype chain) settle it.
  const o = over;
  if (
    o.models === undefined &&
    o.timeoutMs === undefined &&
    o.deadlineMs === undefined &&
    o.reasks === undefined &&
    o.temperature === undefined &&
    o.frequencyPenalty === undefined &&
    o.topP === undefined &&
    o.maxOutputTokens === undefined &&
    o.seed === undefined &&
    o.n === undefined &&
    o.hedge === undefined &&
    o.maxRetryWaitMs === undefined &&
    o.mode === undefined &&
    o.headers === undefined &&
    o.cache === undefined &&
    o.retry === undefined
  )
    return base;
  let out: Record<string, unknown> | null = null;
  for (const key of KEYS) {
    const v = over[key];
    if (v === undefined) continue;
    const problem = problemOf(key, v);
    if (problem !== null) throw new ConfigurationError(`${where()}: ${problem}`);
    if (v !== base[key]) (out ??= { ...base })[key] = v;
  }
  return (out as ResolvedOptions | null) ?? base;
}

/** Why a `retry` option is not valid, or null. */
function retryProblem(v: unknown): string | null {
  if (typeof v !== "object" || v === null) return `retry must be an object like { limit: 1, backoffMs: 100 }, got ${String(v)}`;
  const r = v as Record<string, unknown>;
  const whole = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 10;
  if (r.limit !== undefined && !whole(r.limit)) return `retry.limit must be a whole number from 0 to 10, got ${String(r.limit)}`;
  if (r.backoffMs !== undefined && !(typeof r.backoffMs === "number" && r.backoffMs >= 0 && Number.isFinite(r.backoffMs)))
    return `retry.backoffMs must be a number of milliseconds >= 0, got ${String(r.backoffMs)}`;
  if (r.models !== undefined) {
    if (typeof r.models !== "object" || r.models === null) return "retry.models must map model ids to retry limits";
    for (const [id, limit] of Object.entries(r.models))
      if (!whole(limit)) return `retry.models["${id}"] must be a whole number from 0 to 10, got ${String(limit)}`;
  }
  return null;
}
