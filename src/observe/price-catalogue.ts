/**
 * The price catalogue: dollar prices of known models from `@pydantic/genai-prices`, loaded lazily on first
 * use (≈40 ms, ≈5 MB), with cached-input, cache-write and reasoning-token rates. Unknown -> null, never 0.
 */
import { createRequire } from "node:module";
import type { Price, Usage } from "../providers/types.js";

type GenaiPrices = typeof import("@pydantic/genai-prices");
type CatalogueProvider = NonNullable<ReturnType<GenaiPrices["findProvider"]>>;

/** Ballast / GenAI semantic-convention provider names that the catalogue spells differently. */
const providerAliases: Record<string, string> = {
  x_ai: "x-ai",
  "azure.ai.openai": "azure",
  "gcp.gemini": "google",
  "gcp.vertex_ai": "google",
  "gcp.gen_ai": "google",
  mistral_ai: "mistral",
};

let catalogue: GenaiPrices | null | undefined;
const providers = new Map<string, CatalogueProvider | null>();
/** provider + model ids the catalogue does not price, so repeat look-ups skip the catalogue scan. */
const unknownModels = new Set<string>();

/** Loads the catalogue synchronously (first use only). Null when the package is not installed. */
function load(): GenaiPrices | null {
  if (catalogue !== undefined) return catalogue;
  try {
    catalogue = createRequire(import.meta.url)("@pydantic/genai-prices") as GenaiPrices;
  } catch {
    catalogue = null;
  }
  return catalogue;
}

/** Warms the catalogue off the hot path (call once at client creation, e.g. in `setImmediate`). */
export function preloadPriceCatalogue(): boolean {
  return load() !== null;
}

function findProvider(gp: GenaiPrices, provider: string): CatalogueProvider | null {
  let found = providers.get(provider);
  if (found === undefined) {
    found = gp.findProvider({ providerId: providerAliases[provider] ?? provider }) ?? null;
    providers.set(provider, found);
  }
  return found;
}

/**
 * Maps Ballast usage onto the catalogue's: both count cached and cache-write tokens inside input tokens
 * (as OpenAI does), and reasoning tokens inside output tokens (as OpenAI and Anthropic report them). An
 * adapter that reports more reasoning than output tokens is taken to count them apart and is added up.
 */
function toCatalogueUsage(usage: Usage): Record<string, number> {
  const cached = Math.max(0, usage.cachedInputTokens);
  const written = Math.max(0, usage.cacheWriteTokens);
  const reasoning = Math.max(0, usage.reasoningTokens);
  const output = usage.reasoningTokens > usage.outputTokens ? usage.outputTokens + reasoning : usage.outputTokens;
  return {
    input_tokens: Math.max(usage.inputTokens, cached + written),
    cache_read_tokens: cached,
    cache_write_tokens: written,
    output_tokens: Math.max(0, output),
    output_reasoning_tokens: reasoning,
  };
}

/** Dollars for `usage` at the catalogue's price of provider/model, or null when the catalogue does not know it. */
export function catalogueCost(provider: string, modelId: string, usage: Usage, at?: Date): number | null {
  const gp = load();
  if (!gp) return null;
  const known = findProvider(gp, provider);
  if (!known) return null;
  const key = `${provider}\u0000${modelId}`;
  if (unknownModels.has(key)) return null;
  try {
    const result = gp.calcPrice(toCatalogueUsage(usage), modelId, at ? { provider: known, timestamp: at } : { provider: known });
    if (!result) unknownModels.add(key);
    return result ? result.total_price : null;
  } catch {
    return null; // malformed usage or a catalogue entry the library cannot price: unknown, not 0
  }
}

/** The catalogue's flat per-million-token prices for a model (null when unknown or tiered beyond a flat rate). */
export function cataloguePrice(provider: string, modelId: string): Price | null {
  const gp = load();
  if (!gp) return null;
  const known = findProvider(gp, provider);
  if (!known) return null;
  const probe = gp.calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, { provider: known });
  if (!probe) return null;
  const rate = (key: string): number | undefined => {
    const v = probe.model_price[key];
    return typeof v === "number" ? v : v && typeof v === "object" ? v.base : undefined;
  };
  const input = rate("input_mtok");
  const output = rate("output_mtok");
  if (input === undefined || output === undefined) return null;
  const price: Price = { inputPerMTok: input, outputPerMTok: output };
  const cached = rate("cache_read_mtok");
  const write = rate("cache_write_mtok");
  if (cached !== undefined) price.cachedInputPerMTok = cached;
  if (write !== undefined) price.cacheWritePerMTok = write;
  return price;
}

/** Dollars for `usage` at an explicit per-model price (the override that beats the catalogue). */
export function priceCost(usage: Usage, price: Price): number {
  const cached = Math.max(0, usage.cachedInputTokens);
  const written = Math.max(0, usage.cacheWriteTokens);
  const uncached = Math.max(0, usage.inputTokens - cached - written);
  const output = usage.reasoningTokens > usage.outputTokens ? usage.outputTokens + usage.reasoningTokens : usage.outputTokens;
  const usd =
    uncached * price.inputPerMTok +
    cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
    written * (price.cacheWritePerMTok ?? price.inputPerMTok) +
    output * price.outputPerMTok;
  return usd / 1e6;
}
