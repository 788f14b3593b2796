/**
 * `ballast/ai-sdk`: any AI SDK language model (provider spec v3, `@ai-sdk/provider` 3, as `ai` 6 uses) as a
 * Ballast rung, so every provider of the AI SDK's ecosystem gets recovery, re-ask, fallback and traces. Only
 * `doGenerate` / `doStream` are called; the AI SDK's own retries live in `generateText` and are not involved.
 *
 * @example
 * import { createAnthropic } from "@ai-sdk/anthropic";
 * const llm = createBallast({ models: [aiSdk(createAnthropic()("claude-sonnet-4-5")), openai("gpt-5-mini")] });
 */
import { APICallError, type LanguageModelV3, type LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { ConfigurationError, ConnectionError, ProviderHttpError } from "../../errors/index.js";
import { modelInfo } from "../catalogue/index.js";
import { mapProviderError } from "../map-error.js";
import { checkModelArgs, credentialReader } from "../model-options.js";
import type { FinishReason, LanguageModel, ModelRequest, ModelResponse, Price, StreamPart, Usage, OutputMode } from "../../core/index.js";
import { buildCallOptions, finishOf, toAiSdkUsage } from "./call-options.js";

export interface AiSdkModelOptions {
  /**
   * "json_schema" (default: `responseFormat` json with the schema; providers send it natively where they
   * can), "tool" (a forced tool), "json_object" (JSON without a schema, the schema in the prompt) or "prompt".
   */
  mode?: OutputMode;
  /** The provider name for prices and traces. @default the model's provider before the first dot ("openai.chat" -> "openai") */
  provider?: string;
  price?: Price;
  /** Largest prompt plus output, in tokens. @default the model catalogue's (models.dev) for the provider family and model id */
  contextWindow?: number;
  /** Whether the provider takes `frequencyPenalty`. @default false for Anthropic and Google families, else true */
  frequencyPenalty?: boolean;
  headers?: Record<string, string>;
}

const MODES: readonly OutputMode[] = ["json_schema", "tool", "json_object", "prompt"];

function mapAiSdkError(err: unknown, model: string, signal: AbortSignal) {
  if (!signal.aborted && APICallError.isInstance(err) && err.statusCode !== undefined && err.statusCode >= 400) {
    let body: unknown = err.responseBody;
    try {
      body = err.responseBody ? JSON.parse(err.responseBody) : undefined;
    } catch {}
    return mapProviderError({ status: err.statusCode, headers: err.responseHeaders, message: err.message, error: body }, model, signal);
  }
  // No status, or a 2xx whose body broke off: the exchange was cut, not refused.
  if (!signal.aborted && APICallError.isInstance(err)) return new ConnectionError(`${model}: ${err.message}`, { cause: err });
  return mapProviderError(err, model, signal);
}

export function aiSdk(languageModel: LanguageModelV3, options: AiSdkModelOptions = {}): LanguageModel {
  if (!languageModel || typeof languageModel.doGenerate !== "function" || typeof languageModel.doStream !== "function") {
    throw new ConfigurationError('aiSdk(): pass an AI SDK LanguageModel (provider spec v3), e.g. createOpenAI()("gpt-5-mini")');
  }
  if (languageModel.specificationVersion !== "v3") {
    throw new ConfigurationError(
      `aiSdk(): ${languageModel.provider}/${languageModel.modelId} implements provider spec ${String(languageModel.specificationVersion)}; Ballast needs v3 (ai 6, @ai-sdk/* 3)`,
    );
  }
  checkModelArgs("aiSdk()", languageModel.modelId, options, MODES);
  const model = languageModel.modelId;
  const family = options.provider ?? languageModel.provider.split(".")[0] ?? languageModel.provider;
  const frequencyPenalty = options.frequencyPenalty ?? !["anthropic", "google", "vertex"].includes(family);
  const mode = options.mode ?? "json_schema";
  const prepare = (request: ModelRequest) =>
    buildCallOptions(frequencyPenalty ? request : { ...request, sampling: { ...request.sampling, frequencyPenalty: undefined } }, {
      mode: request.mode && MODES.includes(request.mode) ? request.mode : mode,
      family,
      headers: options.headers,
    });

  return {
    provider: family,
    modelId: model,
    modes: [mode, ...MODES.filter((m) => m !== mode)],
    supportsFrequencyPenalty: frequencyPenalty,
    supportsN: false,
    price: options.price,
    contextWindow: options.contextWindow ?? modelInfo(family, model).contextWindow,
    // The AI SDK provider holds the key; Ballast knows only the variable its providers read by default.
    credentials: credentialReader(
      [],
      [...(family === "google" ? ["GOOGLE_GENERATIVE_AI_API_KEY"] : []), `${family.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_API_KEY`],
    ),

    async generate(request: ModelRequest): Promise<ModelResponse> {
      try {
        const res = await languageModel.doGenerate(prepare(request));
        let text = "";
        for (const part of res.content) {
          if (part.type === "tool-call") {
            text = part.input;
            break;
          }
          if (part.type === "text") text += part.text;
        }
        return {
          choices: [{ text, finishReason: finishOf(res.finishReason) }],
          usage: toAiSdkUsage(res.usage),
          modelId: res.response?.modelId ?? model,
          ...(res.response?.id ? { requestId: res.response.id } : {}),
        };
      } catch (err) {
        throw mapAiSdkError(err, model, request.signal);
      }
    },

    async *stream(request: ModelRequest): AsyncIterable<StreamPart> {
      let usage: Usage = toAiSdkUsage(undefined);
      let finishReason: FinishReason | null = null;
      let modelId = model;
      let requestId: string | undefined;
      try {
        const { stream } = await languageModel.doStream(prepare(request));
        for await (const part of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>) {
          switch (part.type) {
            case "text-delta":
            case "tool-input-delta":
              if (part.delta) yield { type: "text", text: part.delta };
              break;
            case "response-metadata":
              if (part.modelId) modelId = part.modelId;
              if (part.id) requestId = part.id;
              break;
            case "finish":
              usage = toAiSdkUsage(part.usage);
              finishReason = finishOf(part.finishReason);
              break;
            case "error":
              throw part.error instanceof Error ? part.error : new ProviderHttpError(502, `${model}: ${JSON.stringify(part.error)}`);
          }
        }
        // A stream that ended without a finish part (or with the provider's "error" finish) was cut short.
        if (finishReason === null) throw new ConnectionError(`${model}: the stream ended before the model finished`);
      } catch (err) {
        throw mapAiSdkError(err, model, request.signal);
      }
      yield { type: "finish", finishReason, usage, modelId, ...(requestId ? { requestId } : {}) };
    },
  };
}
