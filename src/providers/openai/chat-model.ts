/**
 * The Chat Completions adapter over the official `openai` SDK: strict json_schema, json_object, forced tool
 * or prompt-only output; n choices; streaming with usage. Also what OpenAI-compatible servers speak.
 */
import type OpenAI from "openai";
import { ConnectionError } from "../../errors/index.js";
import { mapProviderError } from "../map-error.js";
import { requestOptions } from "../request-options.js";
import {
  type FinishReason,
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  type StreamPart,
  type Usage,
  capabilitiesOf,
} from "../../core/index.js";
import { buildChatBody, toUsage } from "./chat-body.js";
import { lazyClient, openAICredentials, openAIKey, type OpenAIModelOptions, providerFor } from "./options.js";

const FINISH: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  content_filter: "content_filter",
  tool_calls: "stop",
  function_call: "stop",
};

/** A LanguageModel over Chat Completions (`openai(model, { api: "chat" })`). */
export function openAIChat(model: string, options: OpenAIModelOptions): LanguageModel {
  const getClient = lazyClient(options);
  const mode = options.mode ?? "json_schema";
  const caps = capabilitiesOf(
    "openai",
    model,
    options.frequencyPenalty === false ? { ...options.capabilities, frequencyPenalty: false } : options.capabilities,
  );
  const prepare = (request: ModelRequest) => buildChatBody(model, request, request.mode ?? mode, caps);

  return {
    provider: options.provider ?? providerFor(options.baseURL ?? (process.env.OPENAI_BASE_URL || undefined)),
    modelId: model,
    modes: ["json_schema", "json_object", "tool", "prompt"],
    supportsFrequencyPenalty: caps.frequencyPenalty,
    supportsN: caps.n,
    capabilities: caps,
    price: options.price,
    contextWindow: options.contextWindow,
    credentials: openAICredentials(options),
    checkSetup: () => void (options.client ?? openAIKey(options)),

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
