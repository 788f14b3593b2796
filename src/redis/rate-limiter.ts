/**
 * The rate limiter shared by every process on one Redis: the same two token buckets as the local limiter
 * (requests and tokens per window), kept in one hash per model and changed by one Lua script, so a take
 * is atomic across processes and timed by Redis's own clock (machines' clocks need not agree). When Redis
 * is down or slow, the process's local limiter serves (fail-open) with one warning per outage.
 */
import type { Redis } from "ioredis";
import { type RateCost, type RateLimit, type RateLimiter, bucketShape, localRateLimiter } from "../cascade/index.js";
import { OutageGate, type OutageListener } from "./outage.js";

/**
 * KEYS[1]: the model's hash. ARGV: request capacity, request rate, request cost, token capacity, token
 * rate, token cost (capacity -1: no limit on that dimension), ttl ms. Returns 0 (taken) or the wait in ms.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h = redis.call('HMGET', KEYS[1], 'r', 'rt', 't', 'tt')
local wait = 0
local levels = {}
for i = 0, 1 do
  local cap = tonumber(ARGV[1 + i * 3])
  if cap >= 0 then
    local rate = tonumber(ARGV[2 + i * 3])
    local cost = tonumber(ARGV[3 + i * 3])
    local level = tonumber(h[1 + i * 2]) or cap
    local at = tonumber(h[2 + i * 2]) or now
    level = math.min(cap, level + (now - at) * rate)
    local need = math.min(cost, cap)
    if level < need then wait = math.max(wait, math.ceil((need - level) / rate)) end
    levels[i + 1] = level - cost
  end
end
if wait > 0 then return wait end
if levels[1] then redis.call('HSET', KEYS[1], 'r', tostring(levels[1]), 'rt', now) end
if levels[2] then redis.call('HSET', KEYS[1], 't', tostring(levels[2]), 'tt', now) end
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return 0`;

/** KEYS[1]: the model's hash. ARGV: token capacity, token rate, correction (actual - estimated), ttl ms. */
const SETTLE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h = redis.call('HMGET', KEYS[1], 't', 'tt')
local cap = tonumber(ARGV[1])
local level = tonumber(h[1]) or cap
local at = tonumber(h[2]) or now
level = math.min(cap, level + (now - at) * tonumber(ARGV[2])) - tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 't', tostring(level), 'tt', now)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 0`;

const TTL_MS = 3_600_000;

export function redisRateLimiter(redis: Redis, prefix: string, listener: OutageListener, timeoutMs: number): RateLimiter {
  const local = localRateLimiter();
  const gate = new OutageGate("rate limits", listener, timeoutMs);
  const keyOf = (model: string) => `${prefix}rate:${model}`;
  const shape = (per: number | undefined, limit: RateLimit) => (per === undefined ? { capacity: -1, rate: 0 } : bucketShape(per, limit));
  return {
    take(model: string, cost: RateCost, limit: RateLimit): Promise<number> {
      const r = shape(limit.requests, limit);
      const t = shape(limit.tokens, limit);
      return gate.run(
        async () =>
          Number(await redis.eval(TAKE, 1, keyOf(model), r.capacity, r.rate, cost.requests, t.capacity, t.rate, cost.tokens, TTL_MS)),
        () => local.take(model, cost, limit),
      );
    },
    async settle(model: string, tokens: number, limit: RateLimit): Promise<void> {
      if (limit.tokens === undefined || tokens === 0) return;
      const t = bucketShape(limit.tokens, limit);
      await gate.run(
        async () => {
          await redis.eval(SETTLE, 1, keyOf(model), t.capacity, t.rate, tokens, TTL_MS);
        },
        () => local.settle(model, tokens, limit),
      );
    },
  };
}
