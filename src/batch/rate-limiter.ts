/**
 * Client-side rate limits per model: the `RateLimiter` interface (async throughout, so a shared store such as
 * Redis can back it) and its in-process implementation, a token bucket for requests and one for tokens.
 * Tokens are estimated before the call and corrected by the reported usage; a 429's `retry-after` and the
 * `x-ratelimit-*` headers of any reply pause the model.
 */
import { ConfigurationError } from "../errors/index.js";

/** Per-model request and token limits the client holds itself to. */
export interface ModelLimits {
  /** Requests per minute (or per `windowMs`). */
  rpm?: number;
  /** Tokens per minute (or per `windowMs`): input estimated locally, corrected by the reported usage. */
  tpm?: number;
}

export interface RateLimiter {
  /** Resolves when `model` may send one request estimated at `tokens` tokens (at once for an unlimited model). */
  acquire(model: string, tokens: number, signal?: AbortSignal): Promise<Grant>;
  /** Tokens spent on `model` without an `acquire` (a fallback rung of the cascade). */
  record(model: string, tokens: number): void | Promise<void>;
  /** The provider asked for a pause (429 `retry-after`): no request for `model` in the next `ms`. */
  pause(model: string, ms: number): void | Promise<void>;
  /** A reply's headers: `x-ratelimit-remaining-*` at 0 pauses the model until `x-ratelimit-reset-*`. */
  observe(model: string, headers: HeaderSource): void | Promise<void>;
  /** Milliseconds of pause still pending for `model` (0 when none), for progress displays. */
  backoffMs(model: string): number;
}

/** One admitted request: `settle` (when its reply is back) replaces its estimate with the reported usage. */
export interface Grant {
  settle(actualTokens: number): void | Promise<void>;
}

const NO_GRANT: Grant = { settle() {} };

export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export interface TokenBucketOptions {
  /** Limits per model id; `"*"` applies to models without their own entry. */
  limits: Record<string, ModelLimits>;
  /** The window the limits count over. @default 60_000 */
  windowMs?: number;
  /** Share of the limit the client aims at, so clock jitter never crosses it. @default 0.99 */
  headroom?: number;
}

/**
 * Units spent in the last `windowMs`, as a log of (time, units). A request may go when the window's total
 * plus its own stays within `allowed`. Chosen over a continuously refilled bucket (measured): a bucket with a
 * small burst lost a quarter of the limit whenever the event loop ran late, and a large burst lets a sliding
 * window provider see more than its limit; the log catches up after a stall and never exceeds the window.
 */
class WindowLog {
  private readonly at: number[] = [];
  private readonly units: number[] = [];
  private head = 0;
  /** Entries spliced off the front so far (keeps indexes handed out stable). */
  private dropped = 0;
  total = 0;
  constructor(
    readonly allowed: number,
    readonly windowMs: number,
  ) {}
  private prune(now: number) {
    const from = now - this.windowMs;
    while (this.head < this.at.length && (this.at[this.head] as number) <= from) {
      this.total -= this.units[this.head] as number;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.at.length) {
      this.at.splice(0, this.head);
      this.units.splice(0, this.head);
      this.dropped += this.head;
      this.head = 0;
    }
  }
  /** Milliseconds until `need` units fit (0: now). A request bigger than the whole window waits for an empty one. */
  waitFor(need: number, now: number): number {
    this.prune(now);
    const fit = Math.min(need, this.allowed);
    let total = this.total;
    if (total + fit <= this.allowed) return 0;
    // the time the oldest entries leave, one by one, until enough room is free
    for (let i = this.head; i < this.at.length; i++) {
      total -= this.units[i] as number;
      if (total + fit <= this.allowed) return Math.max(1, Math.ceil((this.at[i] as number) + this.windowMs - now));
    }
    return 1;
  }
  /** Logs `units` spent now; returns the entry's stable index (for `correct`). */
  take(units: number, now: number): number {
    this.at.push(now);
    this.units.push(units);
    this.total += units;
    return this.dropped + this.at.length - 1;
  }
  /** Corrects entry `index` (while still in the log) to `units`. */
  correct(index: number, units: number) {
    index -= this.dropped;
    if (index < this.head || index >= this.at.length) return;
    this.total += units - (this.units[index] as number);
    this.units[index] = units;
  }
}

interface ModelState {
  requests: WindowLog | null;
  tokens: WindowLog | null;
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
    const log = (limit: number | undefined) =>
      limit === undefined ? null : new WindowLog(Math.max(1, Math.floor(limit * headroom)), windowMs);
    s = { requests: log(l.rpm), tokens: log(l.tpm), pausedUntil: 0, queue: Promise.resolve() };
    models.set(model, s);
    return s;
  };

  async function take(s: ModelState, tokens: number, signal?: AbortSignal): Promise<Grant> {
    for (;;) {
      if (signal?.aborted) return NO_GRANT;
      const now = performance.now();
      const wait = Math.max(s.pausedUntil - now, s.requests?.waitFor(1, now) ?? 0, s.tokens?.waitFor(tokens, now) ?? 0);
      if (wait <= 0) {
        const { requests, tokens: tokenLog } = s;
        requests?.take(1, now);
        const t = tokenLog ? tokenLog.take(tokens, now) : -1;
        return {
          settle(actual) {
            tokenLog?.correct(t, actual);
          },
        };
      }
      await sleep(wait, signal);
    }
  }

  return {
    acquire(model, tokens, signal) {
      const s = stateOf(model);
      if (!s.requests && !s.tokens && s.pausedUntil <= performance.now()) return Promise.resolve(NO_GRANT);
      const turn = s.queue.then(() => take(s, tokens, signal));
      s.queue = turn.then(() => {});
      return turn;
    },
    record(model, tokens) {
      stateOf(model).tokens?.take(tokens, performance.now());
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

/**
 * A `fetch` for an SDK client (`new OpenAI({ fetch: rateLimitFetch(limiter) })`) that hands every reply's
 * headers to the limiter under the request body's model, so `x-ratelimit-*` pauses the model before a 429.
 */
export function rateLimitFetch(limiter: RateLimiter, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    const body = typeof init?.body === "string" ? init.body : "";
    const model = /"model"\s*:\s*"([^"]+)"/.exec(body)?.[1];
    if (model && res.headers.has("x-ratelimit-remaining-requests")) await limiter.observe(model, res.headers);
    return res;
  };
}
