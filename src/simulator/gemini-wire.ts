/**
 * Gemini on the wire: a `GenerateContentResponse` (candidates with text or functionCall parts, STOP /
 * MAX_TOKENS / SAFETY finish reasons, a refused prompt as `promptFeedback.blockReason`, usageMetadata with
 * cached and thinking tokens) and `streamGenerateContent?alt=sse`, one response chunk per SSE event.
 */
import type { GeneratedChoice } from "./answer.js";
import type { ChatRequest } from "./chat-request.js";
import { parseGeminiRequest } from "./gemini-request.js";
import type { PromptUsage } from "./prompt-cache.js";
import { type Frame, type StreamArgs, pieces, sse, writeFrames } from "./sse.js";
import type { RenderArgs, Wire } from "./wire.js";

const FINISH: Record<GeneratedChoice["finishReason"], string> = {
  stop: "STOP",
  length: "MAX_TOKENS",
  content_filter: "SAFETY",
  refusal: "STOP",
};

function usageMetadata(prompt: PromptUsage, outputTokens: number, reasoningTokens: number) {
  const candidates = Math.max(0, outputTokens - reasoningTokens);
  return {
    promptTokenCount: prompt.promptTokens,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt.promptTokens + outputTokens,
    ...(prompt.cachedTokens > 0 ? { cachedContentTokenCount: prompt.cachedTokens } : {}),
    ...(reasoningTokens > 0 ? { thoughtsTokenCount: reasoningTokens } : {}),
    promptTokensDetails: [{ modality: "TEXT", tokenCount: prompt.promptTokens }],
  };
}

function part(choice: GeneratedChoice, request: ChatRequest, text: string): Record<string, unknown> {
  if (!choice.toolCall) return { text };
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch {
    args = {};
  }
  return { functionCall: { name: request.output.name, args } };
}

function candidate(choice: GeneratedChoice, request: ChatRequest, index: number) {
  // A safety stop carries no content, as the API sends it.
  const parts = choice.finishReason === "content_filter" ? [] : [part(choice, request, choice.text ?? "")];
  return {
    content: { parts, role: "model" },
    finishReason: FINISH[choice.finishReason],
    index,
    ...(choice.finishReason === "content_filter"
      ? { safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true }] }
      : {}),
  };
}

/** A refusal is the prompt blocked before any candidate is produced. */
const refused = (choices: GeneratedChoice[]) => choices[0]?.finishReason === "refusal";

function responseBody(a: RenderArgs) {
  const base = { modelVersion: a.request.model, responseId: a.requestId };
  const usage = usageMetadata(a.prompt, a.outputTokens, a.reasoningTokens);
  if (refused(a.choices))
    return { promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata: { ...usage, candidatesTokenCount: 0 }, ...base };
  return { candidates: a.choices.map((c, i) => candidate(c, a.request, i)), usageMetadata: usage, ...base };
}

function streamGemini(args: StreamArgs) {
  const { request, requestId } = args;
  const base = { modelVersion: request.model, responseId: requestId };
  const frames: Frame[] = [];
  if (refused(args.choices)) {
    frames.push({ data: sse(responseBody(args)), paced: false });
    return writeFrames(args, frames, { "x-request-id": requestId });
  }
  const choice = args.choices[0] as GeneratedChoice;
  // Function calls arrive whole; text arrives in pieces, the last chunk carrying finishReason and usage.
  const chunks = choice.toolCall || choice.finishReason === "content_filter" ? [] : pieces(choice.text ?? "");
  for (const text of chunks) {
    frames.push({ data: sse({ candidates: [{ content: { parts: [{ text }], role: "model" }, index: 0 }], ...base }), paced: true });
  }
  const last = candidate(choice, request, 0);
  if (!choice.toolCall) last.content.parts = [];
  frames.push({
    data: sse({ candidates: [last], usageMetadata: usageMetadata(args.prompt, args.outputTokens, args.reasoningTokens), ...base }),
    paced: false,
  });
  writeFrames(args, frames, { "x-request-id": requestId });
}

function geminiWire(stream: boolean): Wire {
  return {
    errors: "gemini",
    idPrefix: "",
    parse: (body, model) => parseGeminiRequest(body, model ?? "", stream),
    render: (a) => ({ body: responseBody(a), headers: { "x-request-id": a.requestId } }),
    stream: streamGemini,
    cutPrefix: () => `{"candidates":[{"content":{"parts":[{"text":"`,
  };
}

export const GEMINI_WIRE = geminiWire(false);
export const GEMINI_STREAM_WIRE = geminiWire(true);
