/**
 * `ballast/redis`: circuit breakers and rate limits shared by every process on one Redis (ioredis is an
 * optional peer). A dead primary opens its breaker for the whole fleet after a few failures, and one
 * half-open trial runs across all processes; a rate limit is one budget for all replicas. Redis trouble is
 * not an outage: while it is down or slow (each command bounded by `commandTimeoutMs`), every process goes
 * on with its own local breakers and limits, and the client reports a `warning` event.
 *
 * @example
 * import { createBallast } from "ballast";
 * import { redis } from "ballast/redis";
 *
 * const shared = await redis("redis://127.0.0.1:6379");
 * const llm = createBallast({
 *   models: [openai("gpt-4.1"), openai("gpt-4.1-mini")],
 *   shared,
 *   rateLimits: { "openai:gpt-4.1": { requests: 500, tokens: 300_000 } }, // per minute, fleet-wide
 * });
 * // ... on shutdown:
 * await shared.close();
 */
import type { Redis } from "ioredis";
import type { SharedState, SharedStateOutage } from "../cascade/index.js";
import { ConfigurationError } from "../errors/index.js";
import { redisBreakerStore } from "./breaker-store.js";
import { type RedisConnectionOptions, connectRedis } from "./connect.js";
import type { OutageListener } from "./outage.js";
import { redisRateLimiter } from "./rate-limiter.js";

export type { RedisConnectionOptions } from "./connect.js";
export type { SharedState, SharedStateOutage } from "../cascade/index.js";

/**
 * Connects to Redis (a `redis://` URL) and returns the shared state to pass as `createBallast({ shared })`.
 * Never throws for an unreachable Redis: the state starts on local fallbacks and moves to Redis once it answers.
 */
export async function redis(url: string, options: RedisConnectionOptions = {}): Promise<SharedState> {
  const client: Redis = await connectRedis(url);
  const prefix = options.prefix ?? "ballast:";
  const timeoutMs = options.commandTimeoutMs ?? 250;
  if (!(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 2 ** 31 - 1))
    throw new ConfigurationError(`redis: commandTimeoutMs must be a whole number of ms from 1 to 2^31 - 1, got ${String(timeoutMs)}`);
  const listeners = new Set<(o: SharedStateOutage) => void>();
  const tell = (o: SharedStateOutage) => {
    for (const l of listeners) l(o);
  };
  const outage: OutageListener = {
    down: (what, error) => tell({ what, down: true, reason: error instanceof Error ? error.message : String(error) }),
    up: (what) => tell({ what, down: false }),
  };
  return {
    breakerStore: redisBreakerStore(client, prefix, outage, timeoutMs),
    rateLimiter: redisRateLimiter(client, prefix, outage, timeoutMs),
    onOutage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
