/**
 * Writing replies: JSON bodies, provider-shaped errors, and the per-response state (a pending timer, whether
 * the server itself closed the exchange) shared by the server, the chat pipeline and the SSE writer.
 */
import type { ServerResponse } from "node:http";
import { type ErrorDetails, anthropicError, geminiError, openAIError } from "./error-replies.js";

/** The error body shapes: OpenAI (Chat Completions and Responses), Anthropic, Gemini. */
export type Protocol = "openai" | "anthropic" | "gemini";

/** Per-response state: a pending timer to clear when the client goes away. */
export interface Pending {
  timer?: NodeJS.Timeout;
  /** Set when the server itself ended the exchange (reset, streamCut), so it is not counted as a client abort. */
  serverClosed?: boolean;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** A bug in the simulator answers like a provider's internal error (or drops a started reply), never hangs. */
export function sendInternalError(res: ServerResponse, error: unknown) {
  if (res.destroyed) return;
  if (!res.headersSent) {
    sendJson(res, 500, { error: { message: `simulator error: ${String(error)}`, type: "api_error", param: null, code: null } }, {});
  } else res.destroy();
}

/** Runs `fn`, turning a thrown error into `sendInternalError` (for timer callbacks, where nothing else would). */
export function guarded(res: ServerResponse, fn: () => void): () => void {
  return () => {
    try {
      fn();
    } catch (error) {
      sendInternalError(res, error);
    }
  };
}

export function sendError(res: ServerResponse, protocol: Protocol, details: ErrorDetails) {
  const reply = protocol === "openai" ? openAIError(details) : protocol === "anthropic" ? anthropicError(details) : geminiError(details);
  sendJson(res, reply.status, reply.body, reply.headers);
}
