/**
 * The per-request chat pipeline shared by every wire protocol (wire.ts): parse, take a scripted reply, choose the fault,
 * apply transport faults and limits, generate the choices, account usage and cache, then reply after the
 * model card's latency (JSON or SSE).
 */
import type { ServerResponse } from "node:http";
import { type GeneratedChoice, generateChoices } from "./answer.js";
import { type ChatRequest, contentHashOf } from "./chat-request.js";
import type { GeminiCaches } from "./gemini-caches.js";
import type { FaultName, ModelCard, NormalizedConfig, ScriptedReply } from "./config.js";
import { chooseFault, faultStatus } from "./faults.js";
import { InvalidRequestError } from "./invalid-request-error.js";
import { checkParameterRules } from "./parameter-rules.js";
import { slowTailMs, totalLatencyMs } from "./latency.js";
import { PromptCache, type PromptUsage } from "./prompt-cache.js";
import { Rng, hashParts } from "./random.js";
import { type Pending, type Protocol, guarded, sendError, sendJson } from "./reply.js";
import type { RateLimits } from "./rate-limit.js";
import { cutAfter } from "./sse.js";
import type { StatsCounter } from "./stats.js";
import type { Wire } from "./wire.js";

/** What the pipeline reads and updates across requests. */
export interface ChatState {
  config: NormalizedConfig;
  stats: StatsCounter;
  cache: PromptCache;
  /** Scripted replies per model, consumed in order. */
  scripts: Map<string, ScriptedReply[]>;
  /** Requests seen per model (drives the fault draw). */
  sequence: Map<string, number>;
  /** Per-model rate limits, when configured. */
  limits?: RateLimits;
  /** Gemini explicit context caches (`/v1beta/cachedContents`). */
  geminiCaches: GeminiCaches;
}

const DEFAULT_CARD: ModelCard = {};

/** One exchange: the wire it speaks, its parsed body and the reply being written. */
export interface Exchange {
  wire: Wire;
  body: Record<string, unknown>;
  /** The `x-ballast-sim` header, if any. */
  header: string | undefined;
  res: ServerResponse;
  pending: Pending;
  requestId: string;
  /** The model named in the URL (Gemini), when the body does not carry one. */
  pathModel?: string;
  /** Rows of a simulated provider batch are not held to the live rate limits. */
  bypassLimits?: boolean;
}

export function handleChat(state: ChatState, exchange: Exchange) {
  const { wire, body, header, res, pending, requestId } = exchange;
  const protocol: Protocol = wire.errors;
  const model = exchange.pathModel ?? (typeof body.model === "string" ? body.model : "");
  let request: ChatRequest;
  let fault: FaultName | null;
  let scripted: ScriptedReply | undefined;
  const card = state.config.models.get(model) ?? DEFAULT_CARD;
  const seq = (state.sequence.get(model) ?? 0) + 1;
  state.sequence.set(model, seq);
  const faultRng = new Rng(hashParts(state.config.seed, "fault", model, seq));
  try {
    request = wire.parse(body, exchange.pathModel);
    if (request.cachedContent !== undefined) {
      const cached = state.geminiCaches.forRequest(request.cachedContent, model, body);
      if ("status" in cached) return sendError(res, protocol, { ...cached, requestId });
      withCachedContent(request, cached.segments, cached.tokens);
    }
    if (protocol !== "gemini") checkParameterRules(protocol, body);
    const queue = state.scripts.get(model);
    scripted = queue && queue.length > 0 ? queue.shift() : undefined;
    fault = chooseFault(card, header, scripted, faultRng);
  } catch (error) {
    if (error instanceof InvalidRequestError) {
      return sendError(res, protocol, { status: 400, requestId, model, message: error.message, param: error.param, code: error.code });
    }
    throw error;
  }
  const limited = state.limits && !exchange.bypassLimits ? state.limits.admit(model, PromptCache.countPrompt(request), res) : null;
  if (limited && limited.retryAfterMs !== null) {
    state.stats.request(model, card, "http429");
    return sendError(res, protocol, { status: 429, requestId, model, retryAfterMs: limited.retryAfterMs });
  }
  state.stats.request(model, card, fault);
  // Not a provider header: tells tests and humans which fault shaped this reply.
  if (fault) res.setHeader("x-ballast-fault", fault);
  const delayMs = scripted?.delayMs ?? 0;
  const after = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn();
    pending.timer = setTimeout(
      guarded(res, () => {
        pending.timer = undefined;
        if (!res.destroyed) fn();
      }),
      ms,
    );
  };

  if (fault === "hang") {
    state.stats.hangingRequests++;
    res.once("close", () => state.stats.hangingRequests--);
    return;
  }
  if (fault === "reset") {
    return after(delayMs, () => {
      pending.serverClosed = true;
      res.socket?.destroy();
    });
  }
  const status = scripted?.status ?? faultStatus(fault);
  if (status !== undefined && status >= 400) {
    const retryAfterMs = scripted?.retryAfterMs ?? (status === 429 ? Math.round(200 + faultRng.next() * 1800) : undefined);
    const message = scripted?.message;
    return after(delayMs, () =>
      sendError(res, protocol, { status, requestId, model, retryAfterMs, ...(message === undefined ? {} : { message }) }),
    );
  }

  const overflow = contextOverflowMessage(protocol, card, PromptCache.countPrompt(request), request.maxTokens);
  if (overflow)
    return sendError(res, protocol, {
      status: 400,
      requestId,
      model,
      message: overflow,
      param: "messages",
      code: "context_length_exceeded",
    });

  // Content is a function of (config seed, request); above temperature 0 also of the choice index and of the
  // request's seed, or without one (Anthropic has none) of the model's request count: a real model samples
  // anew on every call, so repeated calls differ, and a run repeats itself when its requests come in order.
  const hot = request.temperature > 0;
  const variation = !hot ? "" : request.seed !== undefined ? `seed${request.seed}` : `call${seq}`;
  const choices = generateChoices({
    config: state.config,
    card,
    request,
    contentRng: (index) => new Rng(hashParts(state.config.seed, request.contentHash, variation, hot ? index : 0)),
    faultRng,
    fault,
    forced: scripted?.fault !== undefined || (header !== undefined && header !== "" && header !== "none"),
    scripted,
  });
  if (scripted?.finishReason && scripted.text === undefined && scripted.json === undefined && choices[0]) {
    choices[0].finishReason = scripted.finishReason;
  }
  const prompt = state.cache.account(request);
  const usage = applyUsageOverride(prompt, choices, scripted, request.reasoningTokens ?? 0);
  state.stats.usage(model, card, {
    inputTokens: usage.prompt.promptTokens,
    cachedInputTokens: usage.prompt.cachedTokens,
    cacheWriteTokens: usage.prompt.cacheWriteTokens,
    outputTokens: usage.outputTokens,
  });
  state.limits?.addOutput(model, limited?.entry ?? null, usage.outputTokens);
  const extra = delayMs + (fault === "slowTail" ? slowTailMs(card, faultRng) : 0);
  const created = Math.floor(Date.now() / 1000);

  if (request.stream) {
    return after((card.ttftMs ?? 0) + extra, () =>
      wire.stream({
        res,
        request,
        requestId,
        created,
        choices,
        prompt: usage.prompt,
        outputTokens: usage.outputTokens,
        reasoningTokens: usage.reasoningTokens,
        card,
        cut: fault === "streamCut",
        pending,
        rng: faultRng,
      }),
    );
  }
  const maxTokens = Math.max(0, ...choices.map((c) => c.outputTokens));
  after(totalLatencyMs(card, maxTokens, extra), () => {
    if (fault === "streamCut") {
      // Non-streaming: the connection drops while the body is being sent.
      pending.serverClosed = true;
      res.writeHead(200, { "content-type": "application/json", "x-request-id": requestId });
      cutAfter(res, wire.cutPrefix(requestId));
      return;
    }
    const reply = wire.render({
      request,
      requestId,
      created,
      choices,
      prompt: usage.prompt,
      outputTokens: usage.outputTokens,
      reasoningTokens: usage.reasoningTokens,
    });
    sendJson(res, 200, reply.body, reply.headers);
  });
}

/** A Gemini request naming an explicit cache: the cache's segments go first, and its tokens are read from it. */
function withCachedContent(request: ChatRequest, segments: ChatRequest["segments"], tokens: number): void {
  request.segments = [...segments, ...request.segments];
  request.promptText = request.segments.map((s) => s.text).join("\n");
  request.contentHash = contentHashOf(request.model, request.temperature, request.output, request.segments);
  request.explicitCachedTokens = tokens;
}

/** The provider's 400 message when the prompt (plus the requested output) does not fit the context window. */
function contextOverflowMessage(protocol: Protocol, card: ModelCard, promptTokens: number, maxTokens: number | undefined): string | null {
  const window = card.contextWindow;
  if (window === undefined) return null;
  if (protocol === "gemini" && promptTokens + (maxTokens ?? 0) > window) {
    return `The input token count (${promptTokens}) exceeds the maximum number of tokens allowed (${window}).`;
  }
  if (promptTokens > window) {
    return protocol === "openai"
      ? `This model's maximum context length is ${window} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`
      : `prompt is too long: ${promptTokens} tokens > ${window} maximum`;
  }
  if (maxTokens !== undefined && promptTokens + maxTokens > window) {
    return protocol === "openai"
      ? `This model's maximum context length is ${window} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`
      : `input length and \`max_tokens\` exceed context limit: ${promptTokens} + ${maxTokens} > ${window}, decrease input length or \`max_tokens\` and try again`;
  }
  return null;
}

/** Usage of the reply: computed, then overridden by a script. Reasoning tokens count inside output tokens. */
function applyUsageOverride(prompt: PromptUsage, choices: GeneratedChoice[], scripted: ScriptedReply | undefined, reasoning: number) {
  let outputTokens = choices.reduce((sum, c) => sum + c.outputTokens, 0) + reasoning;
  const override = scripted?.usage;
  if (!override) return { prompt, outputTokens, reasoningTokens: reasoning };
  const next = { ...prompt };
  if (override.inputTokens !== undefined) next.promptTokens = override.inputTokens;
  if (override.cachedInputTokens !== undefined) next.cachedTokens = override.cachedInputTokens;
  if (override.cacheWriteTokens !== undefined) next.cacheWriteTokens = override.cacheWriteTokens;
  if (override.outputTokens !== undefined) outputTokens = override.outputTokens;
  return { prompt: next, outputTokens, reasoningTokens: override.reasoningTokens ?? reasoning };
}
