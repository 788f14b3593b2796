/**
 * The provider contract: the small interface every model adapter implements. The core (client, cascade,
 * patterns) only ever talks to a `LanguageModel`; concrete SDKs live behind `ballast/openai` and
 * `ballast/anthropic`.
 */
import type { JsonSchema } from "./json-schema.js";
import type { ModelCapabilities } from "./capabilities.js";
import type { OutputMode } from "./output-mode.js";

/** One rendered prompt section. Stable sections come first so the provider's prefix cache stays warm. */
export interface PromptSection {
  /** A name for tracing and cache-buster reports, e.g. "instructions", "examples", "input". */
  name: string;
  /** "system" sections go to the system prompt, "user" sections to the user turn. */
  role: "system" | "user";
  content: string;
  /** True when the text is identical across calls of the same task (cacheable prefix). */
  stable: boolean;
}

export interface OutputSpec {
  /** A short identifier for the schema (OpenAI `json_schema.name`, Anthropic tool name). */
  name: string;
  description?: string;
  /** Provider-neutral JSON Schema (draft 2020-12 subset) converted from the caller's schema. */
  schema: JsonSchema;
}

export interface SamplingOptions {
  temperature?: number;
  frequencyPenalty?: number;
  topP?: number;
  maxOutputTokens?: number;
  seed?: number;
  /** Number of choices to sample in one request, where the provider supports it. */
  n?: number;
}

export interface ModelRequest {
  sections: PromptSection[];
  /** null: free text (thinker calls); otherwise the structured output wanted. */
  output: OutputSpec | null;
  mode?: OutputMode;
  sampling: SamplingOptions;
  signal: AbortSignal;
  /** Extra HTTP headers (e.g. the simulator's `x-ballast-sim`). */
  headers?: Record<string, string>;
  /** Prompt-cache hints: OpenAI `prompt_cache_key`; Anthropic breakpoint placement and TTL. */
  cache?: { key?: string; breakpoints?: "auto" | "none"; ttl?: "5m" | "1h" };
  /** Prior turns for a re-ask: the bad reply and the feedback on it. */
  followUp?: Array<{ role: "assistant" | "user"; content: string }>;
}

export interface Usage {
  /** All input tokens, cached ones included (as OpenAI counts). */
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export type FinishReason = "stop" | "length" | "content_filter" | "refusal" | "tool_calls" | "other";

export interface ModelChoice {
  /** The raw text the model produced (for a tool call: the tool input serialised as JSON). */
  text: string;
  finishReason: FinishReason;
  refusal?: string;
}

export interface ModelResponse {
  choices: ModelChoice[];
  usage: Usage;
  /** The model id the provider reports having used. */
  modelId: string;
  requestId?: string;
}

export type StreamPart =
  | { type: "text"; text: string }
  | { type: "finish"; finishReason: FinishReason; usage: Usage; refusal?: string; modelId: string; requestId?: string };

/** Dollar prices per million tokens, for models the catalogue does not know or to override it. */
export interface Price {
  inputPerMTok: number;
  cachedInputPerMTok?: number;
  cacheWritePerMTok?: number;
  outputPerMTok: number;
}

export interface LanguageModel {
  /** "openai", "anthropic", … (the GenAI semantic-conventions provider name). */
  readonly provider: string;
  readonly modelId: string;
  /** Output modes this adapter can send; the first is the default. */
  readonly modes: readonly OutputMode[];
  /** Whether the provider accepts `frequency_penalty` (Anthropic does not). */
  readonly supportsFrequencyPenalty: boolean;
  /** Whether `n > 1` is served in one request. */
  readonly supportsN: boolean;
  readonly price?: Price;
  /** Largest prompt the model accepts, when known: lets the cascade skip to a larger window. */
  readonly contextWindow?: number;
  /** What the model accepts (see `capabilities.ts`): parameters it refuses are left out and reported once. */
  readonly capabilities?: ModelCapabilities;
  /**
   * The strings the model authenticates with (its API key): every client that uses the model redacts them
   * from whatever leaves the process, in whatever a provider's error message repeats. A method, so the key
   * is never an enumerable property of the model.
   */
  credentials?(): readonly string[];
  /**
   * Throws a ConfigurationError when the model cannot send a request as it is set up (no API key given or in
   * the environment). The client asks every model of a call's cascade before the call sends anything.
   */
  checkSetup?(): void;
  generate(request: ModelRequest): Promise<ModelResponse>;
  stream?(request: ModelRequest): AsyncIterable<StreamPart>;
}

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

export function addUsage(into: Usage, add: Usage): Usage {
  into.inputTokens += add.inputTokens;
  into.outputTokens += add.outputTokens;
  into.cachedInputTokens += add.cachedInputTokens;
  into.cacheWriteTokens += add.cacheWriteTokens;
  into.reasoningTokens += add.reasoningTokens;
  return into;
}
