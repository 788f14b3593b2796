/**
 * Gemini explicit context caches for the stable prefix of a prompt (the leading stable system sections:
 * instructions, examples, a schema described in the prompt). The first request with a prefix creates a
 * cache through the SDK (`caches.create`, with a TTL), later ones name it as `cachedContent` while it lives;
 * a cache the API no longer has (expired or deleted: a 404 or 403 about the CachedContent) is forgotten and
 * made again in the same attempt. Caching never fails a call: a prefix under the model's minimum size is sent
 * as usual (Gemini's implicit caching still applies), and so is a request whose cache could not be created.
 * The tokens written to a new cache are billed at the input rate: the attempt that creates it reports them
 * as `cacheWriteTokens`.
 */
import { createHash } from "node:crypto";
import { ApiError, type GenerateContentParameters, type GoogleGenAI } from "@google/genai";
import { estimateTokens } from "../../prompt/index.js";

/** `google(model, { explicitCache })`. */
export interface GeminiExplicitCacheOptions {
  /** How long a cache lives after it is made, in seconds. @default 3600 (the API's default) */
  ttlSeconds?: number;
  /** Prefixes shorter than this many (estimated) tokens are not cached explicitly. @default the model's minimum: 4096 on Pro models, else 1024 */
  minTokens?: number;
}

interface Live {
  name: string;
  /** Epoch ms after which it is made again without asking (a little before the API lets it go). */
  renewAt: number;
}

/** A request ready to send, and the tokens this attach wrote to a new cache (0 when it reused one or used none). */
export interface Attached {
  params: GenerateContentParameters;
  key: string | null;
  writtenTokens: number;
}

/** Renew a cache this long before its TTL runs out, so a request in flight does not outlive it. */
const RENEW_MARGIN_MS = 30_000;
/** After a failed creation (not a 400), requests go without a cache this long before the next try. */
const RETRY_CREATE_MS = 60_000;

/** Whether an error says the named cache is gone (expired or deleted). */
export function isCacheGone(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  return (err.status === 404 || err.status === 403) && /cachedcontent/i.test(err.message);
}

export class ExplicitCaches {
  private readonly live = new Map<string, Live>();
  /** One creation at a time per prefix: concurrent calls share it. */
  private readonly creating = new Map<string, Promise<{ live: Live; tokens: number } | null>>();
  /** Prefixes whose creation failed, until when they go without a cache. */
  private readonly refused = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly minTokens: number;

  constructor(
    private readonly model: string,
    options: GeminiExplicitCacheOptions,
    private readonly client: () => GoogleGenAI,
  ) {
    this.ttlMs = Math.max(1, options.ttlSeconds ?? 3600) * 1000;
    this.minTokens = options.minTokens ?? (/pro/i.test(model) ? 4096 : 1024);
  }

  /** Drops a cache the API said is gone, so the next attach makes it again. */
  forget(key: string): void {
    this.live.delete(key);
  }

  /**
   * `params` with the stable prefix read from a cache (created now when none lives), or `plain` when the prefix
   * is too small or the cache could not be made. `params` must not carry a system instruction (see `splitStable`).
   */
  async attach(
    params: GenerateContentParameters,
    stableSystem: string,
    plain: GenerateContentParameters,
    signal: AbortSignal,
  ): Promise<Attached> {
    if (!stableSystem || estimateTokens(stableSystem) < this.minTokens) return { params: plain, key: null, writtenTokens: 0 };
    const key = createHash("sha256").update(stableSystem).digest("base64url");
    if ((this.refused.get(key) ?? 0) > Date.now()) return { params: plain, key: null, writtenTokens: 0 };
    let writtenTokens = 0;
    let live = this.live.get(key);
    if (!live || Date.now() >= live.renewAt) {
      this.live.delete(key);
      let pending = this.creating.get(key);
      const mine = !pending;
      if (!pending) {
        pending = this.create(key, stableSystem, signal);
        this.creating.set(key, pending);
        void pending.finally(() => this.creating.delete(key));
      }
      const made = await pending;
      if (signal.aborted) throw signal.reason;
      if (!made) return { params: plain, key: null, writtenTokens: 0 };
      if (mine) writtenTokens = made.tokens;
      this.live.set(key, made.live);
      live = made.live;
    }
    return { params: { ...params, config: { ...params.config, cachedContent: live.name } }, key, writtenTokens };
  }

  private async create(key: string, stableSystem: string, signal: AbortSignal): Promise<{ live: Live; tokens: number } | null> {
    const startedAt = Date.now();
    try {
      const cache = await this.client().caches.create({
        model: this.model,
        config: { systemInstruction: stableSystem, ttl: `${this.ttlMs / 1000}s`, abortSignal: signal },
      });
      if (!cache.name) return null;
      // Renewed by our own clock (the API's may differ), a little before the TTL runs out.
      const renewAt = startedAt + this.ttlMs - Math.min(RENEW_MARGIN_MS, this.ttlMs / 10);
      return { live: { name: cache.name, renewAt }, tokens: cache.usageMetadata?.totalTokenCount ?? 0 };
    } catch (err) {
      // Too small for the model (400): never cached here. A quota or an outage: tried again after a pause.
      // An abort: the creator's own call ends; callers sharing the creation go on without the cache.
      if (!signal.aborted)
        this.refused.set(key, err instanceof ApiError && err.status === 400 ? Number.POSITIVE_INFINITY : Date.now() + RETRY_CREATE_MS);
      return null;
    }
  }
}
