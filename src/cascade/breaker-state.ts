/**
 * The breaker's state machine as two functions over one model's plain, JSON-serialisable record: `admitCall`
 * (may this call run? takes the single half-open trial) and `settleCall` (count its outcome, maybe move).
 * A store applies them atomically: the in-memory store in one synchronous step, a Redis store in a
 * WATCH/MULTI transaction or a Lua port, so several processes share one breaker per model.
 */

export type BreakerState = "closed" | "open" | "half_open";

/** What an admitted call ended as. `neutral` (aborted: a lost hedge, the deadline, the caller) is not counted. */
export type BreakerOutcome = "success" | "failure" | "neutral";

/** The resolved options, passed with every store operation so one store can serve differently tuned clients. */
export interface BreakerPolicy {
  /** Failure share in the window that opens the breaker (rate mode). */
  threshold: number;
  windowMs: number;
  /** Calls needed in the window before the rate may open it. */
  minimumCalls: number;
  cooldownMs: number;
  /** Open after this many failures in a row instead of on a rate; 0 for rate mode. */
  consecutiveFailures: number;
  /** A half-open trial not settled within this long (its process died) may be taken over by another caller. */
  trialLeaseMs: number;
}

/** One window bucket: counts of calls settled in [start, start + windowMs / BUCKETS). */
export interface BreakerBucket {
  start: number;
  successes: number;
  failures: number;
}

/** The state of one model key, as a store keeps it. */
export interface BreakerRecord {
  state: BreakerState;
  /** Rate mode's samples, oldest first, at most BUCKETS + 1 of them. */
  buckets: BreakerBucket[];
  /** Failures in a row while closed. */
  consecutive: number;
  /** When it last opened (ms epoch); null unless open or half-open. */
  openedAt: number | null;
  /** The half-open trial in flight: only its holder's outcome closes or reopens the breaker. */
  trial: { id: string; startedAt: number } | null;
  /** Lifetime counts of calls with a verdict (neutral excluded), for `health()`. */
  calls: number;
  failures: number;
}

export interface Admission {
  admitted: boolean;
  /** Set when this call is the half-open trial: pass it back to `record`. */
  trial?: string;
  from: BreakerState;
  to: BreakerState;
  record: BreakerRecord;
}

export interface Settlement {
  from: BreakerState;
  to: BreakerState;
  record: BreakerRecord;
}

const BUCKETS = 10;

export function emptyRecord(): BreakerRecord {
  return { state: "closed", buckets: [], consecutive: 0, openedAt: null, trial: null, calls: 0, failures: 0 };
}

/**
 * A deep copy of a record. Written out field by field: structuredClone cost ~2 µs per call here, and the
 * in-memory store copies on every acquire and record (measured: the breaker was a third of Ballast's own work).
 */
export function copyRecord(r: BreakerRecord): BreakerRecord {
  return {
    state: r.state,
    buckets: r.buckets.map((b) => ({ start: b.start, successes: b.successes, failures: b.failures })),
    consecutive: r.consecutive,
    openedAt: r.openedAt,
    trial: r.trial && { id: r.trial.id, startedAt: r.trial.startedAt },
    calls: r.calls,
    failures: r.failures,
  };
}

/** Whether a call now would be refused without running. */
export function refuses(r: BreakerRecord, now: number, policy: BreakerPolicy): boolean {
  if (r.state === "open") return now - (r.openedAt ?? 0) < policy.cooldownMs;
  if (r.state === "half_open") return r.trial !== null && now - r.trial.startedAt < policy.trialLeaseMs;
  return false;
}

/**
 * Closed: admitted. Open: refused until the cooldown has passed, then the first caller takes the half-open
 * trial. Half-open: refused while another caller's trial runs (its lease not expired). Mutates `r`.
 */
export function admitCall(r: BreakerRecord, now: number, policy: BreakerPolicy, trialId: string): Admission {
  const from = r.state;
  if (refuses(r, now, policy)) return { admitted: false, from, to: from, record: r };
  if (r.state === "closed") return { admitted: true, from, to: from, record: r };
  r.state = "half_open";
  r.trial = { id: trialId, startedAt: now };
  return { admitted: true, trial: trialId, from, to: "half_open", record: r };
}

/** An admitted call's outcome, when it settled, under which policy, and the trial id if it held the trial. */
export interface BreakerVerdict {
  outcome: BreakerOutcome;
  now: number;
  policy: BreakerPolicy;
  /** The id `admitCall`/`acquire` handed out, if this call was the half-open trial. */
  trial?: string | undefined;
}

/**
 * Counts an admitted call's outcome. The trial holder's success closes the breaker (fresh window), its
 * failure reopens it; a neutral trial just frees the slot for the next caller. A call admitted while closed
 * that settles after the breaker opened only adds to the totals. Mutates `r`.
 */
export function settleCall(r: BreakerRecord, { outcome, now, policy, trial }: BreakerVerdict): Settlement {
  const from = r.state;
  const isTrial = trial !== undefined && r.state === "half_open" && r.trial?.id === trial;
  if (outcome === "neutral") {
    if (isTrial) r.trial = null;
    return { from, to: r.state, record: r };
  }
  r.calls++;
  if (outcome === "failure") r.failures++;
  if (isTrial) {
    if (outcome === "success") close(r);
    else open(r, now);
  } else if (r.state === "closed") {
    sample(r, outcome, now, policy);
    r.consecutive = outcome === "failure" ? r.consecutive + 1 : 0;
    if (outcome === "failure" && tripped(r, policy)) open(r, now);
  }
  return { from, to: r.state, record: r };
}

function tripped(r: BreakerRecord, policy: BreakerPolicy): boolean {
  if (policy.consecutiveFailures > 0) return r.consecutive >= policy.consecutiveFailures;
  let calls = 0;
  let failures = 0;
  for (const b of r.buckets) {
    calls += b.successes + b.failures;
    failures += b.failures;
  }
  return calls >= policy.minimumCalls && failures >= policy.threshold * calls;
}

function sample(r: BreakerRecord, outcome: "success" | "failure", now: number, policy: BreakerPolicy): void {
  const size = Math.max(1, Math.ceil(policy.windowMs / BUCKETS));
  const start = Math.floor(now / size) * size;
  // Buckets are oldest first: drop the expired ones from the front (no new array on the common path).
  while (r.buckets.length > 0 && r.buckets[0]!.start + size <= now - policy.windowMs) r.buckets.shift();
  let last = r.buckets[r.buckets.length - 1];
  if (!last || last.start !== start) r.buckets.push((last = { start, successes: 0, failures: 0 }));
  if (outcome === "success") last.successes++;
  else last.failures++;
}

function open(r: BreakerRecord, now: number): void {
  r.state = "open";
  r.openedAt = now;
  r.trial = null;
  r.buckets = [];
  r.consecutive = 0;
}

function close(r: BreakerRecord): void {
  r.state = "closed";
  r.openedAt = null;
  r.trial = null;
  r.buckets = [];
  r.consecutive = 0;
}
