/**
 * Builds the Responses API request body from a ModelRequest, and normalises its usage. System sections
 * become `instructions`, the user turn and re-ask turns the `input`; structured output is `text.format`
 * json_schema (strict), json_object, or a forced function tool. Nothing is stored server-side (`store: false`).
 * The Responses API has no `frequency_penalty`, `seed` or `n`: they are omitted.
 */
import { toOpenAIStrict } from "../../schema/index.js";
import { joinedPrompt } from "../schema-instruction.js";
import type { ModelCapabilities, ModelRequest, Usage, OutputMode } from "../../core/index.js";

export interface ResponsesBodyOptions {
  mode: OutputMode;
  reasoningEffort?: string;
  /** What the model accepts: sampling parameters it refuses are left out. */
  caps: ModelCapabilities;
}

export function buildResponsesBody(model: string, request: ModelRequest, options: ResponsesBodyOptions): Record<string, unknown> {
  const { mode } = options;
  // JSON mode and prompt-only mode do not enforce the schema: it is described in the prompt instead.
  const { system, user } = joinedPrompt(request, mode);
  const input: Array<{ role: string; content: string }> = [{ role: "user", content: user }];
  for (const turn of request.followUp ?? []) input.push(turn);

  const { sampling, output } = request;
  const body: Record<string, unknown> = { model, input, store: false };
  if (system) body.instructions = system;
  // Reasoning models refuse sampling parameters (the capability table): they are left out.
  if (sampling.temperature !== undefined && options.caps.temperature) body.temperature = sampling.temperature;
  if (sampling.topP !== undefined && options.caps.topP) body.top_p = sampling.topP;
  if (sampling.maxOutputTokens !== undefined) body.max_output_tokens = sampling.maxOutputTokens;
  if (request.cache?.key) body.prompt_cache_key = request.cache.key;
  if (options.reasoningEffort) body.reasoning = { effort: options.reasoningEffort };

  if (output) {
    if (mode === "json_schema") {
      const strict = toOpenAIStrict(output.schema);
      body.text = {
        format: {
          type: "json_schema",
          name: output.name,
          ...(output.description ? { description: output.description } : {}),
          schema: strict.schema,
          strict: strict.strict,
        },
      };
    } else if (mode === "json_object") {
      body.text = { format: { type: "json_object" } };
    } else if (mode === "tool") {
      const strict = toOpenAIStrict(output.schema);
      body.tools = [
        {
          type: "function",
          name: output.name,
          description: output.description ?? "Return the answer",
          parameters: strict.schema,
          strict: strict.strict,
        },
      ];
      body.tool_choice = { type: "function", name: output.name };
    }
  }
  return body;
}

interface ResponsesUsage {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** Responses usage counts cached tokens inside input tokens and reasoning inside output tokens, as Ballast does. */
export function toResponsesUsage(usage: ResponsesUsage | null | undefined): Usage {
  return {
    inputTokens: usage?.input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    cachedInputTokens: usage?.input_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: usage?.output_tokens_details?.reasoning_tokens ?? 0,
  };
}
