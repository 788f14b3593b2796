/**
 * `GET /v1/models`: the configured model names, or without a config a default catalogue of current model
 * names, in the provider's list shape (OpenAI or Anthropic).
 */
import { sendJson } from "./reply.js";
import type { RouteContext } from "./routes.js";

/** Listed when the config names no models: what each provider's list would show. */
export const DEFAULT_MODELS = {
  openai: ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "text-embedding-3-small", "text-embedding-3-large"],
  anthropic: ["claude-opus-4-1", "claude-sonnet-4-5", "claude-haiku-4-5"],
  gemini: ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"],
} as const;

export function listModels(c: RouteContext) {
  const configured = [...c.state.config.models.keys()];
  const names = configured.length > 0 ? configured : [...DEFAULT_MODELS[c.protocol]];
  if (c.protocol === "anthropic") {
    const data = names.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
    const body = { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
    return sendJson(c.res, 200, body, {});
  }
  const data = names.map((id) => ({ id, object: "model", created: 1735689600, owned_by: "ballast-simulator" }));
  sendJson(c.res, 200, { object: "list", data }, {});
}
