/**
 * Per-model rate limits over a sliding window: requests and tokens admitted in the last `windowMs`. A request
 * over either limit gets a 429 with `retry-after(-ms)` (when the oldest admitted request leaves the window);
 * every reply of a limited model carries `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`.
 */
import type { ServerResponse } from "node:http";
import type { RateLimitConfig } from "./rate-limit-config.js";

interface Admitted {
  at: number;
  tokens: number;
}

export interface RateLimitStats {
  admitted: number;
  rejected: number;
  /** Most requests admitted within any one window. */
  maxInWindow: number;
  /** Times of the first and last admitted request (ms, the simulator's clock). */
  firstAt: number | null;
  lastAt: number | null;
  windowMs: number;
  limit: RateLimitConfig;
}

class ModelWindow {
  readonly log: Admitted[] = [];
  head = 0;
  tokens = 0;
  readonly stats: RateLimitStats;
  constructor(readonly limit: RateLimitConfig) {
    this.stats = { admitted: 0, rejected: 0, maxInWindow: 0, firstAt: null, lastAt: null, windowMs: limit.windowMs ?? 60_000, limit };
  }
  prune(now: number) {
    const from = now - this.stats.windowMs;
    while (this.head < this.log.length && (this.log[this.head] as Admitted).at <= from) {
      this.tokens -= (this.log[this.head] as Admitted).tokens;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.log.length) {
      this.log.splice(0, this.head);
      this.head = 0;
    }
  }
  get count() {
    return this.log.length - this.head;
  }
  /** Ms until the oldest entry leaves the window. */
  resetMs(now: number): number {
    const oldest = this.log[this.head];
    return oldest ? Math.max(1, Math.ceil(oldest.at + this.stats.windowMs - now)) : 0;
  }
}

const duration = (ms: number) => (ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, "")}s`);

export class RateLimits {
  private readonly windows = new Map<string, ModelWindow>();
  constructor(
    limits: Map<string, RateLimitConfig>,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
  ) {
    for (const [model, limit] of limits) this.windows.set(model, new ModelWindow(limit));
  }

  /**
   * Admits a request of `promptTokens` to `model` (returns its entry, to add the output tokens to) or returns
   * the ms to wait when it is over a limit. Sets the `x-ratelimit-*` headers either way.
   */
  admit(model: string, promptTokens: number, res: ServerResponse): { entry: Admitted | null; retryAfterMs: number | null } {
    const w = this.windows.get(model);
    if (!w) return { entry: null, retryAfterMs: null };
    const now = this.now();
    w.prune(now);
    const { requests, tokens } = w.limit;
    let retryAfterMs: number | null = null;
    if (requests !== undefined && w.count >= requests) retryAfterMs = w.resetMs(now);
    else if (tokens !== undefined && w.count > 0 && w.tokens + promptTokens > tokens) retryAfterMs = w.resetMs(now);
    let entry: Admitted | null = null;
    if (retryAfterMs === null) {
      entry = { at: now, tokens: promptTokens };
      w.log.push(entry);
      w.tokens += promptTokens;
      w.stats.admitted++;
      w.stats.firstAt ??= now;
      w.stats.lastAt = now;
      if (w.count > w.stats.maxInWindow) w.stats.maxInWindow = w.count;
    } else w.stats.rejected++;
    const reset = duration(w.resetMs(now));
    if (requests !== undefined) {
      res.setHeader("x-ratelimit-limit-requests", String(requests));
      res.setHeader("x-ratelimit-remaining-requests", String(Math.max(0, requests - w.count)));
      res.setHeader("x-ratelimit-reset-requests", reset);
    }
    if (tokens !== undefined) {
      res.setHeader("x-ratelimit-limit-tokens", String(tokens));
      res.setHeader("x-ratelimit-remaining-tokens", String(Math.max(0, tokens - w.tokens)));
      res.setHeader("x-ratelimit-reset-tokens", reset);
    }
    return { entry, retryAfterMs };
  }

  /** Adds a reply's output tokens to its admitted entry. */
  addOutput(model: string, entry: Admitted | null, outputTokens: number) {
    const w = this.windows.get(model);
    if (!w || !entry) return;
    // called in the same turn as `admit`: the entry is still in the window
    entry.tokens += outputTokens;
    w.tokens += outputTokens;
  }

  stats(): Record<string, RateLimitStats> {
    const out: Record<string, RateLimitStats> = {};
    for (const [model, w] of this.windows) out[model] = { ...w.stats };
    return out;
  }
}
