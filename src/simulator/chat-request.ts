/**
 * The protocol-neutral view of one chat request that the answer generator works from: the prompt as
 * ordered segments (for token counts, caching, ground truth and leaks), the wanted output and sampling.
 */
import type { JsonSchema } from "../core/index.js";
import { hashParts } from "./random.js";

/** One piece of the prompt in provider order (tools/schema, system, then messages). */
export interface PromptSegment {
  role: "tools" | "system" | "user" | "assistant";
  text: string;
  /** Anthropic `cache_control` on this block: a breakpoint after it. */
  cacheControl?: { ttl: "5m" | "1h" };
}

export type OutputKind = "json_schema" | "json_object" | "tool" | "text";

export interface OutputRequest {
  kind: OutputKind;
  /** The schema to fit (json_schema / tool); null for json_object or text. */
  schema: JsonSchema | null;
  /** Schema or tool name. */
  name: string;
  /** OpenAI: whether the tool choice named the function (finish_reason "stop" instead of "tool_calls"). */
  namedTool?: boolean;
  /** Further tools called in parallel with this one (same reply, in order). */
  parallel?: Array<{ name: string; schema: JsonSchema }>;
  /** OpenAI legacy `functions`: the reply is a `function_call`, not `tool_calls`. */
  legacyFunction?: boolean;
}

export interface ChatRequest {
  protocol: "openai" | "anthropic";
  model: string;
  segments: PromptSegment[];
  /** The text of the last user message (ground truth `match` and secret checks). */
  lastUserText: string;
  /** All prompt text joined (private-context detection). */
  promptText: string;
  output: OutputRequest;
  n: number;
  temperature: number;
  seed: number | undefined;
  maxTokens: number | undefined;
  stream: boolean;
  includeUsage: boolean;
  /** OpenAI `prompt_cache_key`. */
  cacheKey: string | undefined;
  /** Gemini `cachedContent`: the explicit cache the request reads ("cachedContents/…"). */
  cachedContent?: string;
  /** Tokens of that cache, put before the request's own segments (set once it is resolved). */
  explicitCachedTokens?: number;
  /** Hidden reasoning the request asks for (Responses `reasoning.effort`, Gemini `thinkingConfig`), in tokens. */
  reasoningTokens?: number;
  /** Hash of what determines the answer: model, prompt segments, output spec, temperature. */
  contentHash: number;
}

/** Hashes the answer-determining parts of a request without building one big string. */
export function contentHashOf(model: string, temperature: number, output: OutputRequest, segments: PromptSegment[]): number {
  let h = hashParts(model, temperature, output.kind, output.name);
  for (const s of segments) h = hashParts(h, s.role, s.text);
  return h;
}
