/**
 * Holds a batch's rows back until their model's limits have room, over any `RateLimiter` (this process's
 * token buckets by default, or a shared one such as `ballast/redis`'s, so several batch processes and clients
 * hold one limit together). Rows leave one model's gate in order; a provider's pause (429 `retry-after`,
 * `x-ratelimit-*` at 0) holds the model too.
 *
 * How a limit becomes buckets: the rate aims at `HEADROOM` of the limit, and a bucket holds one request plus
 * `LATENESS_SHARE` of the window. That extra is what a late timer would otherwise lose (a one-request bucket
 * drops every millisecond a timer fires late: 7% of the rate at 15 requests a second with timers up to 10 ms
 * late, in simulated time); and the two shares together keep any window at or under the limit, with room
 * for the provider seeing the requests arrive up to `1 / HEADROOM - 1 - LATENESS_SHARE` of a window apart
 * from when they left.
 *
 * Over a limiter that reserves (this process's buckets and `ballast/redis`'s do), a row asks once: its units
 * are taken at once and it sleeps until they fall due, so a late timer costs no throughput and a shared limit
 * costs one Redis round trip per row. Over one that only takes, a row asks again after each wait.
 */
import { modelKey, type RateLimit, type RateLimiter, localRateLimiter } from "../cascade/index.js";
import type { LanguageModel } from "../core/index.js";
import { type ProviderPauses, providerPauses } from "./provider-pauses.js";
import type { ModelLimits } from "./types.js";

/** Share of each limit the rows are sent at. */
export const HEADROOM = 0.985;
/** Timer lateness the buckets absorb without losing throughput, as a share of the window. */
export const LATENESS_SHARE = 0.0075;

/** One admitted row: `settle` replaces its token estimate with the usage the provider reported. */
export interface Grant {
  settle(actualTokens: number): void;
}

const NO_GRANT: Grant = { settle() {} };

/** Longest wait a row reserves ahead; past it (a limit far below the rows' demand) the row asks again later. */
const MAX_RESERVE_MS = 600_000;

export interface BatchRateGateOptions {
  /** Limits per model: by `"provider:model"`, by model id, or `"*"` for every other model. */
  limits: Readonly<Record<string, ModelLimits>>;
  /** The window `rpm` and `tpm` count over. @default 60_000 */
  windowMs?: number;
  /** Where the buckets live. @default this process's own (`localRateLimiter()`) */
  limiter?: RateLimiter;
  /** Pauses the providers asked for (fill it with `rateLimitFetch` to honour `x-ratelimit-*`). @default a new one */
  pauses?: ProviderPauses;
  /** How the gate waits; a simulated clock's sleep in tests. @default setTimeout, cut short by the signal */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The bucket shape of one model's limits (see the module comment). */
export function rateLimitOf(limits: ModelLimits, windowMs: number): RateLimit | null {
  if (limits.rpm === undefined && limits.tpm === undefined) return null;
  const limit: RateLimit = { windowMs };
  if (limits.rpm !== undefined) limit.requests = limits.rpm * HEADROOM;
  if (limits.tpm !== undefined) limit.tokens = limits.tpm * HEADROOM;
  const oneRequest = limit.requests !== undefined ? 1 / limit.requests : LATENESS_SHARE;
  limit.burstShare = Math.min(1, oneRequest + LATENESS_SHARE);
  return limit;
}

const timerSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

interface Gate {
  key: string;
  limit: RateLimit | null;
  /** Serialises acquisitions so rows leave in order. */
  queue: Promise<unknown>;
}

export class BatchRateGate {
  readonly pauses: ProviderPauses;
  private readonly limiter: RateLimiter;
  private readonly windowMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly gates = new Map<string, Gate>();

  constructor(private readonly options: BatchRateGateOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.limiter = options.limiter ?? localRateLimiter();
    this.pauses = options.pauses ?? providerPauses();
    this.sleep = options.sleep ?? timerSleep;
    for (const limits of Object.values(options.limits)) rateLimitOf(limits, this.windowMs); // shape errors now
  }

  /** Whether any model has a token limit (rows then need a token estimate before they go). */
  get countsTokens(): boolean {
    return Object.values(this.options.limits).some((l) => l.tpm !== undefined);
  }

  private gate(model: Pick<LanguageModel, "provider" | "modelId">): Gate {
    const key = modelKey(model as LanguageModel);
    let g = this.gates.get(key);
    if (!g) {
      const l = this.options.limits;
      const limits = l[key] ?? l[model.modelId] ?? l["*"];
      g = { key, limit: limits ? rateLimitOf(limits, this.windowMs) : null, queue: Promise.resolve() };
      this.gates.set(key, g);
    }
    return g;
  }

  /** Resolves when `model` may send one request estimated at `tokens` tokens (at once when `signal` aborts). */
  acquire(model: LanguageModel, tokens: number, signal?: AbortSignal): Promise<Grant> {
    const g = this.gate(model);
    if (!g.limit && this.pauses.remainingMs(model.modelId) <= 0) return Promise.resolve(NO_GRANT);
    const turn = g.queue.then(() => this.take(g, model.modelId, tokens, signal));
    g.queue = turn.catch(() => {});
    return turn;
  }

  private async take(g: Gate, modelId: string, tokens: number, signal?: AbortSignal): Promise<Grant> {
    const reserve = this.limiter.reserve?.bind(this.limiter);
    for (;;) {
      if (signal?.aborted) return NO_GRANT;
      const paused = this.pauses.remainingMs(modelId);
      if (paused > 0) {
        await this.sleep(paused, signal);
        continue;
      }
      const limit = g.limit;
      if (!limit) return NO_GRANT;
      const cost = { requests: 1, tokens };
      if (reserve) {
        // one round trip: the units are ours, due after `wait`
        const wait = await reserve(g.key, cost, limit, MAX_RESERVE_MS);
        if (wait < 0) {
          await this.sleep(MAX_RESERVE_MS, signal);
          continue;
        }
        if (wait > 0) await this.sleep(wait, signal);
        if (signal?.aborted) {
          void Promise.resolve(reserve(g.key, { requests: -1, tokens: -tokens }, limit, 0)).catch(() => {});
          return NO_GRANT;
        }
        // a pause the provider asked for while this row waited still holds it
        for (let p = this.pauses.remainingMs(modelId); p > 0 && !signal?.aborted; p = this.pauses.remainingMs(modelId))
          await this.sleep(p, signal);
        return this.grant(g, limit, tokens);
      }
      const wait = await this.limiter.take(g.key, cost, limit);
      if (wait === 0) return this.grant(g, limit, tokens);
      await this.sleep(wait, signal);
    }
  }

  private grant(g: Gate, limit: RateLimit, tokens: number): Grant {
    if (limit.tokens === undefined) return NO_GRANT;
    return { settle: (actual) => this.correct(g, actual - tokens) };
  }

  private correct(g: Gate, tokens: number) {
    if (!g.limit || g.limit.tokens === undefined || tokens === 0) return;
    void Promise.resolve(this.limiter.settle(g.key, tokens, g.limit)).catch(() => {});
  }

  /** Tokens `model` spent without an `acquire` (a later rung of the cascade answering a row). */
  record(model: Pick<LanguageModel, "provider" | "modelId">, tokens: number): void {
    this.correct(this.gate(model), tokens);
  }

  /** Milliseconds of provider pause left for `modelId`, for progress displays. */
  backoffMs(modelId: string): number {
    return Math.round(this.pauses.remainingMs(modelId));
  }
}
