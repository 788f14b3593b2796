/**
 * What each model family accepts: sampling parameters, the output-token field, reasoning effort, `n`,
 * strict schemas, output modes and (Anthropic) native structured output. One table, matched on the model
 * id's family prefix, overridable per model. The body builders omit what a model does not accept (and
 * report it once), and the simulator rejects what the real APIs reject, from this same table.
 * No maintained npm catalogue of per-model parameter support exists: the model catalogue (providers/catalogue/,
 * models.dev) carries context windows, output limits and a bare `temperature` flag, nothing on top_p,
 * penalties, n, seed or strict schemas; so the table is kept here, with tests.
 */
import type { OutputMode } from "./output-mode.js";

export interface ModelCapabilities {
  /** The family the model id matched ("openai-reasoning", "claude-4.5", …; "unknown" when none did). */
  family: string;
  temperature: boolean;
  topP: boolean;
  frequencyPenalty: boolean;
  /** Accepts `temperature` or `top_p` but refuses both in one request (recent Claude models). */
  temperatureOrTopP: boolean;
  /** The request field for the output-token cap. */
  maxTokensField: "max_tokens" | "max_completion_tokens";
  /** Accepts `reasoning_effort`. */
  reasoningEffort: boolean;
  /** Serves `n` > 1 choices in one request. */
  n: boolean;
  seed: boolean;
  /** Enforces a strict JSON Schema (OpenAI structured outputs). */
  strictSchema: boolean;
  /** Output modes the model takes; the first is its best. */
  outputModes: readonly OutputMode[];
  /** Anthropic native structured output (`output_config.format`); false elsewhere. */
  nativeStructuredOutput: boolean;
}

type Family = { pattern: RegExp; capabilities: ModelCapabilities };

const OPENAI_MODES: readonly OutputMode[] = ["json_schema", "json_object", "tool", "prompt"];
const ANTHROPIC_MODES: readonly OutputMode[] = ["tool", "prompt"];

const openaiChat = (family: string): ModelCapabilities => ({
  family,
  temperature: true,
  topP: true,
  frequencyPenalty: true,
  temperatureOrTopP: false,
  maxTokensField: "max_completion_tokens",
  reasoningEffort: false,
  n: true,
  seed: true,
  strictSchema: true,
  outputModes: OPENAI_MODES,
  nativeStructuredOutput: false,
});

/** o1, o3, o4 and the gpt-5 reasoning models: only the default temperature, no top_p or penalties. */
const openaiReasoning = (family: string, extra: Partial<ModelCapabilities> = {}): ModelCapabilities => ({
  ...openaiChat(family),
  temperature: false,
  topP: false,
  frequencyPenalty: false,
  reasoningEffort: true,
  ...extra,
});

const claude = (family: string, extra: Partial<ModelCapabilities> = {}): ModelCapabilities => ({
  family,
  temperature: true,
  topP: true,
  frequencyPenalty: false,
  temperatureOrTopP: false,
  maxTokensField: "max_tokens",
  reasoningEffort: false,
  n: false,
  seed: false,
  strictSchema: false,
  outputModes: ANTHROPIC_MODES,
  nativeStructuredOutput: false,
  ...extra,
});

/** First match wins: more specific prefixes come first. */
const OPENAI_FAMILIES: readonly Family[] = [
  { pattern: /^gpt-5(\.\d+)?-chat/, capabilities: openaiChat("gpt-5-chat") },
  { pattern: /^gpt-5/, capabilities: openaiReasoning("gpt-5") },
  { pattern: /^o1-(mini|preview)/, capabilities: openaiReasoning("o1-mini", { n: false, strictSchema: false, seed: false }) },
  { pattern: /^o1/, capabilities: openaiReasoning("o1", { n: false }) },
  { pattern: /^o[34](-|$)/, capabilities: openaiReasoning("o3-o4") },
  { pattern: /^(gpt-4\.1|gpt-4o|chatgpt-4o)/, capabilities: openaiChat("gpt-4o-4.1") },
  { pattern: /^(gpt-4|gpt-3\.5)/, capabilities: { ...openaiChat("gpt-4-legacy"), strictSchema: false } },
];

const ANTHROPIC_FAMILIES: readonly Family[] = [
  // Opus 4.1, Sonnet/Haiku 4.5 and every later model refuse temperature and top_p together.
  {
    pattern: /^claude-(opus|sonnet|haiku)-4-[1-9](?!\d)|^claude-(opus|sonnet|haiku)-[5-9]/,
    capabilities: claude("claude-4.1+", { temperatureOrTopP: true, nativeStructuredOutput: true }),
  },
  { pattern: /^claude-(opus|sonnet)-4/, capabilities: claude("claude-4") },
  { pattern: /^claude-3/, capabilities: claude("claude-3") },
  // A Claude name the table does not know: sampling as the current models, output through a forced tool,
  // which every Claude model takes (native output would be a 400 on one without it).
  { pattern: /^claude/, capabilities: claude("claude-other", { temperatureOrTopP: true }) },
];

/** A model this table does not know: everything allowed (OpenAI-compatible servers vary; the server decides). */
const UNKNOWN_OPENAI = openaiChat("unknown");
const UNKNOWN = claude("unknown", { temperature: true, topP: true, frequencyPenalty: true, n: true, seed: true });

/** Every family in the table, by provider: what tests walk to check each against the simulator. */
export const CAPABILITY_FAMILIES: Readonly<Record<"openai" | "anthropic", readonly Family[]>> = {
  openai: OPENAI_FAMILIES,
  anthropic: ANTHROPIC_FAMILIES,
};

const cache = new Map<string, ModelCapabilities>();

/**
 * The capabilities of `modelId` on `provider`, with `overrides` (the model's own `capabilities` option)
 * over the table's row. Dated snapshots match their family ("o3-2025-04-16" is o3).
 */
export function capabilitiesOf(provider: string, modelId: string, overrides?: Partial<ModelCapabilities>): ModelCapabilities {
  const key = `${provider}\u0000${modelId}`;
  let found = cache.get(key);
  if (!found) {
    const families = provider === "openai" ? OPENAI_FAMILIES : provider === "anthropic" ? ANTHROPIC_FAMILIES : [];
    // "openai/o3" through a router is o3; Bedrock's "us.anthropic.claude-opus-4-5-v1:0" is claude-opus-4-5
    const id = modelId
      .toLowerCase()
      .replace(/^.*\//, "")
      .replace(/^(?:[a-z]{2}\.)?anthropic\./, "");
    found =
      families.find((f) => f.pattern.test(id))?.capabilities ??
      (provider === "anthropic" ? claude("unknown") : provider === "openai" ? UNKNOWN_OPENAI : UNKNOWN);
    cache.set(key, found);
  }
  return overrides ? { ...found, ...overrides } : found;
}

/** A sampling parameter a model does not accept, dropped from its requests. */
export interface OmittedParameter {
  parameter: "temperature" | "top_p" | "frequency_penalty" | "seed" | "n";
  reason: string;
}
