/**
 * A `BreakerStore` in Redis, so every process shares one circuit breaker per model. The state machine stays
 * the pure functions of `breaker-state` (one source of truth for both stores): a change is read, computed
 * here, and written back by a compare-and-set script that only succeeds if nobody wrote in between, so
 * a half-open trial is admitted once across all processes. Chosen over a Lua port of the state machine,
 * which would be a second copy of it to keep in step. When Redis is down or slow, a local in-memory store
 * serves (fail-open) and one warning is reported per outage.
 */
import type { Redis } from "ioredis";
import {
  type Admission,
  type BreakerVerdict,
  type BreakerPolicy,
  type BreakerRecord,
  type BreakerStore,
  type Settlement,
  admitCall,
  emptyRecord,
  memoryBreakerStore,
  settleCall,
} from "../cascade/index.js";
import { OutageGate, type OutageListener } from "./outage.js";

/** Sets KEYS[1] to ARGV[2] if it still holds ARGV[1] ("" = absent): {1} done, or {0, current value}. */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1]) or ''
if current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return {1}
end
return {0, current}`;

/** A record untouched this long is dropped by Redis (a model not used for a day starts closed). */
const RECORD_TTL_MS = 24 * 3_600_000;
/** Writers racing on one key retry this often before the operation counts as a Redis failure. */
const MAX_ROUNDS = 16;

type Cas = (key: string, expected: string, next: string, ttlMs: number) => Promise<[0 | 1, string?]>;

export function redisBreakerStore(redis: Redis, prefix: string, listener: OutageListener, timeoutMs: number): BreakerStore {
  const local = memoryBreakerStore();
  const gate = new OutageGate("circuit breakers", listener, timeoutMs);
  const cas: Cas = (key, expected, next, ttlMs) => redis.eval(COMPARE_AND_SET, 1, key, expected, next, ttlMs) as Promise<[0 | 1, string?]>;
  const keyOf = (model: string) => `${prefix}breaker:${model}`;

  /** Applies `change` to the stored record atomically; returns what `change` returned for the record it wrote. */
  async function update<R extends { record: BreakerRecord }>(model: string, change: (r: BreakerRecord) => R): Promise<R> {
    const key = keyOf(model);
    let raw: string | null = await redis.get(key);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const result = change(raw ? (JSON.parse(raw) as BreakerRecord) : emptyRecord());
      const next = JSON.stringify(result.record);
      if (next === raw) return result; // nothing changed (a closed breaker admitting a call): no write
      const [done, current] = await cas(key, raw ?? "", next, RECORD_TTL_MS);
      if (done === 1) return result;
      raw = current || null;
    }
    throw new Error(`breaker record ${key} kept changing under ${MAX_ROUNDS} writers`);
  }

  return {
    acquire(model: string, now: number, policy: BreakerPolicy, trialId: string): Promise<Admission> {
      return gate.run(
        () => update(model, (r) => admitCall(r, now, policy, trialId)),
        () => local.acquire(model, now, policy, trialId) as Admission,
      );
    },
    record(model: string, verdict: BreakerVerdict): Promise<Settlement> {
      return gate.run(
        () => update(model, (r) => settleCall(r, verdict)),
        () => local.record(model, verdict) as Settlement,
      );
    },
    get(model: string, now: number): Promise<BreakerRecord | undefined> {
      return gate.run(
        async () => {
          const raw = await redis.get(keyOf(model));
          return raw ? (JSON.parse(raw) as BreakerRecord) : undefined;
        },
        () => local.get(model, now) as BreakerRecord | undefined,
      );
    },
  };
}
