// The adapters under test, as one table: how to build each against the simulator, how to find the requests
// it sent, and what the provider does differently (where the last user turn sits, what a refusal becomes).
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel, Price } from "ballast";
import { aiSdk } from "ballast/ai-sdk";
import { anthropic } from "ballast/anthropic";
import { google } from "ballast/google";
import { openai } from "ballast/openai";
import type { FaultName, RecordedRequest, Simulator } from "ballast/testing";

type Body = Record<string, any>;

export interface AdapterCase {
  name: string;
  make(sim: Simulator, model: string, price?: Price): LanguageModel;
  /** A real model name the price catalogue knows for this provider. */
  catalogueModel: string;
  /** The requests this adapter sent for a model name. */
  requests(sim: Simulator, model: string): RecordedRequest[];
  /** The text of the last user turn in a request body (where a re-ask puts its feedback). */
  lastUserText(body: Body): string;
  /** Whether the provider reports reasoning tokens apart (Anthropic counts thinking as output only). */
  reportsReasoning: boolean;
  /** Whether the provider reports prompt-cache writes apart from reads (Anthropic). */
  cacheWrites: boolean;
  /** Outcomes that differ from the common ones for a fault (Anthropic has no content filter: it refuses). */
  faultOutcomes?: Partial<Record<FaultName, string[]>>;
  /** The request field that carries the per-task prompt-cache key, if the API has one. */
  cacheKeyField?: string;
}

const byBodyModel = (path: RegExp) => (sim: Simulator, model: string) =>
  sim.requests.filter((r) => path.test(r.path) && (r.body as Body | undefined)?.model === model);

const textOf = (content: unknown): string =>
  typeof content === "string" ? content : Array.isArray(content) ? content.map((p: Body) => p.text ?? "").join("") : "";

export const openAIChat: AdapterCase = {
  name: "OpenAI Chat",
  make: (sim, model, price) => openai(model, { api: "chat", baseURL: `${sim.url}/v1`, apiKey: "k", price }),
  catalogueModel: "gpt-4.1-mini",
  requests: byBodyModel(/\/chat\/completions$/),
  lastUserText: (body) => textOf(body.messages.at(-1).content),
  reportsReasoning: true,
  cacheWrites: false,
  cacheKeyField: "prompt_cache_key",
};

export const openAIResponses: AdapterCase = {
  name: "OpenAI Responses",
  make: (sim, model, price) => openai(model, { api: "responses", baseURL: `${sim.url}/v1`, apiKey: "k", price }),
  catalogueModel: "gpt-5-mini",
  requests: byBodyModel(/\/responses$/),
  lastUserText: (body) => textOf(body.input.at(-1).content),
  reportsReasoning: true,
  cacheWrites: false,
  cacheKeyField: "prompt_cache_key",
};

const anthropicCase = (mode: "native" | "tool", catalogueModel: string): AdapterCase => ({
  name: `Anthropic ${mode}`,
  make: (sim, model, price) => anthropic(model, { mode, baseURL: sim.url, apiKey: "k", price }),
  catalogueModel,
  requests: byBodyModel(/\/v1\/messages$/),
  lastUserText: (body) => textOf(body.messages.at(-1).content),
  reportsReasoning: false,
  cacheWrites: true,
  faultOutcomes: { contentFilter: ["refusal"] },
});

export const anthropicNative = anthropicCase("native", "claude-haiku-4-5");
export const anthropicTool = anthropicCase("tool", "claude-3-5-haiku-20241022");

export const gemini: AdapterCase = {
  name: "Gemini",
  make: (sim, model, price) => google(model, { baseURL: sim.url, apiKey: "k", price }),
  catalogueModel: "gemini-2.5-flash",
  requests: (sim, model) => sim.requests.filter((r) => r.path.startsWith(`/v1beta/models/${model}:`)),
  lastUserText: (body) =>
    body.contents
      .at(-1)
      .parts.map((p: Body) => p.text ?? "")
      .join(""),
  reportsReasoning: true,
  cacheWrites: false,
};

/** An OpenAI-compatible server (named as Groq, so the catalogue prices it) through the AI SDK. */
export const aiSdkCompatible: AdapterCase = {
  name: "AI SDK openai-compatible",
  make: (sim, model, price) =>
    aiSdk(
      createOpenAICompatible({ name: "groq", baseURL: `${sim.url}/v1`, apiKey: "k", supportsStructuredOutputs: true, includeUsage: true })(
        model,
      ),
      {
        price,
      },
    ),
  catalogueModel: "llama-3.3-70b-versatile",
  requests: byBodyModel(/\/chat\/completions$/),
  lastUserText: (body) => textOf(body.messages.at(-1).content),
  reportsReasoning: true,
  cacheWrites: false,
  // The AI SDK has no refusal finish: a refusal reaches Ballast as a content filter.
  faultOutcomes: { refusal: ["content_filter"] },
};

export const aiSdkAnthropic: AdapterCase = {
  name: "AI SDK anthropic",
  make: (sim, model, price) => aiSdk(createAnthropic({ baseURL: `${sim.url}/v1`, apiKey: "k" })(model), { price }),
  catalogueModel: "claude-haiku-4-5",
  requests: byBodyModel(/\/v1\/messages$/),
  lastUserText: (body) => textOf(body.messages.at(-1).content),
  reportsReasoning: false,
  cacheWrites: true,
  // The AI SDK reports Anthropic's refusal stop as a content filter.
  faultOutcomes: { refusal: ["content_filter"], contentFilter: ["content_filter"] },
};

export const ADAPTERS: AdapterCase[] = [
  openAIResponses,
  openAIChat,
  anthropicNative,
  anthropicTool,
  gemini,
  aiSdkCompatible,
  aiSdkAnthropic,
];
