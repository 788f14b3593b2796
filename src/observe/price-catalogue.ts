/**
 * The price catalogue: dollar prices of known models from `@pydantic/genai-prices`, loaded lazily on first
 * use (≈40 ms, ≈5 MB), with cached-input, cache-write and reasoning-token rates. Unknown -> null, never 0.
 */
import { createRequire } from "node:module";
import type { Price, Usage } from "../core/index.js";

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

/** Per-million rates of a model when its price is linear in Ballast's token counts below `maxInput` tokens. */
interface FlatRates {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  /** Dollars per request (a few providers charge one). */
  perRequest: number;
  /** Above this many input tokens a tier applies (long-context pricing): the catalogue prices those. */
  maxInput: number;
  /** Epoch ms of the model's next dated price change (re-resolved then). */
  validUntil: number;
}

/** provider + model -> rates, or "slow" when only the catalogue's own calculation is exact (time-of-day prices). */
const flatRates = new Map<string, FlatRates | "slow">();

function flatCost(r: FlatRates, u: Record<string, number>): number {
  const uncached = u.input_tokens! - u.cache_read_tokens! - u.cache_write_tokens!;
  const reasoning = Math.min(u.output_reasoning_tokens!, u.output_tokens!);
  return (
    (uncached * r.input +
      u.cache_read_tokens! * r.cacheRead +
      u.cache_write_tokens! * r.cacheWrite +
      (u.output_tokens! - reasoning) * r.output +
      reasoning * r.reasoning) /
      1e6 +
    r.perRequest
  );
}

/** An odd usage below every long-context tier, priced both ways once per model: the fast path is used only when they agree. */
const PROBE: Usage = {
  inputTokens: 100_003,
  cachedInputTokens: 20_017,
  cacheWriteTokens: 10_043,
  outputTokens: 5_021,
  reasoningTokens: 1_007,
};

function resolveFlat(gp: GenaiPrices, known: CatalogueProvider, modelId: string): FlatRates | "slow" | null {
  const probe = toCatalogueUsage(PROBE);
  const result = gp.calcPrice(probe, modelId, { provider: known });
  if (!result) return null;
  let validUntil = Number.POSITIVE_INFINITY;
  if (Array.isArray(result.model.prices)) {
    const now = Date.now();
    for (const { constraint } of result.model.prices) {
      if (!constraint) continue;
      if (constraint.type !== "start_date") return "slow"; // time-of-day prices change all day long
      const at = Date.parse(constraint.start_date);
      if (at > now) validUntil = Math.min(validUntil, at);
    }
  }
  const mp = result.model_price;
  let maxInput = Number.POSITIVE_INFINITY;
  const rate = (key: string): number | undefined => {
    const v = mp[key];
    if (v === undefined || typeof v === "number") return v;
    for (const tier of v.tiers) maxInput = Math.min(maxInput, tier.start);
    return v.base;
  };
  const input = rate("input_mtok");
  const output = rate("output_mtok");
  if (input === undefined || output === undefined) return "slow";
  const requests = mp.requests_kcount;
  const rates: FlatRates = {
    input,
    output,
    cacheRead: rate("cache_read_mtok") ?? input,
    cacheWrite: rate("cache_write_mtok") ?? input,
    reasoning: rate("output_reasoning_mtok") ?? output,
    perRequest: typeof requests === "number" ? requests / 1000 : 0,
    maxInput,
    validUntil,
  };
  if (probe.input_tokens! > maxInput) return "slow";
  const expected = result.total_price;
  return Math.abs(flatCost(rates, probe) - expected) <= 1e-9 * Math.max(1, expected) ? rates : "slow";
}

/**
 * Dollars for `usage` at the catalogue's price of provider/model, or null when the catalogue does not know it.
 * The catalogue's own calculation costs ~100-200 µs, so each model is resolved once and then priced with its
 * rates (checked against the catalogue on a probe usage, re-resolved at a dated price change); long-context
 * tiers and time-of-day prices go the catalogue's way.
 */
export function catalogueCost(provider: string, modelId: string, usage: Usage, at?: Date): number | null {
  const gp = load();
  if (!gp) return null;
  const known = findProvider(gp, provider);
  if (!known) return null;
  const key = `${provider}\u0000${modelId}`;
  if (unknownModels.has(key)) return null;
  try {
    let rates = at ? "slow" : flatRates.get(key);
    if (rates === undefined || (rates !== "slow" && Date.now() >= rates.validUntil)) {
      const resolved = resolveFlat(gp, known, modelId);
      if (resolved === null) {
        unknownModels.add(key);
        return null;
      }
      flatRates.set(key, resolved);
      rates = resolved;
    }
    const u = toCatalogueUsage(usage);
    if (rates !== "slow" && u.input_tokens! <= rates.maxInput) return flatCost(rates, u);
    const result = gp.calcPrice(u, modelId, at ? { provider: known, timestamp: at } : { provider: known });
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
