/**
 * The simulator's HTTP server on 127.0.0.1: routing, body parsing, the request log, connection and abort
 * tracking, and the per-request pipeline (script, fault, limits, answer, usage, latency, reply).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type GeneratedChoice, generateChoices } from "./answer.js";
import { anthropicMessage, anthropicUsage } from "./anthropic-response.js";
import { parseAnthropicRequest } from "./anthropic-request.js";
import { type ChatRequest, InvalidRequestError } from "./chat-request.js";
import { type FaultName, type ModelCard, type NormalizedConfig, type ScriptedReply, validateScriptedReply } from "./config.js";
import { type ErrorDetails, type ErrorReply, anthropicError, openAIError } from "./error-replies.js";
import { chooseFault, faultStatus } from "./faults.js";
import { slowTailMs, totalLatencyMs } from "./latency.js";
import { openAICompletion, openAIUsage } from "./openai-response.js";
import { parseOpenAIRequest } from "./openai-request.js";
import { PromptCache, type PromptUsage } from "./prompt-cache.js";
import { Rng, hashParts } from "./random.js";
import { type RecordedRequest, recordRequest } from "./recorded-request.js";
import { cutAfter, streamAnthropic, streamOpenAI } from "./sse.js";
import { type SimulatorStats, StatsCounter } from "./stats.js";

type Protocol = "openai" | "anthropic";

const DEFAULT_CARD: ModelCard = {};
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Per-response state: a pending timer to clear when the client goes away. */
interface Pending {
  timer?: NodeJS.Timeout;
  /** Set when the server itself ended the exchange (reset, streamCut), so it is not counted as a client abort. */
  serverClosed?: boolean;
}

export class SimulatorServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly stats = new StatsCounter();
  private readonly scripts = new Map<string, ScriptedReply[]>();
  private readonly sequence = new Map<string, number>();
  private readonly cache: PromptCache;
  private readonly sockets = new Set<Socket>();
  private requestCounter = 0;
  /** Distinguishes ids across simulator instances with the same seed. */
  private readonly idPrefix = `sim${Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, "0")}`;
  private closed = false;

  constructor(private readonly config: NormalizedConfig) {
    this.cache = new PromptCache(config.clock);
    for (const [name, card] of config.models) if (card.script) this.scripts.set(name, [...card.script]);
    this.server = createServer({ keepAlive: true, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
    this.server.maxHeadersCount = 200;
    this.server.on("connection", (socket: Socket) => {
      this.stats.openConnections++;
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on("close", () => {
        this.stats.openConnections--;
        this.sockets.delete(socket);
      });
    });
    this.server.on("clientError", (_err, socket) => socket.destroy());
  }

  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port, host: "127.0.0.1", backlog: 16_384 }, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await done;
  }

  script(model: string, replies: ScriptedReply[]) {
    replies.forEach((r, i) => validateScriptedReply(r, `script(${model})[${i}]`));
    const queue = this.scripts.get(model) ?? [];
    queue.push(...replies);
    this.scripts.set(model, queue);
  }

  snapshot(): SimulatorStats {
    return this.stats.snapshot(this.cache.size);
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const pending: Pending = {};
    res.on("close", () => {
      if (pending.timer) clearTimeout(pending.timer);
      if (!res.writableEnded && !pending.serverClosed) this.stats.abortedRequests++;
    });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const raw = chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
      this.route(req, res, raw, pending);
    });
    req.on("error", () => res.destroy());
  }

  private route(req: IncomingMessage, res: ServerResponse, raw: string, pending: Pending) {
    const path = (req.url ?? "/").split("?")[0] as string;
    const method = req.method ?? "GET";
    let body: unknown;
    let badJson = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        badJson = true;
      }
    }
    recordRequest(this.requests, { method, path, headers: req.headers, body });
    this.stats.route(path);
    const protocol: Protocol = path === "/v1/messages" || req.headers["anthropic-version"] !== undefined ? "anthropic" : "openai";
    const requestId = this.newId(protocol);
    if (method === "GET" && path === "/_ballast/stats") return sendJson(res, 200, this.snapshot(), {});
    if (method === "GET" && (path === "/v1/models" || path === "/models")) return sendJson(res, 200, this.modelList(protocol), {});
    const isChat = path === "/v1/chat/completions" || path === "/chat/completions";
    const isMessages = path === "/v1/messages";
    if (!isChat && !isMessages) {
      return this.sendError(res, protocol, { status: 404, requestId, model: "", message: `Unknown route ${method} ${path}`, code: "unknown_url" });
    }
    if (method !== "POST") {
      return this.sendError(res, protocol, { status: 405, requestId, model: "", message: `Method ${method} not allowed on ${path}` });
    }
    if (badJson || body === null || typeof body !== "object" || Array.isArray(body)) {
      return this.sendError(res, protocol, {
        status: 400,
        requestId,
        model: "",
        message: "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
      });
    }
    const header = req.headers["x-ballast-sim"];
    this.serveChat(isChat ? "openai" : "anthropic", body as Record<string, unknown>, Array.isArray(header) ? header[0] : header, res, pending, requestId);
  }

  private newId(protocol: Protocol): string {
    const n = (++this.requestCounter).toString(36).padStart(6, "0");
    return protocol === "openai" ? `chatcmpl-${this.idPrefix}${n}` : `msg_${this.idPrefix}${n}`;
  }

  private modelList(protocol: Protocol) {
    const names = [...this.config.models.keys()];
    if (protocol === "anthropic") {
      const data = names.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
    }
    return { object: "list", data: names.map((id) => ({ id, object: "model", created: 1735689600, owned_by: "ballast-simulator" })) };
  }

  private sendError(res: ServerResponse, protocol: Protocol, details: ErrorDetails) {
    const reply: ErrorReply = protocol === "openai" ? openAIError(details) : anthropicError(details);
    sendJson(res, reply.status, reply.body, reply.headers);
  }

  private serveChat(
    protocol: Protocol,
    body: Record<string, unknown>,
    header: string | undefined,
    res: ServerResponse,
    pending: Pending,
    requestId: string,
  ) {
    const model = typeof body.model === "string" ? body.model : "";
    let request: ChatRequest;
    let fault: FaultName | null;
    let scripted: ScriptedReply | undefined;
    const card = this.config.models.get(model) ?? DEFAULT_CARD;
    const seq = (this.sequence.get(model) ?? 0) + 1;
    this.sequence.set(model, seq);
    const faultRng = new Rng(hashParts(this.config.seed, "fault", model, seq));
    try {
      request = protocol === "openai" ? parseOpenAIRequest(body) : parseAnthropicRequest(body);
      const queue = this.scripts.get(model);
      scripted = queue && queue.length > 0 ? queue.shift() : undefined;
      fault = chooseFault(card, header, scripted, faultRng);
    } catch (error) {
      if (error instanceof InvalidRequestError) {
        return this.sendError(res, protocol, { status: 400, requestId, model, message: error.message, param: error.param, code: error.code });
      }
      throw error;
    }
    this.stats.request(model, card, fault);
    const delayMs = scripted?.delayMs ?? 0;
    const after = (ms: number, fn: () => void) => {
      if (ms <= 0) return fn();
      pending.timer = setTimeout(() => {
        pending.timer = undefined;
        if (!res.destroyed) fn();
      }, ms);
    };

    if (fault === "hang") {
      this.stats.hangingRequests++;
      res.once("close", () => this.stats.hangingRequests--);
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
      return after(delayMs, () => this.sendError(res, protocol, { status, requestId, model, retryAfterMs }));
    }

    const promptTokens = PromptCache.countPrompt(request);
    if (card.contextWindow !== undefined && promptTokens > card.contextWindow) {
      const message =
        protocol === "openai"
          ? `This model's maximum context length is ${card.contextWindow} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`
          : `prompt is too long: ${promptTokens} tokens > ${card.contextWindow} maximum`;
      return this.sendError(res, protocol, { status: 400, requestId, model, message, param: "messages", code: "context_length_exceeded" });
    }

    // Content is a function of (config seed, request); above temperature 0 also of the seed param and choice index.
    const hot = request.temperature > 0;
    const variation = hot && request.seed !== undefined ? `seed${request.seed}` : "";
    const choices = generateChoices({
      config: this.config,
      card,
      request,
      contentRng: (index) => new Rng(hashParts(this.config.seed, request.contentKey, variation, hot ? index : 0)),
      faultRng,
      fault,
      forced: scripted?.fault !== undefined || (header !== undefined && header !== "" && header !== "none"),
      scripted,
    });
    if (scripted?.finishReason && scripted.text === undefined && scripted.json === undefined && choices[0]) {
      choices[0].finishReason = scripted.finishReason;
    }
    const prompt = this.cache.account(request);
    const usage = applyUsageOverride(prompt, choices, scripted);
    this.stats.usage(model, card, {
      inputTokens: usage.prompt.promptTokens,
      cachedInputTokens: usage.prompt.cachedTokens,
      cacheWriteTokens: usage.prompt.cacheWriteTokens,
      outputTokens: usage.outputTokens,
    });
    const extra = delayMs + (fault === "slowTail" ? slowTailMs(card, faultRng) : 0);
    const created = Math.floor(Date.now() / 1000);

    if (request.stream) {
      const streamer = protocol === "openai" ? streamOpenAI : streamAnthropic;
      return after((card.ttftMs ?? 0) + extra, () =>
        streamer({ res, request, requestId, created, choices, prompt: usage.prompt, outputTokens: usage.outputTokens, card, cut: fault === "streamCut", pending, rng: faultRng }),
      );
    }
    const maxTokens = Math.max(0, ...choices.map((c) => c.outputTokens));
    after(totalLatencyMs(card, maxTokens, extra), () => {
      if (fault === "streamCut") {
        // Non-streaming: the connection drops while the body is being sent.
        pending.serverClosed = true;
        res.writeHead(200, { "content-type": "application/json", "x-request-id": requestId });
        cutAfter(res, `{"id":"${requestId}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"`);
        return;
      }
      if (protocol === "openai") {
        const body = openAICompletion(request, requestId, created, choices, openAIUsage(usage.prompt, usage.outputTokens));
        sendJson(res, 200, body, { "x-request-id": requestId, "openai-processing-ms": "1" });
      } else {
        const choice = choices[0] as GeneratedChoice;
        const body = anthropicMessage(request, requestId, choice, anthropicUsage(usage.prompt, usage.outputTokens));
        sendJson(res, 200, body, { "request-id": requestId });
      }
    });
  }
}

function applyUsageOverride(prompt: PromptUsage, choices: GeneratedChoice[], scripted: ScriptedReply | undefined) {
  let outputTokens = choices.reduce((sum, c) => sum + c.outputTokens, 0);
  const override = scripted?.usage;
  if (!override) return { prompt, outputTokens };
  const next = { ...prompt };
  if (override.inputTokens !== undefined) next.promptTokens = override.inputTokens;
  if (override.cachedInputTokens !== undefined) next.cachedTokens = override.cachedInputTokens;
  if (override.cacheWriteTokens !== undefined) next.cacheWriteTokens = override.cacheWriteTokens;
  if (override.outputTokens !== undefined) outputTokens = override.outputTokens;
  return { prompt: next, outputTokens };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export type { Pending };
