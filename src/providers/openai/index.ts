/**
 * `ballast/openai`: a LanguageModel over the official `openai` SDK. Covers OpenAI and every
 * OpenAI-compatible server (OpenRouter, vLLM, Ollama, llama.cpp, Groq…) through `baseURL`.
 * SDK retries are off: Ballast owns retries, timeouts and fallbacks.
 *
 * @example
 * const llm = createBallast({ models: [openai("gpt-4o"), openai("gpt-4.1-nano")] });
 */
import OpenAI from "openai";
import { ConfigurationError } from "../../errors/configuration-error.js";
import { ConnectionError } from "../../errors/connection-error.js";
import { mapProviderError } from "../map-error.js";
import { requestOptions } from "../request-options.js";
import type { FinishReason, LanguageModel, ModelRequest, ModelResponse, OutputMode, Price, StreamPart, Usage } from "../types.js";
import { capabilitiesOf, type ModelCapabilities } from "../capabilities.js";
import { buildChatBody, toUsage } from "./chat-body.js";

export interface OpenAIModelOptions {
  baseURL?: string;
  /** Defaults to OPENAI_API_KEY. Not needed for a custom `baseURL` (local servers). */
  apiKey?: string;
  /** Bring your own configured client (its own retries should be 0). */
  client?: OpenAI;
  /** "json_schema" (default, strict structured outputs), "json_object", "tool" or "prompt". */
  mode?: OutputMode;
  /** Dollar prices per million tokens, for models the catalogue does not know. */
  price?: Price;
  contextWindow?: number;
  /** False for servers that reject `frequency_penalty` (default true). */
  frequencyPenalty?: boolean;
  /** Overrides of what this model accepts, over the capability table's row for its family. */
  capabilities?: Partial<ModelCapabilities>;
  headers?: Record<string, string>;
}

const FINISH: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  content_filter: "content_filter",
  tool_calls: "stop",
  function_call: "stop",
};

export function openai(model: string, options: OpenAIModelOptions = {}): LanguageModel {
  let client = options.client;
  const getClient = (): OpenAI => {
    if (client) return client;
    const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY ?? (options.baseURL ? "not-needed" : undefined);
    if (!apiKey) throw new ConfigurationError("OPENAI_API_KEY is not set: pass { apiKey } to openai() or set the variable");
    client = new OpenAI({ apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: 24 * 3600_000 });
    return client;
  };
  const mode = options.mode ?? "json_schema";
  const caps = capabilitiesOf(
    "openai",
    model,
    options.frequencyPenalty === false ? { ...options.capabilities, frequencyPenalty: false } : options.capabilities,
  );
  const prepare = (request: ModelRequest) => buildChatBody(model, request, request.mode ?? mode, caps);

  return {
    provider: "openai",
    modelId: model,
    modes: ["json_schema", "json_object", "tool", "prompt"],
    supportsFrequencyPenalty: caps.frequencyPenalty,
    supportsN: caps.n,
    capabilities: caps,
    price: options.price,
    contextWindow: options.contextWindow,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      try {
        const body = prepare(request);
        const res = await getClient().chat.completions.create(
          body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
          requestOptions(options.headers, request),
        );
        if (!res || !Array.isArray(res.choices) || res.choices.length === 0) throw new Error("reply has no choices");
        return {
          choices: res.choices.map((c) => {
            const call = c.message?.tool_calls?.[0];
            const text = call && "function" in call ? call.function.arguments : (c.message?.content ?? "");
            const refusal = c.message?.refusal ?? undefined;
            return { text, finishReason: refusal ? "refusal" : (FINISH[c.finish_reason] ?? "other"), ...(refusal ? { refusal } : {}) };
          }),
          usage: toUsage(res.usage),
          modelId: res.model ?? model,
          requestId: res.id,
        };
      } catch (err) {
        throw mapProviderError(err, model, request.signal);
      }
    },

    async *stream(request: ModelRequest): AsyncIterable<StreamPart> {
      let usage: Usage = toUsage(undefined);
      let finishReason: FinishReason | null = null;
      let refusal: string | undefined;
      let modelId = model;
      let requestId: string | undefined;
      try {
        const body = prepare(request); // a fresh object: the streaming fields go straight on it
        body.stream = true;
        body.stream_options = { include_usage: true };
        const stream = await getClient().chat.completions.create(
          body as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
          requestOptions(options.headers, request),
        );
        for await (const chunk of stream) {
          if (chunk.model) modelId = chunk.model;
          if (chunk.id) requestId = chunk.id;
          if (chunk.usage) usage = toUsage(chunk.usage);
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          const delta = choice.delta;
          const text = delta?.content ?? delta?.tool_calls?.[0]?.function?.arguments;
          if (text) yield { type: "text", text };
          if (delta?.refusal) refusal = (refusal ?? "") + delta.refusal;
          if (choice.finish_reason) finishReason = FINISH[choice.finish_reason] ?? "other";
        }
        // A stream closed before any finish_reason was cut short (proxy, dropped socket): never a whole reply.
        if (finishReason === null && !refusal) throw new ConnectionError(`${model}: the stream ended before the model finished`);
      } catch (err) {
        throw mapProviderError(err, model, request.signal);
      }
      yield {
        type: "finish",
        finishReason: refusal ? "refusal" : (finishReason ?? "other"),
        usage,
        modelId,
        ...(refusal ? { refusal } : {}),
        ...(requestId ? { requestId } : {}),
      };
    },
  };
}
