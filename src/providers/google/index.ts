/**
 * `ballast/google`: a LanguageModel for Gemini over Google's official `@google/genai` SDK (an optional peer).
 * Structured output is `responseJsonSchema` with `responseMimeType: application/json`; safety stops are
 * content filters, MAX_TOKENS a truncation, a blocked prompt a refusal. Caching is Gemini's implicit prefix
 * caching (nothing to send; cached tokens are reported and priced). SDK retries stay off: Ballast owns them.
 *
 * @example
 * const llm = createBallast({ models: [google("gemini-2.5-flash"), openai("gpt-5-mini")] });
 */
import { ApiError, type GenerateContentResponse, GoogleGenAI } from "@google/genai";
import { ConfigurationError, ConnectionError, RateLimitedError } from "../../errors/index.js";
import { modelInfo } from "../catalogue/index.js";
import { mapProviderError } from "../map-error.js";
import type { FinishReason, LanguageModel, ModelRequest, ModelResponse, Price, StreamPart, Usage, OutputMode } from "../../core/index.js";
import { blockedChoice, buildGeminiParams, candidateText, finishOf, toGeminiUsage } from "./generate-body.js";

export interface GoogleModelOptions {
  /** The API root; the simulator's URL in tests. Default: Google's Gemini API. */
  baseURL?: string;
  /** Defaults to GEMINI_API_KEY, then GOOGLE_API_KEY. Not needed for a custom `baseURL`. */
  apiKey?: string;
  /** Bring your own configured client. */
  client?: GoogleGenAI;
  /** "json_schema" (default: `responseJsonSchema`), "json_object" (JSON mime type, schema in the prompt) or "prompt". */
  mode?: Extract<OutputMode, "json_schema" | "json_object" | "prompt">;
  /** `thinkingConfig.thinkingBudget` for thinking models. @default not sent (the model's own default) */
  thinkingBudget?: number;
  price?: Price;
  /** Largest prompt plus output, in tokens. @default the model catalogue's (models.dev), when it knows the model */
  contextWindow?: number;
  headers?: Record<string, string>;
}

const MODES: readonly OutputMode[] = ["json_schema", "json_object", "prompt"];

/** Gemini's 429 says how long to wait in a `RetryInfo` detail of the body, not in a header. */
function retryDelayMs(message: string): number | undefined {
  const m = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(message);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

function mapGoogleError(err: unknown, model: string, signal: AbortSignal) {
  if (!signal.aborted && err instanceof ApiError && err.status === 429) {
    return new RateLimitedError(429, retryDelayMs(err.message), `${model}: ${err.message}`);
  }
  return mapProviderError(err, model, signal);
}

export function google(model: string, options: GoogleModelOptions = {}): LanguageModel {
  if (typeof model !== "string" || model === "") throw new ConfigurationError("google(): the model name must be a non-empty string");
  if (options.mode !== undefined && !MODES.includes(options.mode)) {
    throw new ConfigurationError(`google(): mode must be one of ${MODES.join(", ")}, got ${JSON.stringify(options.mode)}`);
  }
  let client = options.client;
  const getClient = (): GoogleGenAI => {
    if (client) return client;
    const apiKey =
      options.apiKey ?? process.env.GEMINI_API_KEY ?? process.env.GOOGLE_API_KEY ?? (options.baseURL ? "not-needed" : undefined);
    if (!apiKey) throw new ConfigurationError("GEMINI_API_KEY is not set: pass { apiKey } to google() or set the variable");
    client = new GoogleGenAI({ apiKey, ...(options.baseURL ? { httpOptions: { baseUrl: options.baseURL } } : {}) });
    return client;
  };
  const mode = options.mode ?? "json_schema";
  const prepare = (request: ModelRequest) =>
    buildGeminiParams(model, request, {
      mode: request.mode && MODES.includes(request.mode) ? request.mode : mode,
      thinkingBudget: options.thinkingBudget,
      headers: options.headers,
    });

  return {
    provider: "google",
    modelId: model,
    modes: [mode, ...MODES.filter((m) => m !== mode)],
    supportsFrequencyPenalty: false,
    supportsN: true,
    price: options.price,
    contextWindow: options.contextWindow ?? modelInfo("google", model).contextWindow,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      let res: GenerateContentResponse;
      try {
        res = await getClient().models.generateContent(prepare(request));
        if (!res || (!Array.isArray(res.candidates) && !res.promptFeedback)) throw new Error("reply has no candidates");
      } catch (err) {
        throw mapGoogleError(err, model, request.signal);
      }
      const blocked = blockedChoice(res);
      return {
        choices: blocked
          ? [blocked]
          : (res.candidates ?? []).map((c) => ({ text: candidateText(c), finishReason: finishOf(c.finishReason) })),
        usage: toGeminiUsage(res.usageMetadata),
        modelId: res.modelVersion ?? model,
        ...(res.responseId ? { requestId: res.responseId } : {}),
      };
    },

    async *stream(request: ModelRequest): AsyncIterable<StreamPart> {
      let usage: Usage = toGeminiUsage(undefined);
      let finishReason: FinishReason | null = null;
      let refusal: string | undefined;
      let modelId = model;
      let requestId: string | undefined;
      try {
        const stream = await getClient().models.generateContentStream(prepare(request));
        for await (const chunk of stream) {
          if (chunk.modelVersion) modelId = chunk.modelVersion;
          if (chunk.responseId) requestId = chunk.responseId;
          if (chunk.usageMetadata) usage = toGeminiUsage(chunk.usageMetadata);
          const blocked = blockedChoice(chunk);
          if (blocked) {
            refusal = blocked.refusal;
            finishReason = "refusal";
            continue;
          }
          const candidate = chunk.candidates?.[0];
          const text = candidateText(candidate);
          if (text) yield { type: "text", text };
          if (candidate?.finishReason) finishReason = finishOf(candidate.finishReason);
        }
        // A stream closed before a finish reason was cut short: never a whole reply.
        if (finishReason === null) throw new ConnectionError(`${model}: the stream ended before the model finished`);
      } catch (err) {
        throw mapGoogleError(err, model, request.signal);
      }
      yield { type: "finish", finishReason, usage, modelId, ...(refusal ? { refusal } : {}), ...(requestId ? { requestId } : {}) };
    },
  };
}
