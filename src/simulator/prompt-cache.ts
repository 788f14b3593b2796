/**
 * Prompt-token accounting with provider-faithful caching: OpenAI automatic prefix caching (>= 1024 tokens,
 * hits in 128-token blocks, per `prompt_cache_key`, a TTL) and Anthropic `cache_control` breakpoints
 * (minimum cacheable length, 20-block lookback, 5m / 1h TTL, creation vs read tokens). Clock injectable.
 */
import type { ChatRequest, PromptSegment } from "./chat-request.js";
import { hashParts } from "./random.js";
import { countTokens, encodeCached } from "./tokens.js";

export interface PromptUsage {
  /** All prompt tokens, cached ones included. */
  promptTokens: number;
  /** Tokens read from the cache. */
  cachedTokens: number;
  /** Tokens written to the cache (Anthropic). */
  cacheWriteTokens: number;
  /** Of the written tokens, those with a 1-hour TTL (Anthropic). */
  cacheWrite1hTokens: number;
}

export const OPENAI_MIN_CACHED = 1024;
export const OPENAI_BLOCK = 128;
export const OPENAI_TTL_MS = 5 * 60_000;
/** OpenAI per-message overhead (tokens) and reply priming, as in OpenAI's token-counting guide. */
export const OPENAI_MESSAGE_OVERHEAD = 3;
export const OPENAI_REPLY_PRIMING = 3;
const ANTHROPIC_LOOKBACK_BLOCKS = 20;
const MAX_ENTRIES = 200_000;

/** Minimum cacheable prefix for an Anthropic model: 2048 tokens for Haiku models, 1024 otherwise. */
export function anthropicMinCacheable(model: string): number {
  return /haiku/i.test(model) ? 2048 : 1024;
}

const ROLE_SENTINEL: Record<PromptSegment["role"], number> = { tools: -1, system: -2, user: -3, assistant: -4 };

export class PromptCache {
  /** key -> expiry time (ms). */
  private readonly entries = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  get size(): number {
    return this.entries.size;
  }

  account(request: ChatRequest): PromptUsage {
    if (request.explicitCachedTokens !== undefined) {
      // Gemini explicit cache: its tokens are read, the rest of the prompt is not cached implicitly.
      return {
        promptTokens: PromptCache.countPrompt(request),
        cachedTokens: request.explicitCachedTokens,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
      };
    }
    return request.protocol === "openai" ? this.openAI(request) : this.anthropic(request);
  }

  /** Prompt tokens without touching the cache (context-window checks). */
  static countPrompt(request: ChatRequest): number {
    let total = request.protocol === "openai" ? OPENAI_REPLY_PRIMING : 0;
    for (const s of request.segments) {
      total += countTokens(s.text);
      if (request.protocol === "openai" && s.role !== "tools") total += OPENAI_MESSAGE_OVERHEAD;
    }
    return total;
  }

  private put(key: string, expiresAt: number) {
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, expiresAt);
  }

  private alive(key: string, now: number): boolean {
    const expiry = this.entries.get(key);
    if (expiry === undefined) return false;
    if (expiry <= now) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }

  private openAI(request: ChatRequest): PromptUsage {
    const promptTokens = PromptCache.countPrompt(request);
    const none = { promptTokens, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0 };
    if (promptTokens < OPENAI_MIN_CACHED) return none;
    const now = this.clock();
    const namespace = `oa|${request.model}|${request.cacheKey ?? ""}`;
    // Rolling hash over the token stream; remember its value at every block boundary.
    const boundaries: string[] = [];
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    let position = 0;
    const feed = (token: number) => {
      h1 = Math.imul(h1 ^ token, 16777619) >>> 0;
      h2 = (Math.imul(h2, 31) + token + 7) >>> 0;
      position++;
      if (position >= OPENAI_MIN_CACHED && (position - OPENAI_MIN_CACHED) % OPENAI_BLOCK === 0) {
        boundaries.push(`${namespace}|${position}|${h1}:${h2}`);
      }
    };
    for (const s of request.segments) {
      if (s.role !== "tools") for (let i = 0; i < OPENAI_MESSAGE_OVERHEAD; i++) feed(ROLE_SENTINEL[s.role] - i * 10);
      for (const token of encodeCached(s.text)) feed(token);
    }
    for (let i = 0; i < OPENAI_REPLY_PRIMING; i++) feed(-100 - i);
    let cachedTokens = 0;
    for (let i = boundaries.length - 1; i >= 0; i--) {
      if (this.alive(boundaries[i] as string, now)) {
        cachedTokens = OPENAI_MIN_CACHED + i * OPENAI_BLOCK;
        break;
      }
    }
    for (const key of boundaries) this.put(key, now + OPENAI_TTL_MS);
    return { promptTokens, cachedTokens, cacheWriteTokens: 0, cacheWrite1hTokens: 0 };
  }

  private anthropic(request: ChatRequest): PromptUsage {
    const segments = request.segments;
    const cumulative: number[] = [];
    const hashes: string[] = [];
    let total = 0;
    let hash = hashParts("an", request.model);
    for (const s of segments) {
      total += countTokens(s.text);
      hash = hashParts(hash, s.role, s.text);
      cumulative.push(total);
      hashes.push(`an|${request.model}|${hash}`);
    }
    const breakpoints = segments.flatMap((s, i) => (s.cacheControl ? [i] : []));
    const none = { promptTokens: total, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0 };
    if (breakpoints.length === 0) return none;
    const minimum = anthropicMinCacheable(request.model);
    const now = this.clock();
    // Read: the longest cached prefix found at a breakpoint or up to 20 blocks before one.
    let readIndex = -1;
    for (const b of breakpoints) {
      for (let k = b; k >= 0 && b - k < ANTHROPIC_LOOKBACK_BLOCKS; k--) {
        if (k > readIndex && this.alive(hashes[k] as string, now)) {
          readIndex = k;
          break;
        }
      }
    }
    const cachedTokens = readIndex >= 0 ? (cumulative[readIndex] as number) : 0;
    if (readIndex >= 0) {
      // A hit refreshes the entry's TTL (kept at its original length).
      const key = hashes[readIndex] as string;
      const ttl = segments[readIndex]?.cacheControl?.ttl === "1h" ? 3_600_000 : 300_000;
      this.put(key, now + ttl);
    }
    // Write: every eligible breakpoint past what was read.
    let written = cachedTokens;
    let write1h = 0;
    for (const b of breakpoints) {
      const length = cumulative[b] as number;
      if (length < minimum || b <= readIndex) continue;
      const ttl = segments[b]?.cacheControl?.ttl === "1h" ? 3_600_000 : 300_000;
      if (ttl === 3_600_000) write1h += length - written;
      written = length;
      this.put(hashes[b] as string, now + ttl);
    }
    const cacheWriteTokens = written - cachedTokens;
    return { promptTokens: total, cachedTokens, cacheWriteTokens, cacheWrite1hTokens: write1h };
  }
}
