/**
 * `ballast/google`: a LanguageModel for Gemini over Google's official `@google/genai` SDK (an optional peer).
 * Structured output is `responseJsonSchema` with `responseMimeType: application/json`; safety stops are
 * content filters, MAX_TOKENS a truncation, a blocked prompt a refusal. Caching is Gemini's implicit prefix
 * caching (nothing to send; cached tokens are reported and priced), or with `explicitCache` an explicit
 * context cache of the prompt's stable prefix (see explicit-cache.ts). SDK retries stay off: Ballast owns them.
 *
 * @example
 * const llm = createBallast({ models: [google("gemini-2.5-flash"), openai("gpt-5-mini")] });
 * // long stable instructions: cache them explicitly for an hour (cached tokens priced at the cached rate)
 * const cached = google("gemini-2.5-flash", { explicitCache: { ttlSeconds: 3600 } });
 */
import { ApiError, type GenerateContentParameters, type GenerateContentResponse, GoogleGenAI } from "@google/genai";
import { ConnectionError, RateLimitedError } from "../../errors/index.js";
import { modelInfo } from "../catalogue/index.js";
import { mapProviderError } from "../map-error.js";
import { checkModelArgs, credentialReader, resolveKey } from "../model-options.js";
import type { FinishReason, LanguageModel, ModelRequest, ModelResponse, Price, StreamPart, Usage, OutputMode } from "../../core/index.js";
import { type Attached, ExplicitCaches, type GeminiExplicitCacheOptions, isCacheGone } from "./explicit-cache.js";
import { blockedChoice, buildGeminiParams, candidateText, finishOf, toGeminiUsage } from "./generate-body.js";

export type { GeminiExplicitCacheOptions } from "./explicit-cache.js";

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
  /**
   * Put the prompt's stable prefix (instructions, examples; the leading stable system sections) in a Gemini
   * explicit context cache, made with `caches.create` on first use, reused while it lives, made again when it
   * expired or was deleted. Prefixes under the model's minimum (1024 tokens, 4096 on Pro) are sent as usual.
   * A call with `cache: { breakpoints: "none" }` skips it. @default false (implicit caching only)
   */
  explicitCache?: boolean | GeminiExplicitCacheOptions;
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

/** A new explicit cache's tokens: billed once at the input rate, so counted as written (and as input). */
function withWritten(usage: Usage, written: number): Usage {
  if (written > 0) {
    usage.inputTokens += written;
    usage.cacheWriteTokens += written;
  }
  return usage;
}

export function google(model: string, options: GoogleModelOptions = {}): LanguageModel {
  checkModelArgs("google()", model, options, MODES);
  let client = options.client;
  const keyOf = () => resolveKey("google()", options, ["GEMINI_API_KEY", "GOOGLE_API_KEY"]);
  const getClient = (): GoogleGenAI => {
    if (client) return client;
    const apiKey = keyOf();
    client = new GoogleGenAI({ apiKey, ...(options.baseURL ? { httpOptions: { baseUrl: options.baseURL } } : {}) });
    return client;
  };
  const mode = options.mode ?? "json_schema";
  const bodyOptions = (request: ModelRequest) => ({
    mode: request.mode && MODES.includes(request.mode) ? request.mode : mode,
    thinkingBudget: options.thinkingBudget,
    headers: options.headers,
  });
  const caches = options.explicitCache
    ? new ExplicitCaches(model, options.explicitCache === true ? {} : options.explicitCache, getClient)
    : null;
  /** The request's parameters: with an explicit cache, its stable prefix read from one (made now if need be). */
  const prepare = async (request: ModelRequest): Promise<Attached> => {
    const plain = buildGeminiParams(model, request, bodyOptions(request)).params;
    if (!caches || request.cache?.breakpoints === "none") return { params: plain, key: null, writtenTokens: 0 };
    const split = buildGeminiParams(model, request, bodyOptions(request), true);
    return caches.attach(split.params, split.stableSystem, plain, request.signal);
  };
  /** Sends with `send`; a cache the API no longer has is forgotten and made again, once. */
  const withCache = async <R>(request: ModelRequest, send: (params: GenerateContentParameters) => Promise<R>) => {
    let attached = await prepare(request);
    let written = attached.writtenTokens;
    try {
      return { reply: await send(attached.params), written };
    } catch (err) {
      if (!attached.key || !caches || !isCacheGone(err) || request.signal.aborted) throw err;
      caches.forget(attached.key);
      attached = await prepare(request);
      written += attached.writtenTokens;
      return { reply: await send(attached.params), written };
    }
  };

  return {
    provider: "google",
    modelId: model,
    modes: [mode, ...MODES.filter((m) => m !== mode)],
    supportsFrequencyPenalty: false,
    supportsN: true,
    price: options.price,
    contextWindow: options.contextWindow ?? modelInfo("google", model).contextWindow,
    credentials: credentialReader([options.apiKey], ["GEMINI_API_KEY", "GOOGLE_API_KEY"]),
    checkSetup: () => void (client ?? keyOf()),

    async generate(request: ModelRequest): Promise<ModelResponse> {
      let res: GenerateContentResponse;
      let written = 0;
      try {
        ({ reply: res, written } = await withCache(request, (params) => getClient().models.generateContent(params)));
        if (!res || (!Array.isArray(res.candidates) && !res.promptFeedback)) throw new Error("reply has no candidates");
      } catch (err) {
        throw mapGoogleError(err, model, request.signal);
      }
      const blocked = blockedChoice(res);
      return {
        choices: blocked
          ? [blocked]
          : (res.candidates ?? []).map((c) => ({ text: candidateText(c), finishReason: finishOf(c.finishReason) })),
        usage: withWritten(toGeminiUsage(res.usageMetadata), written),
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
      let written = 0;
      try {
        const opened = await withCache(request, (params) => getClient().models.generateContentStream(params));
        const stream = opened.reply;
        written = opened.written;
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
      yield {
        type: "finish",
        finishReason,
        usage: withWritten(usage, written),
        modelId,
        ...(refusal ? { refusal } : {}),
        ...(requestId ? { requestId } : {}),
      };
    },
  };
}
