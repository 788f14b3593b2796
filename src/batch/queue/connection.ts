/**
 * The Redis side of a distributed batch: BullMQ and ioredis (optional peers, loaded here on first use), the
 * connection settings a `redis://` URL stands for, and the URL as it may be shown (password left out).
 */
import type { RedisOptions } from "bullmq";
import { ConfigurationError } from "../../errors/index.js";

export type Bullmq = typeof import("bullmq");
export type IORedisClass = typeof import("ioredis").Redis;

/** Loads BullMQ, or names the packages to install. */
export async function loadBullmq(): Promise<Bullmq> {
  try {
    return await import("bullmq");
  } catch (cause) {
    throw new ConfigurationError(
      "distributed batches need the optional peer dependencies bullmq and ioredis: npm install bullmq ioredis",
      [],
      {
        cause,
      },
    );
  }
}

/** Opens a connection for short commands: no offline queue, so a command sent while Redis is away fails at once. */
export function failFastClient(IORedis: IORedisClass, options: RedisOptions): import("ioredis").Redis {
  const client = new IORedis(failFast(options) as import("ioredis").RedisOptions);
  client.on("error", () => {}); // outages are reported once, by the run's RedisLink
  return client;
}

const firstReady = new WeakMap<object, Promise<void>>();

/** Resolves once `client` has connected (commands sent before that would fail at once). */
export function whenReady(client: import("ioredis").Redis): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  let ready = firstReady.get(client);
  if (!ready) {
    ready = new Promise((resolve) => client.once("ready", () => resolve()));
    firstReady.set(client, ready);
  }
  return ready;
}

export async function loadIORedis(): Promise<IORedisClass> {
  try {
    return (await import("ioredis")).Redis;
  } catch (cause) {
    throw new ConfigurationError("distributed batches need the optional peer dependency ioredis: npm install bullmq ioredis", [], {
      cause,
    });
  }
}

/** The URL without its password, for messages. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable Redis URL)";
  }
}

/**
 * ioredis settings for `url` (redis://[user:password@]host[:port][/db], rediss:// for TLS). Reconnects on its
 * own at most every second; `connectTimeout` bounds each attempt.
 */
export function redisOptions(url: string, connectTimeoutMs: number): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigurationError(`queue: "${url}" is not a URL (expected redis://host:port)`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new ConfigurationError(`queue: ${shownUrl(url)} is not a redis:// or rediss:// URL`);
  const db = u.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) throw new ConfigurationError(`queue: the database in ${shownUrl(url)} must be a number`);
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
    connectTimeout: connectTimeoutMs,
    retryStrategy: (times: number) => Math.min(100 * times, 1_000),
  };
}

/** A connection for short commands: no offline queue, so a command sent while Redis is away fails at once. */
export function failFast(options: RedisOptions): RedisOptions {
  // commands sent in the same tick (a page of jobs read or removed) go out as one pipeline
  return { ...options, enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true };
}
