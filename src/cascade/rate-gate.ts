/**
 * Holds a call back until its model's rate limit has room (requests and estimated tokens), within the
 * call's deadline, then corrects the token estimate with the usage the provider reported. Over a limiter
 * that reserves (both Ballast's do), a call asks once and sleeps until its units fall due; over one that
 * only takes, it asks again after each wait.
 */
import type { PromptSection, Usage } from "../core/index.js";
import { type Cancel, sleep } from "./cancel.js";
import { type RateLimit, type RateLimiter, checkRateLimits } from "./rate-limiter.js";

/** Never wait for room if the wait would leave less than this before the deadline. */
const HEADROOM_MS = 50;

export class RateGate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: Readonly<Record<string, RateLimit>>,
  ) {
    checkRateLimits(limits);
  }

  /** The limit that applies to a model key: its own, else the `"*"` one. */
  limitOf(key: string): RateLimit | undefined {
    return this.limits[key] ?? this.limits["*"];
  }

  /**
   * Waits until `key` has room for one request of `tokens`: true when taken, false when there is no room
   * before the deadline (or the call was cancelled while waiting).
   */
  async admit(key: string, tokens: number, cancel: Cancel, deadlineAt: number): Promise<boolean> {
    const limit = this.limitOf(key);
    if (!limit) return true;
    if (this.limiter.reserve) return this.reserve({ key, tokens, limit }, cancel, deadlineAt);
    for (;;) {
      if (cancel.aborted) return false;
      const wait = await this.limiter.take(key, { requests: 1, tokens }, limit);
      if (wait === 0) return true;
      if (Date.now() + wait > deadlineAt - HEADROOM_MS) return false;
      if (!(await sleep(wait, cancel))) return false;
    }
  }

  /** One reservation, then one sleep; a call cancelled while it sleeps gives its units back. */
  private async reserve(
    { key, tokens, limit }: { key: string; tokens: number; limit: RateLimit },
    cancel: Cancel,
    deadlineAt: number,
  ): Promise<boolean> {
    if (cancel.aborted) return false;
    const reserve = this.limiter.reserve!.bind(this.limiter);
    const wait = await reserve(key, { requests: 1, tokens }, limit, deadlineAt - HEADROOM_MS - Date.now());
    if (wait < 0) return false;
    if (wait === 0 || (await sleep(wait, cancel))) return true;
    void Promise.resolve(reserve(key, { requests: -1, tokens: -tokens }, limit, 0)).catch(() => {});
    return false;
  }

  /** Corrects the token bucket once the attempt's usage is known. */
  settle(key: string, estimated: number, usage: Usage): void {
    const limit = this.limitOf(key);
    if (!limit || limit.tokens === undefined) return;
    const correction = usage.inputTokens + usage.outputTokens - estimated;
    void Promise.resolve(this.limiter.settle(key, correction, limit)).catch(() => {});
  }
}

/** Input tokens of a prompt, estimated at four characters a token (corrected by `settle`). */
export function estimateTokens(sections: readonly PromptSection[]): number {
  let chars = 0;
  for (const s of sections) chars += s.content.length;
  return Math.ceil(chars / 4);
}
