/**
 * The options one call runs with: the defaults, overridden by the client's, the task's, then the call's.
 * Layered key by key over the known option names (no spreads of whole definitions on every call).
 */
import type { LanguageModel } from "../providers/types.js";
import type { CallOptions } from "./options.js";

export const DEFAULTS = { timeoutMs: 30_000, deadlineMs: 60_000, reasks: 1, temperature: 0, frequencyPenalty: 0.2, maxRetryWaitMs: 5_000 };

export type ResolvedOptions = typeof DEFAULTS & CallOptions & { models: readonly LanguageModel[] };

const KEYS = [
  "models", "timeoutMs", "deadlineMs", "reasks", "temperature", "frequencyPenalty", "topP", "maxOutputTokens",
  "seed", "n", "hedge", "maxRetryWaitMs", "mode", "headers", "cache",
] as const satisfies ReadonlyArray<keyof CallOptions>;

/** `base` with every option `over` sets (not undefined); `base` itself when `over` changes nothing. */
export function layerOptions(base: ResolvedOptions, over: CallOptions): ResolvedOptions {
  let out: Record<string, unknown> | null = null;
  for (const key of KEYS) {
    const v = over[key];
    if (v !== undefined && v !== base[key]) (out ??= { ...base })[key] = v;
  }
  return (out as ResolvedOptions | null) ?? base;
}
