/**
 * `POST /v1/messages/count_tokens`: the prompt tokens a Messages request would be billed for, validated
 * like the request itself (same 400s), without generating anything.
 */
import { parseAnthropicRequest } from "./anthropic-request.js";
import { anthropicRequestId } from "./error-replies.js";
import { InvalidRequestError } from "./invalid-request-error.js";
import { PromptCache } from "./prompt-cache.js";
import { sendError, sendJson } from "./reply.js";
import type { RouteContext } from "./routes.js";

export function countTokensEndpoint(c: RouteContext) {
  const body = c.body as Record<string, unknown>;
  try {
    // count_tokens takes a Messages request without max_tokens.
    const request = parseAnthropicRequest({ ...body, max_tokens: 1, stream: false });
    sendJson(c.res, 200, { input_tokens: PromptCache.countPrompt(request) }, { "request-id": anthropicRequestId(c.requestId) });
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    sendError(c.res, "anthropic", { status: 400, requestId: c.requestId, model: String(body.model ?? ""), message: error.message });
  }
}
