/**
 * The simulator's HTTP server on 127.0.0.1: routing, body parsing, the request log, connection, hang and
 * abort tracking, scripts, and shutdown. Endpoints are rows of the route table in route-table.ts.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { authFailure } from "./access.js";
import type { ChatState } from "./chat-handler.js";
import { type NormalizedConfig, type ScriptedReply, validateScriptedReply } from "./config.js";
import { PromptCache } from "./prompt-cache.js";
import { type RecordedRequest, recordRequest } from "./recorded-request.js";
import { BatchApi } from "./batch-api.js";
import { GeminiCaches } from "./gemini-caches.js";
import { RateLimits } from "./rate-limit.js";
import { type Pending, type Protocol, guarded, sendError, sendInternalError } from "./reply.js";
import { ROUTES } from "./route-table.js";
import { findRoute } from "./routes.js";
import { isGeminiPath, wireRoute } from "./wire-routes.js";
import { type SimulatorStats, StatsCounter } from "./stats.js";
import { loadTokenizer } from "./tokens.js";

/** Anthropic's documented request limit; larger bodies get 413. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class SimulatorServer implements ChatState {
  readonly requests: RecordedRequest[] = [];
  readonly stats = new StatsCounter();
  readonly scripts = new Map<string, ScriptedReply[]>();
  readonly sequence = new Map<string, number>();
  readonly cache: PromptCache;
  readonly limits: RateLimits | undefined;
  readonly batchApi: BatchApi;
  readonly geminiCaches: GeminiCaches;
  private url = "";
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private requestCounter = 0;
  /** Distinguishes ids across simulator instances with the same seed. */
  private readonly idPrefix = `sim${Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, "0")}`;
  private closed = false;

  constructor(readonly config: NormalizedConfig) {
    this.cache = new PromptCache(config.clock);
    this.limits = config.rateLimits.size > 0 ? new RateLimits(config.rateLimits) : undefined;
    this.batchApi = new BatchApi(config.batches, config.seed, () => this.url);
    this.geminiCaches = new GeminiCaches(config.clock);
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
    await loadTokenizer();
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port, host: "127.0.0.1", backlog: 16_384 }, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
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
    for (const [i, r] of replies.entries()) validateScriptedReply(r, `script(${model})[${i}]`);
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
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      // Refused before reading, as the providers' front ends do; the rest of the upload is not awaited.
      res.shouldKeepAlive = false;
      return this.tooLarge(req, res);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) return this.tooLarge(req, res);
      const raw = chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
      // A bug in the simulator answers like a provider's internal error instead of leaving the client hanging.
      guarded(res, () => this.route(req, res, raw, pending))();
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
    recordRequest(this.requests, { method, path, headers: req.headers, body }, this.config.requestLogLimit);
    this.stats.route(path);
    const protocol = protocolOf(path, req);
    const requestId = this.newId(wireRoute(path)?.wire.idPrefix ?? (protocol === "anthropic" ? "msg_" : "chatcmpl-"));
    if (this.batchApi.handles(method, path)) return void this.batchApi.handle(req, res, raw, path).catch((e) => sendInternalError(res, e));
    const { route, otherMethod } = findRoute(ROUTES, method, path);
    if (!route) {
      const status = otherMethod ? 405 : 404;
      const message = otherMethod ? `Method ${method} not allowed on ${path}` : `Unknown route ${method} ${path}`;
      return sendError(res, protocol, { status, requestId, model: "", message, code: otherMethod ? null : "unknown_url" });
    }
    const denied = route.open ? null : authFailure(this.config, req, protocol, requestId);
    if (denied) return sendError(res, protocol, denied);
    if (route.jsonBody && (badJson || body === null || typeof body !== "object" || Array.isArray(body))) {
      return sendError(res, protocol, {
        status: 400,
        requestId,
        model: "",
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
      });
    }
    route.handler({ state: this, req, res, body, badJson, pending, protocol, requestId, path, method });
  }

  /** 413 in the provider's shape for a body over `MAX_BODY_BYTES`. */
  private tooLarge(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "/").split("?")[0] as string;
    const protocol = protocolOf(path, req);
    sendError(res, protocol, {
      status: 413,
      requestId: this.newId(protocol === "anthropic" ? "msg_" : "chatcmpl-"),
      model: "",
      message:
        protocol === "anthropic"
          ? "Request exceeds the maximum allowed number of bytes."
          : `Request too large: the body is over the ${MAX_BODY_BYTES / 1024 / 1024} MB limit.`,
      code: "request_too_large",
    });
  }

  private newId(prefix: string): string {
    const n = (++this.requestCounter).toString(36).padStart(6, "0");
    return `${prefix}${this.idPrefix}${n}`;
  }
}

/** The protocol error replies speak on `path`: the wire's own, Google's under /v1beta, else by header. */
function protocolOf(path: string, req: IncomingMessage): Protocol {
  const target = wireRoute(path);
  if (target) return target.wire.errors;
  if (isGeminiPath(path)) return "gemini";
  return path.startsWith("/v1/messages") || req.headers["anthropic-version"] !== undefined ? "anthropic" : "openai";
}
