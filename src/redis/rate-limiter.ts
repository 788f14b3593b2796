/**
 * The rate limiter shared by every process on one Redis: the same two token buckets as the local limiter
 * (requests and tokens per window), kept in one hash per model and changed by one Lua script, so a take
 * is atomic across processes and timed by Redis's own clock (machines' clocks need not agree). `reserve`
 * (what the gates use) is one round trip per call however long the call waits: the script takes the units
 * and answers when they fall due; `take` is the same script refusing any wait. When Redis is down or slow,
 * the process's local limiter serves (fail-open) with one warning per outage.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { type RateCost, type RateLimit, type RateLimiter, bucketShape, localRateLimiter } from "../cascade/index.js";
import { OutageGate, type OutageListener } from "./outage.js";

/**
 * KEYS[1]: the model's hash. ARGV: request capacity, request rate, request cost, token capacity, token
 * rate, token cost (capacity -1: no limit on that dimension), ttl ms, most wait ms. Takes the cost when its
 * units fall due within the most wait (the buckets may go into debt: the next caller's units fall due after
 * these) and returns that wait (0: at once); otherwise takes nothing and returns -1 - the wait. A cost with no
 * positive part gives units back and never waits. `take` is a most wait of 0.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h = redis.call('HMGET', KEYS[1], 'r', 'rt', 't', 'tt')
local giving = tonumber(ARGV[3]) <= 0 and tonumber(ARGV[6]) <= 0
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
    if not giving and level < need then wait = math.max(wait, math.ceil((need - level) / rate)) end
    levels[i + 1] = level - cost
  end
end
if wait > tonumber(ARGV[8]) then return -1 - wait end
if levels[1] then redis.call('HSET', KEYS[1], 'r', tostring(levels[1]), 'rt', now) end
if levels[2] then redis.call('HSET', KEYS[1], 't', tostring(levels[2]), 'tt', now) end
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return wait`;

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
/** The script's SHA-1: sent by EVALSHA (the script body only once, when Redis does not know it yet). */
const RESERVE_SHA = createHash("sha1").update(RESERVE).digest("hex");

export function redisRateLimiter(redis: Redis, prefix: string, listener: OutageListener, timeoutMs: number): RateLimiter {
  const local = localRateLimiter();
  const gate = new OutageGate("rate limits", listener, timeoutMs);
  const keyOf = (model: string) => `${prefix}rate:${model}`;
  const shape = (per: number | undefined, limit: RateLimit) => (per === undefined ? { capacity: -1, rate: 0 } : bucketShape(per, limit));
  let loaded = false;
  /** One round trip: the wait, taken when at most `maxWaitMs`; -1 - the wait when nothing was taken. */
  const reserve = async (model: string, cost: RateCost, limit: RateLimit, maxWaitMs: number): Promise<number> => {
    const r = shape(limit.requests, limit);
    const t = shape(limit.tokens, limit);
    const args = [r.capacity, r.rate, cost.requests, t.capacity, t.rate, cost.tokens, TTL_MS, Math.floor(maxWaitMs)];
    // EVAL the first time (and after a Redis restart forgot the script), EVALSHA after: one round trip each
    if (!loaded) {
      const wait = Number(await redis.eval(RESERVE, 1, keyOf(model), ...args));
      loaded = true;
      return wait;
    }
    return Number(
      await redis.evalsha(RESERVE_SHA, 1, keyOf(model), ...args).catch((e: Error) => {
        if (!e.message.startsWith("NOSCRIPT")) throw e;
        return redis.eval(RESERVE, 1, keyOf(model), ...args);
      }),
    );
  };
  return {
    take(model: string, cost: RateCost, limit: RateLimit): Promise<number> {
      return gate.run(
        async () => {
          const wait = await reserve(model, cost, limit, 0);
          return wait < 0 ? -1 - wait : 0;
        },
        () => local.take(model, cost, limit),
      );
    },
    reserve(model: string, cost: RateCost, limit: RateLimit, maxWaitMs: number): Promise<number> {
      return gate.run(
        async () => Math.max(-1, await reserve(model, cost, limit, maxWaitMs)),
        () => local.reserve(model, cost, limit, maxWaitMs),
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
