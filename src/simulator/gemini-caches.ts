/**
 * Gemini explicit context caches, as `/v1beta/cachedContents` serves them: create (POST, `ttl` or
 * `expireTime`, default one hour, the model's minimum size), get, list (paged), update of the TTL (PATCH)
 * and delete; an expired cache is gone (404, as an unknown one). A `generateContent` naming `cachedContent`
 * gets the cache's system instruction and contents put before its own, and reports the cache's tokens as
 * `usageMetadata.cachedContentTokenCount`; it may not set `systemInstruction`, `tools` or `toolConfig` itself,
 * and must name the cache's model. The clock is the simulator's (injectable), so tests can expire caches.
 */
import type { ErrorDetails } from "./error-replies.js";
import type { PromptSegment } from "./chat-request.js";
import { sendError, sendJson } from "./reply.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import { countTokens } from "./tokens.js";

type Body = Record<string, unknown>;

/** What the handler reads of a route's context (a `RouteContext` fits). */
interface CacheExchange {
  method: string;
  path: string;
  body: unknown;
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
}

/** `/v1beta/cachedContents` and `/v1beta/cachedContents/{id}`. */
export const CACHED_CONTENTS_PATH = /^\/v1beta\/cachedContents(?:\/([^/:]+))?$/;

/** The default TTL when a create gives neither `ttl` nor `expireTime`. */
const DEFAULT_TTL_MS = 3_600_000;

/** Smallest cache the API takes: 4096 tokens on Pro models, 1024 on the others (Flash, Flash-Lite). */
export function geminiMinCacheTokens(model: string): number {
  return /pro/i.test(model) ? 4096 : 1024;
}

interface Entry {
  name: string;
  model: string;
  displayName?: string;
  createTime: number;
  updateTime: number;
  expireTime: number;
  segments: PromptSegment[];
  tokens: number;
}

function partsText(content: unknown): string {
  const parts = (content as Body | undefined)?.parts;
  if (!Array.isArray(parts)) return "";
  return parts.map((p) => (typeof (p as Body).text === "string" ? ((p as Body).text as string) : "")).join("");
}

/** "300s", "1.5s" -> ms; null when malformed. */
function parseDuration(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return m ? Math.round(Number(m[1]) * 1000) : null;
}

const modelName = (model: string) => (model.startsWith("models/") ? model : `models/${model}`);

class BadRequest extends Error {}

export class GeminiCaches {
  private readonly entries = new Map<string, Entry>();
  private counter = 0;

  constructor(private readonly clock: () => number) {}

  /** A live cache by name ("cachedContents/…"); expired ones are dropped and read as missing. */
  find(name: string): Entry | null {
    const entry = this.entries.get(name);
    if (!entry) return null;
    if (entry.expireTime <= this.clock()) {
      this.entries.delete(name);
      return null;
    }
    return entry;
  }

  /**
   * Resolves a request's `cachedContent`: the segments to put first and their token count, or the
   * provider's error (404 unknown or expired, 400 a request that sets what the cache holds or names another model).
   */
  forRequest(name: string, model: string, body: Body): { segments: PromptSegment[]; tokens: number } | ErrorDetails {
    const entry = this.find(name);
    if (!entry) return { status: 404, requestId: "", model, message: "CachedContent not found (or permission denied)" };
    if (body.systemInstruction !== undefined || body.tools !== undefined || body.toolConfig !== undefined) {
      return {
        status: 400,
        requestId: "",
        model,
        message:
          "CachedContent can not be used with GenerateContent request setting system_instruction, tools or tool_config.\n\nProposed fix: move those values to CachedContent from GenerateContent request.",
      };
    }
    if (entry.model !== modelName(model)) {
      return {
        status: 400,
        requestId: "",
        model,
        message: `Model used by GenerateContent request (${modelName(model)}) and CachedContent (${entry.model}) has to be the same.`,
      };
    }
    return { segments: entry.segments, tokens: entry.tokens };
  }

  /** The route handler for every method on `/v1beta/cachedContents[/{id}]`. */
  handle(c: CacheExchange): void {
    const id = CACHED_CONTENTS_PATH.exec(c.path)?.[1];
    const name = id ? `cachedContents/${decodeURIComponent(id)}` : "";
    const fail = (status: number, message: string) => sendError(c.res, "gemini", { status, requestId: c.requestId, model: "", message });
    const notFound = () => fail(404, `CachedContent not found (or permission denied)`);
    try {
      if (c.method === "POST" && !id) return void sendJson(c.res, 200, this.view(this.create(c.body as Body)), {});
      if (c.method === "GET" && !id) return void sendJson(c.res, 200, this.list(new URL(c.req.url ?? "/", "http://sim").searchParams), {});
      const entry = id ? this.find(name) : null;
      if (!entry) return void notFound();
      if (c.method === "GET") return void sendJson(c.res, 200, this.view(entry), {});
      if (c.method === "DELETE") {
        this.entries.delete(name);
        return void sendJson(c.res, 200, {}, {});
      }
      if (c.method === "PATCH") {
        this.setExpiry(entry, (c.body ?? {}) as Body, false);
        entry.updateTime = this.clock();
        return void sendJson(c.res, 200, this.view(entry), {});
      }
      fail(405, `Method ${c.method} not allowed on ${c.path}`);
    } catch (error) {
      if (error instanceof BadRequest) return void fail(400, error.message);
      throw error;
    }
  }

  private create(body: Body): Entry {
    if (typeof body.model !== "string" || body.model === "")
      throw new BadRequest("* CreateCachedContentRequest.cached_content.model: model is required");
    const segments: PromptSegment[] = [];
    if (Array.isArray(body.tools) && body.tools.length > 0) segments.push({ role: "tools", text: JSON.stringify(body.tools) });
    const system = partsText(body.systemInstruction);
    if (system) segments.push({ role: "system", text: system });
    for (const raw of Array.isArray(body.contents) ? (body.contents as Body[]) : []) {
      segments.push({ role: raw.role === "model" ? "assistant" : "user", text: partsText(raw) });
    }
    let tokens = 0;
    for (const s of segments) tokens += countTokens(s.text);
    const model = modelName(body.model);
    const minimum = geminiMinCacheTokens(model);
    if (tokens < minimum) {
      throw new BadRequest(`Cached content is too small. total_token_count=${tokens}, min_total_token_count=${minimum}`);
    }
    const now = this.clock();
    const entry: Entry = {
      name: `cachedContents/${(++this.counter).toString(36).padStart(4, "0")}${Math.floor(Math.random() * 36 ** 8).toString(36)}`,
      model,
      createTime: now,
      updateTime: now,
      expireTime: now + DEFAULT_TTL_MS,
      segments,
      tokens,
    };
    if (typeof body.displayName === "string") entry.displayName = body.displayName;
    this.setExpiry(entry, body, true);
    this.entries.set(entry.name, entry);
    return entry;
  }

  /** `ttl` (from now) or `expireTime` (RFC 3339), never both; on create neither means the default hour. */
  private setExpiry(entry: Entry, body: Body, creating: boolean): void {
    if (body.ttl !== undefined && body.expireTime !== undefined) throw new BadRequest("Only one of ttl and expire_time may be set.");
    if (body.ttl !== undefined) {
      const ms = parseDuration(body.ttl);
      if (ms === null || ms <= 0) throw new BadRequest(`Invalid value for ttl: ${JSON.stringify(body.ttl)}`);
      entry.expireTime = this.clock() + ms;
    } else if (body.expireTime !== undefined) {
      const at = typeof body.expireTime === "string" ? Date.parse(body.expireTime) : Number.NaN;
      if (Number.isNaN(at) || at <= this.clock()) throw new BadRequest(`Invalid value for expire_time: ${JSON.stringify(body.expireTime)}`);
      entry.expireTime = at;
    } else if (!creating) throw new BadRequest("update_mask names neither ttl nor expire_time");
  }

  private list(query: URLSearchParams): Body {
    const live = [...this.entries.values()].filter((e) => this.find(e.name));
    const size = Math.min(1000, Math.max(1, Number(query.get("pageSize") ?? 100) || 100));
    const start = Math.max(0, Number(query.get("pageToken") ?? 0) || 0);
    const page = live.slice(start, start + size);
    return {
      cachedContents: page.map((e) => this.view(e)),
      ...(start + size < live.length ? { nextPageToken: String(start + size) } : {}),
    };
  }

  private view(e: Entry): Body {
    return {
      name: e.name,
      model: e.model,
      ...(e.displayName !== undefined ? { displayName: e.displayName } : {}),
      createTime: new Date(e.createTime).toISOString(),
      updateTime: new Date(e.updateTime).toISOString(),
      expireTime: new Date(e.expireTime).toISOString(),
      usageMetadata: { totalTokenCount: e.tokens },
    };
  }
}
