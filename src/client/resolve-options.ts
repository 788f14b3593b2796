/**
 * The options one call runs with: the defaults, overridden by the client's, the task's, then the call's.
 * Layered key by key over the known option names, checking each value on the way (one pass, no spreads of
 * whole definitions on every call), so a bad value is a ConfigurationError naming the option.
 */
import { ConfigurationError } from "../errors/index.js";
import { CALL_OPTION_NAMES, type CallOptionName, type CallOptions } from "./options.js";
import { describe, headersProblem, type LanguageModel } from "../core/index.js";

export const DEFAULTS = { timeoutMs: 30_000, deadlineMs: 60_000, reasks: 1, temperature: 0, frequencyPenalty: 0.2, maxRetryWaitMs: 5_000 };

export type ResolvedOptions = typeof DEFAULTS & CallOptions & { models: readonly LanguageModel[] };

const OPTION_NAMES: ReadonlySet<string> = new Set(CALL_OPTION_NAMES);

/** The largest delay a Node timer honours: a longer one overflows and fires after ~1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const OUTPUT_MODES: readonly string[] = ["json_schema", "json_object", "tool", "prompt"];

/** Why `v` is not a whole-or-fractional millisecond count a timer can wait, or null. */
export function millisecondsProblem(key: string, v: unknown, min = 1): string | null {
  return typeof v === "number" && v >= min && v <= MAX_TIMER_MS
    ? null
    : `${key} must be a ${min === 1 ? "positive number of milliseconds up" : `number of milliseconds from ${min}`} to ${MAX_TIMER_MS} (2^31 - 1, the longest Node timer), got ${describe(v)}`;
}

const inRange = (v: unknown, min: number, max: number): boolean => typeof v === "number" && v >= min && v <= max;

/** Why `m` is not a LanguageModel (an adapter such as `openai("gpt-4o")`), or null. */
export function modelProblem(m: unknown, index: number): string | null {
  const where = `models[${index}]`;
  if (typeof m === "string") return `${where} is the string ${JSON.stringify(m)}: pass a model, e.g. openai(${JSON.stringify(m)})`;
  if (m === null || typeof m !== "object") return `${where} must be a model such as openai("gpt-4o"), got ${describe(m)}`;
  const o = m as Partial<LanguageModel>;
  if (typeof o.generate !== "function" || typeof o.modelId !== "string" || typeof o.provider !== "string" || !Array.isArray(o.modes))
    return `${where} is not a LanguageModel (it needs provider, modelId, modes and generate()); pass a model such as openai("gpt-4o")`;
  return null;
}

/** Why `v` is not a valid value for option `key`, or null when it is. */
function problemOf(key: CallOptionName, v: unknown): string | null {
  switch (key) {
    case "timeoutMs":
    case "deadlineMs":
    case "maxRetryWaitMs":
      return millisecondsProblem(key, v);
    case "n":
      return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 128
        ? null
        : `n must be a whole number from 1 to 128, got ${describe(v)}`;
    case "reasks":
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100
        ? null
        : `reasks must be a whole number from 0 to 100, got ${describe(v)}`;
    case "models": {
      if (!Array.isArray(v) || v.length === 0) return `models must be a non-empty array of models, e.g. [openai("gpt-4o")]`;
      for (let i = 0; i < v.length; i++) {
        const problem = modelProblem(v[i], i);
        if (problem !== null) return problem;
      }
      return null;
    }
    case "temperature":
      return inRange(v, 0, 2) ? null : `temperature must be a number from 0 to 2, got ${describe(v)}`;
    case "frequencyPenalty":
      return inRange(v, -2, 2) ? null : `frequencyPenalty must be a number from -2 to 2, got ${describe(v)}`;
    case "topP":
      return inRange(v, 0, 1) ? null : `topP must be a number from 0 to 1, got ${describe(v)}`;
    case "maxOutputTokens":
      return Number.isInteger(v) && inRange(v, 1, MAX_TIMER_MS) ? null : `maxOutputTokens must be a whole number >= 1, got ${describe(v)}`;
    case "seed":
      return Number.isSafeInteger(v) ? null : `seed must be a whole number, got ${describe(v)}`;
    case "mode":
      return OUTPUT_MODES.includes(v as string) ? null : `mode must be one of ${OUTPUT_MODES.join(", ")}, got ${describe(v)}`;
    case "hedge":
      if (v === false || v === null) return null;
      if (v === null || typeof v !== "object") return `hedge must be { afterMs } or false, got ${describe(v)}`;
      return hedgeProblem(v as Record<string, unknown>);
    case "headers":
      return headersProblem(v);
    case "cache":
      return cacheProblem(v);
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
  // Only the keys `over` has are visited (a call's options usually hold one or two, often none of these):
  // a loop over every option name would read absent keys, each a megamorphic miss up the prototype chain.
  let out: Record<string, unknown> | null = null;
  for (const key in over) {
    if (!OPTION_NAMES.has(key)) continue;
    const v = over[key as CallOptionName];
    if (v === undefined) continue;
    const problem = problemOf(key as CallOptionName, v);
    if (problem !== null) throw new ConfigurationError(`${where()}: ${problem}`);
    if (v !== base[key as CallOptionName]) (out ??= { ...base })[key] = v;
  }
  return (out as ResolvedOptions | null) ?? base;
}

/** Why a `hedge` option is not valid, or null. */
function hedgeProblem(h: Record<string, unknown>): string | null {
  const q = h.quantile;
  if (q !== undefined && q !== false && !(typeof q === "number" && q > 0 && q < 1))
    return `hedge.quantile must be a number between 0 and 1 (exclusive) or false, got ${describe(q)}`;
  const r = h.repeats;
  if (r !== undefined && !(Number.isInteger(r) && (r as number) >= 0 && (r as number) <= 10))
    return `hedge.repeats must be a whole number from 0 to 10, got ${describe(r)}`;
  return millisecondsProblem("hedge.afterMs", h.afterMs, 0);
}

const BREAKPOINTS: readonly unknown[] = ["auto", "none"];
const TTLS: readonly unknown[] = ["5m", "1h"];

/** Why a `cache` option is not valid, or null. */
function cacheProblem(v: unknown): string | null {
  if (v === null || typeof v !== "object" || Array.isArray(v))
    return `cache must be an object like { key: "my-task", breakpoints: "auto", ttl: "5m" }, got ${describe(v)}`;
  const c = v as Record<string, unknown>;
  for (const key in c) {
    if (key !== "key" && key !== "breakpoints" && key !== "ttl")
      return `cache.${key} is not an option (cache takes key, breakpoints and ttl)`;
  }
  if (c.key !== undefined && typeof c.key !== "string") return `cache.key must be a string, got ${describe(c.key)}`;
  if (c.breakpoints !== undefined && !BREAKPOINTS.includes(c.breakpoints))
    return `cache.breakpoints must be "auto" or "none", got ${describe(c.breakpoints)}`;
  if (c.ttl !== undefined && !TTLS.includes(c.ttl)) return `cache.ttl must be "5m" or "1h", got ${describe(c.ttl)}`;
  return null;
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
