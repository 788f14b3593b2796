/**
 * Builds AI SDK (provider spec v3) call options from a ModelRequest, and reads results back: the prompt as
 * system / user / assistant messages, JSON Schema as `responseFormat` or a forced tool, prompt-cache hints as
 * the provider options the AI SDK's OpenAI and Anthropic providers read; finish reasons and usage normalised.
 */
import type {
  LanguageModelV3CallOptions,
  LanguageModelV3FinishReason,
  LanguageModelV3Prompt,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { toOpenAIStrict } from "../../schema/index.js";
import { joinedPrompt } from "../schema-instruction.js";
import type { FinishReason, ModelRequest, Usage, OutputMode } from "../../core/index.js";

export interface CallOptionsInput {
  mode: OutputMode;
  /** The provider family ("openai", "anthropic", …): picks where cache hints go. */
  family: string;
  headers?: Record<string, string>;
}

export function buildCallOptions(request: ModelRequest, input: CallOptionsInput): LanguageModelV3CallOptions {
  const { mode, family } = input;
  // JSON mode and prompt-only mode do not enforce the schema: it is described in the prompt instead.
  const { system, user } = joinedPrompt(request, mode);
  const cache = request.cache?.breakpoints !== "none";
  const prompt: LanguageModelV3Prompt = [];
  if (system) {
    // Anthropic caches up to a marked block: the system prompt is the stable prefix.
    const anthropicCache = cache && family === "anthropic";
    const control = request.cache?.ttl === "1h" ? { type: "ephemeral", ttl: "1h" } : { type: "ephemeral" };
    prompt.push({
      role: "system",
      content: system,
      ...(anthropicCache ? { providerOptions: { anthropic: { cacheControl: control } } } : {}),
    });
  }
  prompt.push({ role: "user", content: [{ type: "text", text: user }] });
  for (const turn of request.followUp ?? []) {
    prompt.push(
      turn.role === "assistant"
        ? { role: "assistant", content: [{ type: "text", text: turn.content }] }
        : { role: "user", content: [{ type: "text", text: turn.content }] },
    );
  }

  const { sampling, output } = request;
  const options: LanguageModelV3CallOptions = { prompt, abortSignal: request.signal };
  if (sampling.temperature !== undefined) options.temperature = sampling.temperature;
  if (sampling.topP !== undefined) options.topP = sampling.topP;
  if (sampling.frequencyPenalty !== undefined) options.frequencyPenalty = sampling.frequencyPenalty;
  if (sampling.maxOutputTokens !== undefined) options.maxOutputTokens = sampling.maxOutputTokens;
  if (sampling.seed !== undefined) options.seed = sampling.seed;
  const headers = { ...input.headers, ...request.headers };
  if (Object.keys(headers).length > 0) options.headers = headers;
  if (request.cache?.key && family === "openai") options.providerOptions = { openai: { promptCacheKey: request.cache.key } };
  if (output) {
    if (mode === "json_schema") {
      // OpenAI-style providers send the schema as strict structured output, which refuses optional fields and
      // open objects: the strict dialect (every field required, nullable when optional) is valid everywhere.
      options.responseFormat = {
        type: "json",
        schema: toOpenAIStrict(output.schema).schema as never,
        name: output.name,
        ...(output.description ? { description: output.description } : {}),
      };
    } else if (mode === "json_object") {
      options.responseFormat = { type: "json" };
    } else if (mode === "tool") {
      options.tools = [
        {
          type: "function",
          name: output.name,
          description: output.description ?? "Return the answer",
          inputSchema: output.schema as never,
        },
      ];
      options.toolChoice = { type: "tool", toolName: output.name };
    }
  }
  return options;
}

const FINISH: Record<LanguageModelV3FinishReason["unified"], FinishReason> = {
  stop: "stop",
  length: "length",
  "content-filter": "content_filter",
  "tool-calls": "stop",
  error: "other",
  other: "other",
};

export function finishOf(reason: LanguageModelV3FinishReason | string | undefined): FinishReason {
  // Spec v3 gives { unified, raw }; older providers a plain string.
  const unified = typeof reason === "string" ? reason : reason?.unified;
  return FINISH[unified as LanguageModelV3FinishReason["unified"]] ?? "other";
}

/** AI SDK input totals include cache reads and writes, and output totals include reasoning, as Ballast counts. */
export function toAiSdkUsage(usage: LanguageModelV3Usage | undefined): Usage {
  const input = usage?.inputTokens;
  const output = usage?.outputTokens;
  // Spec v2 providers report plain numbers.
  const flat = (v: unknown) => (typeof v === "number" ? v : undefined);
  return {
    inputTokens: (typeof input === "object" ? input?.total : flat(input)) ?? 0,
    outputTokens: (typeof output === "object" ? output?.total : flat(output)) ?? 0,
    cachedInputTokens: (typeof input === "object" ? input?.cacheRead : undefined) ?? 0,
    cacheWriteTokens: (typeof input === "object" ? input?.cacheWrite : undefined) ?? 0,
    reasoningTokens: (typeof output === "object" ? output?.reasoning : undefined) ?? 0,
  };
}
