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

export const ROUTES: readonly Route[] = [
  { method: "GET", paths: ["/_ballast/stats"], open: true, handler: (c) => sendJson(c.res, 200, c.state.snapshot(), {}) },
  { method: "GET", paths: ["/v1/models", "/models"], handler: listModels },
  { method: "POST", paths: ["/v1/chat/completions", "/chat/completions"], jsonBody: true, handler: (c) => chatRoute(c, "openai") },
  { method: "POST", paths: ["/v1/messages"], jsonBody: true, handler: (c) => chatRoute(c, "anthropic") },
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
  withModel(c, protocol, () => chat(c, protocol));
}

function chat(c: RouteContext, protocol: "openai" | "anthropic") {
  const header = c.req.headers["x-ballast-sim"];
  handleChat(
    c.state,
    protocol,
    c.body as Record<string, unknown>,
    Array.isArray(header) ? header[0] : header,
    c.res,
    c.pending,
    c.requestId,
  );
}
