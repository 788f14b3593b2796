/**
 * Where circuit breakers keep their state: the `BreakerStore` interface (one record per model key, changed
 * only by atomic operations) and the in-memory default. A shared store (Redis) lets processes share breakers.
 */
import {
  type Admission,
  type BreakerPolicy,
  type BreakerRecord,
  type BreakerVerdict,
  type Settlement,
  admitCall,
  copyRecord,
  emptyRecord,
  settleCall,
} from "./breaker-state.js";

/**
 * Breaker state per model key. Each operation must be atomic for its key (a Redis store: a WATCH/MULTI
 * transaction or a Lua script applying `admitCall`/`settleCall`), and may answer synchronously or with a promise.
 */
export interface BreakerStore {
  /** May a call run now? Takes the half-open trial when the cooldown is over and no other trial runs. */
  acquire(key: string, now: number, policy: BreakerPolicy, trialId: string): Admission | Promise<Admission>;
  /** Counts an admitted call's outcome; `verdict.trial` is the id `acquire` handed out, if this call was the trial. */
  record(key: string, verdict: BreakerVerdict): Settlement | Promise<Settlement>;
  /** The key's record, or undefined if it was never used. */
  get(key: string, now: number): BreakerRecord | undefined | Promise<BreakerRecord | undefined>;
}

/** The default store: one process's memory. Pass one instance to several clients to share breakers between them. */
export function memoryBreakerStore(): BreakerStore {
  const records = new Map<string, BreakerRecord>();
  const of = (key: string) => {
    let r = records.get(key);
    if (!r) records.set(key, (r = emptyRecord()));
    return r;
  };
  // Synchronous, hence atomic; callers get copies so they cannot change the stored record.
  return {
    acquire(key, now, policy, trialId) {
      const a = admitCall(of(key), now, policy, trialId);
      a.record = copyRecord(a.record);
      return a;
    },
    record(key, verdict) {
      const s = settleCall(of(key), verdict);
      s.record = copyRecord(s.record);
      return s;
    },
    get(key) {
      const r = records.get(key);
      return r && copyRecord(r);
    },
  };
}
