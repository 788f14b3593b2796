/**
 * Dollar cost of one attempt from its usage. First cut: the model's own `price` only; the price catalogue
 * (observability issue) fills in known models. Returns null when the price is unknown — never a silent 0.
 */
import type { Price, Usage } from "../providers/types.js";

export function attemptCost(_provider: string, _modelId: string, usage: Usage, price?: Price): number | null {
  if (!price) return null;
  const cached = usage.cachedInputTokens;
  const uncached = Math.max(0, usage.inputTokens - cached - usage.cacheWriteTokens);
  const usd =
    uncached * price.inputPerMTok +
    cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
    usage.cacheWriteTokens * (price.cacheWritePerMTok ?? price.inputPerMTok) +
    usage.outputTokens * price.outputPerMTok;
  return usd / 1e6;
}
