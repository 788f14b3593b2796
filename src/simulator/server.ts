/**
 * The simulator's HTTP server on 127.0.0.1: routing, body parsing, the request log, connection, hang and
 * abort tracking, scripts, and shutdown. Chat requests go to the pipeline in chat-handler.ts.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type ChatState, handleChat } from "./chat-handler.js";
import { type NormalizedConfig, type ScriptedReply, validateScriptedReply } from "./config.js";
import { PromptCache } from "./prompt-cache.js";
import { RateLimits } from "./rate-limit.js";
import { type RecordedRequest, recordRequest } from "./recorded-request.js";
import { isGeminiPath, wireRoute } from "./wire-routes.js";
import { type Pending, type Protocol, guarded, sendError, sendInternalError, sendJson } from "./reply.js";
import { BatchApi } from "./batch-api.js";
import { type SimulatorStats, StatsCounter } from "./stats.js";

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class SimulatorServer implements ChatState {
  readonly requests: RecordedRequest[] = [];
  readonly stats = new StatsCounter();
  readonly scripts = new Map<string, ScriptedReply[]>();
  readonly sequence = new Map<string, number>();
  readonly cache: PromptCache;
  readonly limits: RateLimits | undefined;
  readonly batchApi: BatchApi;
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
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
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
    const target = wireRoute(path);
    const protocol: Protocol =
      target?.wire.errors ?? (isGeminiPath(path) ? "gemini" : req.headers["anthropic-version"] !== undefined ? "anthropic" : "openai");
    const requestId = this.newId(target?.wire.idPrefix ?? (protocol === "anthropic" ? "msg_" : "chatcmpl-"));
    if (method === "GET" && path === "/_ballast/stats") return sendJson(res, 200, this.snapshot(), {});
    if (method === "GET" && (path === "/v1/models" || path === "/models")) return sendJson(res, 200, this.modelList(protocol), {});
    if (this.batchApi.handles(method, path)) return void this.batchApi.handle(req, res, raw, path).catch((e) => sendInternalError(res, e));
    if (!target) {
      return sendError(res, protocol, {
        status: 404,
        requestId,
        model: "",
        message: `Unknown route ${method} ${path}`,
        code: "unknown_url",
      });
    }
    if (method !== "POST") {
      return sendError(res, protocol, { status: 405, requestId, model: "", message: `Method ${method} not allowed on ${path}` });
    }
    if (badJson || body === null || typeof body !== "object" || Array.isArray(body)) {
      return sendError(res, protocol, {
        status: 400,
        requestId,
        model: "",
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
      });
    }
    const header = req.headers["x-ballast-sim"];
    handleChat(this, {
      ...target,
      body: body as Record<string, unknown>,
      header: Array.isArray(header) ? header[0] : header,
      res,
      pending,
      requestId,
      bypassLimits: req.headers["x-ballast-batch"] !== undefined,
    });
  }

  private newId(prefix: string): string {
    const n = (++this.requestCounter).toString(36).padStart(6, "0");
    return `${prefix}${this.idPrefix}${n}`;
  }

  private modelList(protocol: Protocol) {
    const names = [...this.config.models.keys()];
    if (protocol === "anthropic") {
      const data = names.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
    }
    return { object: "list", data: names.map((id) => ({ id, object: "model", created: 1735689600, owned_by: "ballast-simulator" })) };
  }
}
