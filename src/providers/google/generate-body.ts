/**
 * Builds Gemini `generateContent` parameters from a ModelRequest (system sections as `systemInstruction`, or
 * the stable ones apart for an explicit cache; the user turn and re-ask turns as `contents`, JSON Schema as
 * `responseJsonSchema`), and reads a response
 * back: text without thought parts, finish reasons, a blocked prompt, usage with cached and thinking tokens.
 */
import type { GenerateContentConfig, GenerateContentParameters, GenerateContentResponse } from "@google/genai";
import { wireOrder } from "../../prompt/index.js";
import { schemaSection } from "../schema-instruction.js";
import type { FinishReason, ModelChoice, ModelRequest, Usage, OutputMode } from "../../core/index.js";

export interface GeminiBodyOptions {
  mode: OutputMode;
  /** `thinkingConfig.thinkingBudget` (0 turns thinking off on models that allow it; -1 is dynamic). */
  thinkingBudget?: number;
  headers?: Record<string, string>;
}

/** Parameters for `generateContent`, and the stable system prefix left out of them when it goes to an explicit cache. */
export interface GeminiParams {
  params: GenerateContentParameters;
  /** With `splitStable`: the leading stable system sections, joined (empty when there are none). */
  stableSystem: string;
}

/**
 * The request as Gemini parameters. With `splitStable` (an explicit cache holds the stable prefix) the
 * leading stable system sections are returned apart as `stableSystem`, and the volatile system sections open
 * the user turn: a request that reads a cache may not set its own `systemInstruction`.
 */
export function buildGeminiParams(model: string, request: ModelRequest, options: GeminiBodyOptions, splitStable = false): GeminiParams {
  const { mode } = options;
  const described = request.output && mode !== "json_schema";
  const sections = described ? [...request.sections, schemaSection(request.output!)] : request.sections;
  let stableSystem = "";
  let system = "";
  let user = "";
  let inPrefix = true;
  for (const s of wireOrder(sections)) {
    inPrefix &&= s.role === "system" && s.stable;
    if (splitStable && inPrefix) stableSystem = stableSystem ? `${stableSystem}\n\n${s.content}` : s.content;
    else if (s.role === "system" && !splitStable) system = system ? `${system}\n\n${s.content}` : s.content;
    else user = user ? `${user}\n\n${s.content}` : s.content;
  }
  const contents = [{ role: "user", parts: [{ text: user }] }];
  for (const turn of request.followUp ?? [])
    contents.push({ role: turn.role === "assistant" ? "model" : "user", parts: [{ text: turn.content }] });

  const { sampling, output } = request;
  const config: GenerateContentConfig = { abortSignal: request.signal };
  if (system) config.systemInstruction = system;
  if (sampling.temperature !== undefined) config.temperature = sampling.temperature;
  if (sampling.topP !== undefined) config.topP = sampling.topP;
  if (sampling.maxOutputTokens !== undefined) config.maxOutputTokens = sampling.maxOutputTokens;
  if (sampling.seed !== undefined) config.seed = sampling.seed;
  if (sampling.n !== undefined && sampling.n > 1) config.candidateCount = sampling.n;
  if (options.thinkingBudget !== undefined) config.thinkingConfig = { thinkingBudget: options.thinkingBudget };
  if (output && mode !== "prompt") {
    config.responseMimeType = "application/json";
    if (mode === "json_schema") config.responseJsonSchema = output.schema;
  }
  const headers = { ...options.headers, ...request.headers };
  if (Object.keys(headers).length > 0) config.httpOptions = { headers };
  return { params: { model, contents, config }, stableSystem };
}

const FINISH: Record<string, FinishReason> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
};

export const finishOf = (reason: string | undefined): FinishReason => FINISH[reason ?? ""] ?? "other";

type Candidate = NonNullable<GenerateContentResponse["candidates"]>[number];

/** The answer text of a candidate: its text parts, thoughts left out. */
export function candidateText(candidate: Candidate | undefined): string {
  let text = "";
  for (const part of candidate?.content?.parts ?? []) if (part.text && !part.thought) text += part.text;
  return text;
}

/** A prompt blocked before any candidate: the model declined to answer it. */
export function blockedChoice(response: Pick<GenerateContentResponse, "promptFeedback" | "candidates">): ModelChoice | null {
  const reason = response.promptFeedback?.blockReason;
  if (!reason || (response.candidates?.length ?? 0) > 0) return null;
  return { text: "", finishReason: "refusal", refusal: `the prompt was blocked (${reason})` };
}

/** Gemini counts cached tokens inside the prompt count, and thinking apart from the candidates: Ballast adds them up. */
export function toGeminiUsage(usage: GenerateContentResponse["usageMetadata"]): Usage {
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  return {
    inputTokens: usage?.promptTokenCount ?? 0,
    outputTokens: (usage?.candidatesTokenCount ?? 0) + thoughts,
    cachedInputTokens: usage?.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}
