/**
 * Every endpoint the simulator answers, one row each. Handlers live in their own files; add a row here.
 */
import { handleChat } from "./chat-handler.js";
import { listModels } from "./models-endpoint.js";
import type { Route } from "./routes.js";
import { sendJson } from "./reply.js";

export const ROUTES: readonly Route[] = [
  { method: "GET", paths: ["/_ballast/stats"], handler: (c) => sendJson(c.res, 200, c.state.snapshot(), {}) },
  { method: "GET", paths: ["/v1/models", "/models"], handler: listModels },
  { method: "POST", paths: ["/v1/chat/completions", "/chat/completions"], jsonBody: true, handler: (c) => chatRoute(c, "openai") },
  { method: "POST", paths: ["/v1/messages"], jsonBody: true, handler: (c) => chatRoute(c, "anthropic") },
];

function chatRoute(c: Parameters<Route["handler"]>[0], protocol: "openai" | "anthropic") {
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
