/**
 * `GET /v1/models`: the configured model names in the provider's list shape (OpenAI or Anthropic).
 */
import { sendJson } from "./reply.js";
import type { RouteContext } from "./routes.js";

export function listModels(c: RouteContext) {
  const names = [...c.state.config.models.keys()];
  if (c.protocol === "anthropic") {
    const data = names.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
    const body = { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
    return sendJson(c.res, 200, body, {});
  }
  const data = names.map((id) => ({ id, object: "model", created: 1735689600, owned_by: "ballast-simulator" }));
  sendJson(c.res, 200, { object: "list", data }, {});
}
