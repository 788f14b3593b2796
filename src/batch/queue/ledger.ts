/**
 * The answered-rows ledger: a worker writes a row's result to Redis the moment the call returns, before it
 * reports the job done. When the worker dies in between (or its lock lapsed), the worker that takes the row up
 * again finds the result here and reports it without calling the model: a finished row is never billed twice.
 * The enqueuer deletes an entry once the row is in its journal; entries expire after a week regardless.
 */
import type { Redis } from "ioredis";
import type { BatchRowResult } from "../types.js";

const TTL_MS = 7 * 24 * 3_600_000;

export class Ledger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly queue: string,
  ) {}

  private keyOf(jobId: string): string {
    return `${this.prefix}:${this.queue}:row-done:${jobId}`;
  }

  async get(jobId: string): Promise<BatchRowResult | null> {
    const raw = await this.redis.get(this.keyOf(jobId));
    return raw === null ? null : (JSON.parse(raw) as BatchRowResult);
  }

  async put(jobId: string, result: BatchRowResult): Promise<void> {
    await this.redis.set(this.keyOf(jobId), JSON.stringify(result), "PX", TTL_MS);
  }

  async forget(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length > 0) await this.redis.del(...jobIds.map((id) => this.keyOf(id)));
  }
}
