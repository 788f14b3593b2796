/**
 * Client-side rate limits per model: the `RateLimiter` interface (async throughout, so a shared store such as
 * Redis can back it) and its in-process implementation, a token bucket for requests and one for tokens.
 * Tokens are estimated before the call and corrected by the reported usage; a 429's `retry-after` and the
 * `x-ratelimit-*` headers of any reply pause the model.
 */
import { ConfigurationError } from "../errors/index.js";
import type { ModelLimits } from "./types.js";

export interface RateLimiter {
  /** Resolves when `model` may send one request estimated at `tokens` tokens (at once for an unlimited model). */
  acquire(model: string, tokens: number, signal?: AbortSignal): Promise<void>;
  /** A request estimated at `estimated` tokens used `actual`: the difference is given back or taken. */
  settle(model: string, estimated: number, actual: number): void | Promise<void>;
  /** The provider asked for a pause (429 `retry-after`): no request for `model` in the next `ms`. */
  pause(model: string, ms: number): void | Promise<void>;
  /** A reply's headers: `x-ratelimit-remaining-*` at 0 pauses the model until `x-ratelimit-reset-*`. */
  observe(model: string, headers: HeaderSource): void | Promise<void>;
  /** Milliseconds of pause still pending for `model` (0 when none), for progress displays. */
  backoffMs(model: string): number;
}

export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export interface TokenBucketOptions {
  /** Limits per model id; `"*"` applies to models without their own entry. */
  limits: Record<string, ModelLimits>;
  /** The window the limits count over. @default 60_000 */
  windowMs?: number;
  /** Share of the limit the client aims at, so clock jitter never crosses it. @default 0.99 */
  headroom?: number;
  /** Burst allowed, as a share of the window's limit (at least one request). @default 1/60 */
  burst?: number;
}

class Bucket {
  level: number;
  at = performance.now();
  constructor(
    readonly capacity: number,
    /** Units per millisecond. */
    readonly rate: number,
  ) {
    this.level = capacity;
  }
  refill(now: number) {
    this.level = Math.min(this.capacity, this.level + (now - this.at) * this.rate);
    this.at = now;
  }
  /** Milliseconds until `need` units are available (0: now). */
  waitFor(need: number, now: number): number {
    this.refill(now);
    const want = Math.min(need, this.capacity);
    return this.level >= want ? 0 : Math.ceil((want - this.level) / this.rate);
  }
}

interface ModelState {
  requests: Bucket | null;
  tokens: Bucket | null;
  pausedUntil: number;
  /** Serialises acquisitions so rows leave in order. */
  queue: Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

function header(h: HeaderSource, name: string): string | undefined {
  if (typeof (h as { get?: unknown }).get === "function") return (h as { get(n: string): string | null }).get(name) ?? undefined;
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

/** OpenAI's reset durations: "1s", "6m0s", "120ms", "1h2m3.5s"; a bare number is seconds. */
export function parseResetMs(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  let total = 0;
  let matched = false;
  for (const m of raw.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    matched = true;
    const n = Number(m[1]);
    total += m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n * 3_600_000;
  }
  if (matched) return total;
  const date = Date.parse(raw); // Anthropic sends RFC 3339 reset times
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function checkLimit(value: number | undefined, name: string) {
  if (value !== undefined && !(typeof value === "number" && value > 0 && Number.isFinite(value)))
    throw new ConfigurationError(`rate limits: ${name} must be a positive number, got ${String(value)}`);
}

/** An in-process token-bucket limiter (requests and tokens per model). */
export function createTokenBucketLimiter(options: TokenBucketOptions): RateLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const headroom = options.headroom ?? 0.99;
  const burst = options.burst ?? 1 / 60;
  checkLimit(windowMs, "windowMs");
  for (const [model, l] of Object.entries(options.limits)) {
    checkLimit(l.rpm, `${model}.rpm`);
    checkLimit(l.tpm, `${model}.tpm`);
  }
  const models = new Map<string, ModelState>();
  const stateOf = (model: string): ModelState => {
    let s = models.get(model);
    if (s) return s;
    const l = options.limits[model] ?? options.limits["*"] ?? {};
    const bucket = (limit: number | undefined, min: number) =>
      limit === undefined ? null : new Bucket(Math.max(min, Math.floor(limit * burst)), (limit * headroom) / windowMs);
    s = { requests: bucket(l.rpm, 1), tokens: bucket(l.tpm, 1), pausedUntil: 0, queue: Promise.resolve() };
    // A fresh bucket starts with one request's worth, not a full burst: a provider counting over a sliding
    // window sees the same pace from the first second.
    if (s.requests) s.requests.level = 1;
    models.set(model, s);
    return s;
  };

  async function take(s: ModelState, tokens: number, signal?: AbortSignal) {
    for (;;) {
      if (signal?.aborted) return;
      const now = performance.now();
      const paused = s.pausedUntil - now;
      const wait = Math.max(paused, s.requests?.waitFor(1, now) ?? 0, s.tokens?.waitFor(tokens, now) ?? 0);
      if (wait <= 0) {
        if (s.requests) s.requests.level -= 1;
        if (s.tokens) s.tokens.level -= tokens; // may go below zero for a row bigger than the burst: later rows wait
        return;
      }
      await sleep(wait, signal);
    }
  }

  return {
    acquire(model, tokens, signal) {
      const s = stateOf(model);
      if (!s.requests && !s.tokens && s.pausedUntil <= performance.now()) return Promise.resolve();
      const turn = s.queue.then(() => take(s, tokens, signal));
      s.queue = turn;
      return turn;
    },
    settle(model, estimated, actual) {
      const s = stateOf(model);
      if (s.tokens) s.tokens.level = Math.min(s.tokens.capacity, s.tokens.level + estimated - actual);
    },
    pause(model, ms) {
      const s = stateOf(model);
      s.pausedUntil = Math.max(s.pausedUntil, performance.now() + ms);
    },
    observe(model, headers) {
      const s = stateOf(model);
      for (const kind of ["requests", "tokens"] as const) {
        const remaining = header(headers, `x-ratelimit-remaining-${kind}`);
        if (remaining === undefined || Number(remaining) > 0) continue;
        const reset = parseResetMs(header(headers, `x-ratelimit-reset-${kind}`));
        if (reset !== undefined) s.pausedUntil = Math.max(s.pausedUntil, performance.now() + reset);
      }
    },
    backoffMs(model) {
      const s = models.get(model);
      return s ? Math.max(0, Math.round(s.pausedUntil - performance.now())) : 0;
    },
  };
}

/** Concurrency that halves on a 429 (at most once per `cooldownMs`) and grows by one per window of successes. */
export class AimdWindow {
  size: number;
  private lastCut = Number.NEGATIVE_INFINITY;
  constructor(
    readonly max: number,
    private readonly cooldownMs = 1_000,
  ) {
    this.size = max;
  }
  get slots(): number {
    return Math.max(1, Math.floor(this.size));
  }
  success() {
    if (this.size < this.max) this.size = Math.min(this.max, this.size + 1 / this.size);
  }
  throttled() {
    const now = performance.now();
    if (now - this.lastCut < this.cooldownMs) return;
    this.lastCut = now;
    this.size = Math.max(1, this.size / 2);
  }
}
