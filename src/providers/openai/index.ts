/**
 * `ballast/openai`: a LanguageModel over the official `openai` SDK, speaking the Responses API or Chat
 * Completions. Covers OpenAI and every OpenAI-compatible server (OpenRouter, vLLM, Ollama, llama.cpp, Groq,
 * Together…) through `baseURL`. SDK retries are off: Ballast owns retries, timeouts and fallbacks.
 *
 * @example
 * const llm = createBallast({ models: [openai("gpt-5-mini"), openai("gpt-4.1-nano", { api: "chat" })] });
 */
import { ConfigurationError } from "../../errors/index.js";
import type { LanguageModel } from "../../core/index.js";
import { checkModelArgs } from "../model-options.js";
import { openAIChat } from "./chat-model.js";
import { defaultApi, type OpenAIModelOptions } from "./options.js";
import { openAIResponses } from "./responses-model.js";

export type { OpenAIModelOptions } from "./options.js";

export function openai(model: string, options: OpenAIModelOptions = {}): LanguageModel {
  checkModelArgs("openai()", model, options, ["json_schema", "json_object", "tool", "prompt"]);
  // The SDK itself falls back to OPENAI_BASE_URL: a server named there speaks Chat Completions too.
  const api = options.api ?? defaultApi(options.baseURL ?? options.client?.baseURL ?? (process.env.OPENAI_BASE_URL || undefined));
  if (api === "responses") return openAIResponses(model, options);
  if (api === "chat") return openAIChat(model, options);
  throw new ConfigurationError(`openai(): api must be "responses" or "chat", got ${JSON.stringify(api)}`);
}

/** The Chat Completions body the adapter sends, and its usage mapping (for Batch API files built elsewhere). */
export { buildChatBody, toUsage as toOpenAIUsage } from "./chat-body.js";

/** Ballast's transport (the default `fetch` of the clients it creates), for a client you build yourself. */
export { leanFetch } from "../lean-fetch.js";
