/**
 * Renders generated choices as an OpenAI `chat.completion` body (message content, refusal, tool_calls,
 * finish_reason) and the usage block with cached and reasoning token details.
 */
import type { GeneratedChoice } from "./answer.js";
import type { ChatRequest } from "./chat-request.js";
import type { PromptUsage } from "./prompt-cache.js";

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

export function openAIUsage(prompt: PromptUsage, completionTokens: number, reasoningTokens = 0): OpenAIUsage {
  return {
    prompt_tokens: prompt.promptTokens,
    completion_tokens: completionTokens,
    total_tokens: prompt.promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: prompt.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function openAIFinishReason(choice: GeneratedChoice, request: ChatRequest): string {
  if (choice.finishReason === "refusal") return "stop";
  if (choice.toolCall && choice.finishReason === "stop") {
    if (request.output.namedTool) return "stop";
    return request.output.legacyFunction ? "function_call" : "tool_calls";
  }
  return choice.finishReason;
}

export function toolCallId(requestId: string, index: number): string {
  return `call_${requestId.slice(-20)}${index}`;
}

export function openAIMessage(choice: GeneratedChoice, request: ChatRequest, requestId: string, index: number) {
  if (choice.finishReason === "refusal") {
    return { role: "assistant", content: null, refusal: choice.refusal ?? "", annotations: [] };
  }
  if (choice.toolCall && request.output.legacyFunction) {
    return { role: "assistant", content: null, refusal: null, function_call: { name: request.output.name, arguments: choice.text ?? "" } };
  }
  if (choice.toolCall) {
    return {
      role: "assistant",
      content: null,
      refusal: null,
      annotations: [],
      tool_calls: openAIToolCalls(choice, request, requestId, index),
    };
  }
  return { role: "assistant", content: choice.text, refusal: null, annotations: [] };
}

export function openAICompletion(
  request: ChatRequest,
  { requestId, created, choices, usage }: { requestId: string; created: number; choices: GeneratedChoice[]; usage: OpenAIUsage },
) {
  return {
    id: requestId,
    object: "chat.completion",
    created,
    model: request.model,
    choices: choices.map((choice, index) => ({
      index,
      message: openAIMessage(choice, request, requestId, index),
      logprobs: null,
      finish_reason: openAIFinishReason(choice, request),
    })),
    usage,
    service_tier: "default",
    system_fingerprint: "fp_ballast_sim",
  };
}

/** Every call of a tool-call choice: the first, then those made in parallel. */
export function openAIToolCalls(choice: GeneratedChoice, request: ChatRequest, requestId: string, index: number) {
  const calls = [{ name: request.output.name, text: choice.text ?? "" }, ...(choice.moreCalls ?? [])];
  return calls.map((call, k) => ({
    id: k === 0 ? toolCallId(requestId, index) : `${toolCallId(requestId, index)}_${k}`,
    type: "function" as const,
    function: { name: call.name, arguments: call.text },
  }));
}
