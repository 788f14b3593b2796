/**
 * The simulator's route table: which handler answers which method and path. Each endpoint is one row, so
 * adding a protocol or endpoint touches one line here and its own file, never the server's request loop.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatState } from "./chat-handler.js";
import type { Pending, Protocol } from "./reply.js";
import type { SimulatorStats } from "./stats.js";

/** What a handler gets for one request. */
export interface RouteContext {
  state: ChatState & { snapshot(): SimulatorStats };
  req: IncomingMessage;
  res: ServerResponse;
  /** The parsed JSON body; undefined when empty or unparsable (see `badJson`). */
  body: unknown;
  badJson: boolean;
  pending: Pending;
  /** The protocol the error replies speak, guessed from the path and headers. */
  protocol: Protocol;
  /** A provider-looking id for this request (`chatcmpl-...` or `msg_...`). */
  requestId: string;
  path: string;
  method: string;
}

export type RouteHandler = (ctx: RouteContext) => void;

export interface Route {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Exact paths (no query string); OpenAI clients may drop the `/v1` prefix. */
  paths: readonly string[];
  /** Paths with a parameter in them (Gemini's `/v1beta/models/{model}:generateContent`). */
  match?: RegExp;
  /** Routes that only take JSON object bodies get the provider's 400 for anything else before the handler. */
  jsonBody?: boolean;
  /** Simulator-only routes (not a provider's): no API key asked. */
  open?: boolean;
  handler: RouteHandler;
}

/** The route for `path`, and whether another method would have matched (405 rather than 404). */
export function findRoute(routes: readonly Route[], method: string, path: string): { route?: Route; otherMethod: boolean } {
  let otherMethod = false;
  for (const route of routes) {
    if (!route.paths.includes(path) && !route.match?.test(path)) continue;
    if (route.method === method) return { route, otherMethod: false };
    otherMethod = true;
  }
  return { otherMethod };
}
