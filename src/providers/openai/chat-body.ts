/**
 * Builds the Chat Completions request body from a ModelRequest, and normalises OpenAI usage. Stable sections
 * lead each message (automatic prefix caching); `request.cache.key` becomes `prompt_cache_key` (the client
 * defaults it per task, see `promptCacheKey`).
 */
import { joinedPrompt } from "../schema-instruction.js";
import type { ModelCapabilities, ModelRequest, Usage, OutputMode } from "../../core/index.js";
import { toOpenAIStrict } from "../../schema/index.js";

/**
 * Sampling parameters the model does not accept (see `capabilities.ts`) are left out: a reasoning model
 * gets no temperature, top_p or frequency penalty, only what it takes.
 */
export function buildChatBody(model: string, request: ModelRequest, mode: OutputMode, caps: ModelCapabilities): Record<string, unknown> {
  // JSON mode and prompt-only mode do not enforce the schema: it is described in the prompt instead.
  const { system, user } = joinedPrompt(request, mode);
  const messages: Array<{ role: string; content: string }> = [];
  if (system) messages.push({ role: "system", content: system });
  messages.push({ role: "user", content: user });
  for (const turn of request.followUp ?? []) messages.push(turn);

  const { sampling, output } = request;
  const body: Record<string, unknown> = { model, messages };
  if (caps.temperature && sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (caps.frequencyPenalty && sampling.frequencyPenalty !== undefined) body.frequency_penalty = sampling.frequencyPenalty;
  if (caps.topP && sampling.topP !== undefined && !(caps.temperatureOrTopP && body.temperature !== undefined)) body.top_p = sampling.topP;
  if (sampling.maxOutputTokens !== undefined) body[caps.maxTokensField] = sampling.maxOutputTokens;
  if (caps.seed && sampling.seed !== undefined) body.seed = sampling.seed;
  if (caps.n && sampling.n !== undefined && sampling.n > 1) body.n = sampling.n;
  if (request.cache?.key) body.prompt_cache_key = request.cache.key;

  if (output) {
    if (mode === "json_schema") {
      const strict = toOpenAIStrict(output.schema);
      body.response_format = {
        type: "json_schema",
        json_schema: {
          name: output.name,
          ...(output.description ? { description: output.description } : {}),
          schema: strict.schema,
          strict: strict.strict,
        },
      };
    } else if (mode === "json_object") {
      body.response_format = { type: "json_object" };
    } else if (mode === "tool") {
      const strict = toOpenAIStrict(output.schema);
      body.tools = [
        {
          type: "function",
          function: {
            name: output.name,
            description: output.description ?? "Return the answer",
            parameters: strict.schema,
            strict: strict.strict,
          },
        },
      ];
      body.tool_choice = { type: "function", function: { name: output.name } };
    }
  }
  return body;
}

interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export function toUsage(usage: OpenAIUsage | null | undefined): Usage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
