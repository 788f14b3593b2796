/**
 * Every endpoint the simulator answers, one row each. Handlers live in their own files; add a row here.
 */
import { handleChat } from "./chat-handler.js";
import { completionsEndpoint } from "./completions-endpoint.js";
import { countTokensEndpoint } from "./count-tokens-endpoint.js";
import { embeddingsEndpoint } from "./embeddings-endpoint.js";
import { listModels } from "./models-endpoint.js";
import { unknownModel } from "./access.js";
import { sendError, sendJson } from "./reply.js";
import type { Route, RouteContext } from "./routes.js";
import { GEMINI_PATH, wireRoute } from "./wire-routes.js";
import { CACHED_CONTENTS_PATH } from "./gemini-caches.js";

export const ROUTES: readonly Route[] = [
  { method: "GET", paths: ["/_ballast/stats"], open: true, handler: (c) => sendJson(c.res, 200, c.state.snapshot(), {}) },
  { method: "GET", paths: ["/v1/models", "/models"], handler: listModels },
  { method: "POST", paths: ["/v1/chat/completions", "/chat/completions"], jsonBody: true, handler: (c) => chatRoute(c, "openai") },
  { method: "POST", paths: ["/v1/messages"], jsonBody: true, handler: (c) => chatRoute(c, "anthropic") },
  { method: "POST", paths: ["/v1/responses", "/responses"], jsonBody: true, handler: (c) => chatRoute(c, "openai") },
  { method: "POST", paths: [], match: GEMINI_PATH, jsonBody: true, handler: (c) => chat(c) },
  { method: "POST", paths: [], match: CACHED_CONTENTS_PATH, jsonBody: true, handler: (c) => c.state.geminiCaches.handle(c) },
  { method: "GET", paths: [], match: CACHED_CONTENTS_PATH, handler: (c) => c.state.geminiCaches.handle(c) },
  { method: "PATCH", paths: [], match: CACHED_CONTENTS_PATH, jsonBody: true, handler: (c) => c.state.geminiCaches.handle(c) },
  { method: "DELETE", paths: [], match: CACHED_CONTENTS_PATH, handler: (c) => c.state.geminiCaches.handle(c) },
  { method: "POST", paths: ["/v1/messages/count_tokens"], jsonBody: true, handler: (c) => withModel(c, "anthropic", countTokensEndpoint) },
  { method: "POST", paths: ["/v1/embeddings", "/embeddings"], jsonBody: true, handler: (c) => withModel(c, "openai", embeddingsEndpoint) },
  {
    method: "POST",
    paths: ["/v1/completions", "/completions"],
    jsonBody: true,
    handler: (c) => withModel(c, "openai", completionsEndpoint),
  },
];

/** Runs `handler` unless the body names a model outside the configured list (then the provider's 404). */
function withModel(c: RouteContext, protocol: "openai" | "anthropic", handler: (c: RouteContext) => void) {
  const model = (c.body as Record<string, unknown>).model;
  const missing = typeof model === "string" ? unknownModel(c.state.config, model, protocol, c.requestId) : null;
  if (missing) return sendError(c.res, protocol, missing);
  handler(c);
}

function chatRoute(c: RouteContext, protocol: "openai" | "anthropic") {
  withModel(c, protocol, () => chat(c));
}

/** A generation request on one of the wires (Chat Completions, Messages, Responses, Gemini). */
function chat(c: RouteContext) {
  const target = wireRoute(c.path);
  if (!target) return sendError(c.res, c.protocol, { status: 404, requestId: c.requestId, model: "", message: `Unknown route ${c.path}` });
  const header = c.req.headers["x-ballast-sim"];
  handleChat(c.state, {
    ...target,
    body: c.body as Record<string, unknown>,
    header: Array.isArray(header) ? header[0] : header,
    res: c.res,
    pending: c.pending,
    requestId: c.requestId,
    // Rows of a simulated provider batch are not held to the live rate limits.
    bypassLimits: c.req.headers["x-ballast-batch"] !== undefined,
  });
}
