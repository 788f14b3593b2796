/**
 * The Redis connection behind `ballast/redis`: ioredis (an optional peer, loaded here only) with a bounded
 * time for every command and no offline queue, so a Redis that is down or slow answers with an error at
 * once instead of holding a call.
 */
import type { Redis, RedisOptions } from "ioredis";
import { ConfigurationError } from "../errors/index.js";

export interface RedisConnectionOptions {
  /** Longest wait for one Redis operation before the caller goes on without it. @default 250 */
  commandTimeoutMs?: number;
  /** Prefix of every key Ballast writes. @default "ballast:" */
  prefix?: string;
}

/** Opens a connection to `url` (redis://host:port/db). Reconnects by itself after an outage. */
export async function connectRedis(url: string): Promise<Redis> {
  let IORedis: typeof import("ioredis").Redis;
  try {
    IORedis = (await import("ioredis")).Redis;
  } catch (cause) {
    throw new ConfigurationError("ballast/redis needs the optional peer dependency `ioredis`: npm install ioredis", [], { cause });
  }
  // No ioredis commandTimeout: the stores bound each command themselves (see `bounded` in outage.ts).
  const settings: RedisOptions = {
    connectTimeout: 2_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    // Keep trying in the background (at most every 2 s); commands fail fast meanwhile.
    retryStrategy: (times) => Math.min(100 * times, 2_000),
  };
  const client = new IORedis(url, settings);
  // ioredis reports connection trouble as 'error' events; the stores report outages as warnings instead.
  client.on("error", () => {});
  await client.connect().catch(() => {});
  return client;
}
