/**
 * Access checks answered as the providers answer them: a required API key (401, the key masked in the
 * message, never echoed in clear) and, when configured, the known model list (404 for any other model).
 */
import type { IncomingMessage } from "node:http";
import type { NormalizedConfig } from "./config.js";
import type { ErrorDetails } from "./error-replies.js";
import type { Protocol } from "./reply.js";

/** The key a request carries: Anthropic's `x-api-key`, or a Bearer token. */
function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers["x-api-key"];
  if (typeof header === "string" && header !== "") return header;
  const auth = req.headers.authorization;
  if (typeof auth === "string" && auth.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim() || undefined;
  return undefined;
}

/** `sk-ab****wxyz`: enough to recognise a key, not enough to use it. */
export function maskKey(key: string): string {
  if (key.length <= 8) return "****";
  return `${key.slice(0, 5)}****${key.slice(-4)}`;
}

/** The 401 to send, or null when the request may go on. */
export function authFailure(config: NormalizedConfig, req: IncomingMessage, protocol: Protocol, requestId: string): ErrorDetails | null {
  if (config.apiKey === undefined) return null;
  const key = presentedKey(req);
  if (key === config.apiKey) return null;
  if (protocol === "anthropic") {
    return { status: 401, requestId, model: "", message: key === undefined ? "x-api-key header is required" : "invalid x-api-key" };
  }
  return {
    status: 401,
    requestId,
    model: "",
    message:
      key === undefined
        ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
        : `Incorrect API key provided: ${maskKey(key)}. You can find your API key in your account settings.`,
    code: key === undefined ? null : "invalid_api_key",
  };
}

/** The 404 for a model outside the configured list, or null. */
export function unknownModel(config: NormalizedConfig, model: string, protocol: Protocol, requestId: string): ErrorDetails | null {
  if (!config.onlyConfiguredModels || config.models.has(model)) return null;
  if (protocol === "anthropic") return { status: 404, requestId, model, message: `model: ${model}` };
  return {
    status: 404,
    requestId,
    model,
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    code: "model_not_found",
  };
}
