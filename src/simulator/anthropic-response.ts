/**
 * Renders a generated choice as an Anthropic `message` body: a text or tool_use content block, the
 * stop_reason (end_turn, tool_use, max_tokens, refusal) and usage counted the Anthropic way.
 */
import type { GeneratedChoice } from "./answer.js";
import type { ChatRequest } from "./chat-request.js";
import type { PromptUsage } from "./prompt-cache.js";

export function anthropicUsage(prompt: PromptUsage, outputTokens: number) {
  return {
    // Anthropic's input_tokens excludes what was read from or written to the cache.
    input_tokens: prompt.promptTokens - prompt.cachedTokens - prompt.cacheWriteTokens,
    cache_creation_input_tokens: prompt.cacheWriteTokens,
    cache_read_input_tokens: prompt.cachedTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: prompt.cacheWriteTokens - prompt.cacheWrite1hTokens,
      ephemeral_1h_input_tokens: prompt.cacheWrite1hTokens,
    },
    output_tokens: outputTokens,
    service_tier: "standard",
  };
}

export function anthropicStopReason(choice: GeneratedChoice): string {
  switch (choice.finishReason) {
    case "length":
      return "max_tokens";
    case "refusal":
    case "content_filter":
      return "refusal";
    default:
      return choice.toolCall ? "tool_use" : "end_turn";
  }
}

export function toolUseId(requestId: string): string {
  return `toolu_${requestId.slice(-24)}`;
}

export type AnthropicBlock =
  | { type: "text"; text: string; citations?: null }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export function anthropicContent(choice: GeneratedChoice, request: ChatRequest, requestId: string): AnthropicBlock[] {
  if (choice.finishReason === "refusal") return choice.refusal ? [{ type: "text", text: choice.refusal }] : [];
  if (choice.toolCall) {
    let input = choice.toolInput;
    if (!input) {
      try {
        input = JSON.parse(choice.text ?? "{}") as Record<string, unknown>;
      } catch {
        input = {};
      }
    }
    const more = (choice.moreCalls ?? []).map((call, k) => ({
      type: "tool_use" as const,
      id: `${toolUseId(requestId)}${k + 1}`,
      name: call.name,
      input: call.input,
    }));
    return [{ type: "tool_use", id: toolUseId(requestId), name: request.output.name, input }, ...more];
  }
  return [{ type: "text", text: choice.text ?? "" }];
}

export function anthropicMessage(
  request: ChatRequest,
  requestId: string,
  choice: GeneratedChoice,
  usage: ReturnType<typeof anthropicUsage>,
) {
  const stopReason = anthropicStopReason(choice);
  return {
    id: requestId,
    type: "message",
    role: "assistant",
    model: request.model,
    content: anthropicContent(choice, request, requestId),
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: stopReason === "refusal" ? { type: "refusal", category: null, explanation: null } : null,
    usage,
  };
}
