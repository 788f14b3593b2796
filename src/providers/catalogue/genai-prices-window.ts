/**
 * Context windows from the `@pydantic/genai-prices` catalogue (the one Ballast prices with), for models the
 * models.dev snapshot does not list yet: it is released more often and matches aliases and snapshots by its
 * own rules. Loaded synchronously on the first such look-up (≈40 ms once; the client preloads it anyway).
 */
import { createRequire } from "node:module";

type GenaiPrices = typeof import("@pydantic/genai-prices");

/** Ballast / GenAI semantic-convention provider names that genai-prices spells differently. */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  x_ai: "x-ai",
  "azure.ai.openai": "azure",
  "gcp.gemini": "google",
  "gcp.vertex_ai": "google",
  "gcp.gen_ai": "google",
  vertex: "google",
  mistral_ai: "mistral",
};

let catalogue: GenaiPrices | null | undefined;

function load(): GenaiPrices | null {
  if (catalogue === undefined) {
    try {
      catalogue = createRequire(import.meta.url)("@pydantic/genai-prices") as GenaiPrices;
    } catch {
      catalogue = null;
    }
  }
  return catalogue;
}

/** The model's context window per genai-prices, or undefined when it lists none. */
export function genaiPricesWindow(provider: string, modelId: string): number | undefined {
  const gp = load();
  if (!gp) return undefined;
  try {
    const known = gp.findProvider({ providerId: PROVIDER_ALIASES[provider] ?? provider });
    if (!known) return undefined;
    const found = gp.calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, { provider: known });
    const window = (found?.model as { context_window?: unknown } | undefined)?.context_window;
    return typeof window === "number" && window > 0 ? window : undefined;
  } catch {
    return undefined;
  }
}
