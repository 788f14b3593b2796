/**
 * The embedded trace store: a `BallastEvent` listener that buffers events and writes them to one SQLite file
 * in batched transactions off the hot path. It never fails a call. A database busy under another connection's
 * write lock is retried with backoff on a timer (the batch stays buffered); only what still cannot be written
 * after `busyRetryMs`, or what overflows the buffer, is dropped: counted, warned, and recorded in the store
 * (`trace_dropped` events, shown by `ballast stats`).
 */
import { resolve } from "node:path";
import type { BallastEvent } from "../../core/index.js";
import { createSecretRegistry, type SecretRegistry } from "../secrets.js";
import { DEFAULT_TRACE_PATH, openTraceDbForWrite } from "./open.js";
import type { TraceDb } from "./trace-db.js";
import type { Redactor } from "../redact.js";
import { createBusyRetry } from "./busy-retry.js";
import { pruneTraces } from "./retention.js";
import { type BatchWriter, createBatchWriter } from "./writer.js";

export { DEFAULT_TRACE_PATH, openTraceDb, tracePathProblem } from "./open.js";
export type { TraceDb } from "./trace-db.js";
export { openMergedTraceDb } from "./merge.js";

export interface TraceStoreOptions {
  /** SQLite file. Default `.ballast/traces.db` (the directory is created). */
  path?: string;
  /** "full" (default) keeps prompts, responses and values (redacted); "metadata" keeps no prompt or response text. */
  content?: "full" | "metadata";
  /** Your own redaction, run on every stored text after credentials and secrets are removed. */
  redact?: Redactor;
  /** Strings always redacted from every call (e.g. private-context secrets known up front). */
  secrets?: Iterable<string> | (() => Iterable<string>);
  /** Per-call secrets shared with other sinks (see `createSecretRegistry`); `redactSecret` adds to it. */
  callSecrets?: SecretRegistry;
  /** Defaults `{ maxAgeDays: 30, maxCalls: 100_000 }`; enforced when the store opens and every 10 minutes. */
  retention?: { maxAgeDays?: number; maxCalls?: number };
  /** Flush interval in ms (default 250). The timer is unref()ed: it never keeps the process alive. */
  flushMs?: number;
  /** Flush as soon as this many events are buffered, and write at most this many per transaction (default 1024). */
  batchSize?: number;
  /** Events kept in memory at most while the database is unreachable (default 10_000); beyond, dropped and counted. */
  maxBuffer?: number;
  /** How long a batch refused by a busy database is retried (with backoff) before it is dropped. Default 30,000 ms. */
  busyRetryMs?: number;
  /** Called on the first failure, and again on the first drop. Default `console.warn`. */
  onWarning?: (message: string, error: unknown) => void;
}

export interface TraceStore {
  /** Subscribe this to the client's events. Cheap: it only buffers. Never throws. */
  readonly listener: (event: BallastEvent) => void;
  /** Registers a secret (e.g. the call's private context) redacted from every text stored for that call. */
  redactSecret(callId: string, secret: string): void;
  /** Writes the buffered events now (synchronously). Never throws. */
  flush(): void;
  /** Flushes, stops the timer and closes the file. Never throws. Later events are dropped. */
  close(): void;
  /** Failures so far (open and write errors). */
  readonly warnings: number;
  /** Events lost to failures or a full buffer. */
  readonly dropped: number;
  /** True once `close()` ran. */
  readonly closed: boolean;
  readonly path: string;
}

const RETENTION_EVERY_MS = 10 * 60_000;

/** Stores still open: flushed synchronously when the process exits normally. */
const openStores = new Set<TraceStore>();
let exitHookInstalled = false;
function flushAllOnExit(): void {
  for (const s of openStores) s.close();
}

export function createTraceStore(options: TraceStoreOptions = {}): TraceStore {
  const path = options.path === ":memory:" ? ":memory:" : resolve(options.path ?? DEFAULT_TRACE_PATH);
  const content = options.content ?? "full";
  const flushMs = options.flushMs ?? 250;
  const batchSize = Math.max(1, options.batchSize ?? 1024);
  const maxBuffer = options.maxBuffer ?? 10_000;
  const limits = { maxAgeDays: options.retention?.maxAgeDays ?? 30, maxCalls: options.retention?.maxCalls ?? 100_000 };

  let buffer: BallastEvent[] = [];
  let db: TraceDb | null = null;
  let writer: BatchWriter | null = null;
  let broken = false; // open failed: drop everything from now on
  let closed = false;
  let warnings = 0;
  let dropped = 0;
  let scheduled = false;
  let lastRetention = 0;
  const busy = createBusyRetry(options.busyRetryMs ?? 30_000, () => store.flush());
  let unrecordedDrops = 0; // dropped events not yet written down as a trace_dropped row
  let dropWarned = false;
  const callSecrets = options.callSecrets ?? createSecretRegistry();

  const warn = (message: string, error: unknown, always = false): void => {
    warnings++;
    if (warnings !== 1 && !always) return;
    const text = `ballast: trace store ${path}: ${message} (${error instanceof Error ? error.message : String(error)}); tracing continues degraded, failures are counted`;
    try {
      if (options.onWarning) options.onWarning(text, error);
      else console.warn(text);
    } catch {
      // ignore
    }
  };

  // A fixed list of global secrets is copied once; a function is asked again for every call written.
  const fixedSecrets = typeof options.secrets === "function" ? null : [...(options.secrets ?? [])];
  const globalSecrets = (): readonly string[] => fixedSecrets ?? [...(options.secrets as () => Iterable<string>)()];
  const secretsFor = (callId: string): readonly string[] => {
    const own = callSecrets.get(callId);
    const global = globalSecrets();
    return own.length === 0 ? global : global.length === 0 ? own : [...own, ...global];
  };

  const applyRetention = (): void => {
    if (!db) return;
    lastRetention = Date.now();
    const d = db;
    d.transaction(() => {
      if (pruneTraces(d, limits, lastRetention) > 0) writer?.reset(); // texts it wrote may be gone
    })();
  };

  const drop = (count: number, why: string, error: unknown): void => {
    dropped += count;
    unrecordedDrops += count;
    warn(why, error);
    if (!dropWarned) {
      dropWarned = true;
      warn(`${count} event(s) dropped; \`ballast stats\` reports the total`, error, true);
    }
  };

  /** Writes down the drops so far as one `trace_dropped` row, once the database takes writes again. */
  const recordDrops = (): void => {
    if (unrecordedDrops === 0 || !db) return;
    try {
      db.prepare("INSERT INTO events (call_id, ts, type, model, data) VALUES ('', ?, 'trace_dropped', NULL, ?)").run(
        Date.now(),
        JSON.stringify({ events: unrecordedDrops }),
      );
      unrecordedDrops = 0;
    } catch {
      // still refused: kept for the next successful flush
    }
  };

  /** A call's secrets are released once its end is written (or dropped): nothing of it is written later. */
  const releaseEnded = (batch: readonly BallastEvent[]): void => {
    if (callSecrets.size === 0) return;
    for (const e of batch) if (e.type === "call_end" || e.type === "call_error") callSecrets.release(e.callId);
  };

  const open = (final = false): boolean => {
    if (db) return true;
    if (broken) return false;
    try {
      db = openTraceDbForWrite(path);
      writer = createBatchWriter(db, { content, redact: options.redact, secretsFor });
      applyRetention();
      return true;
    } catch (error) {
      try {
        db?.close();
      } catch {
        // ignore
      }
      db = null;
      if (busy.mayRetry(error, final)) {
        warn("database busy, retrying", error);
        busy.later();
        return false;
      }
      broken = true;
      dropped += buffer.length;
      buffer = [];
      warn("cannot open", error);
      return false;
    }
  };

  /** `final`: the store is closing (or the process exiting): no later retry, what is refused is dropped. */
  const flush = (final = false): void => {
    scheduled = false;
    if (busy.waiting && !final) return; // waiting out a busy database: the retry timer flushes
    if ((buffer.length === 0 && unrecordedDrops === 0) || !open(final)) return;
    while (buffer.length > 0) {
      const batch = buffer.length <= batchSize ? buffer : buffer.slice(0, batchSize);
      buffer = batch === buffer ? [] : buffer.slice(batchSize);
      try {
        writer!.write(batch);
        busy.settled();
        releaseEnded(batch);
      } catch (error) {
        if (busy.mayRetry(error, final)) {
          buffer = buffer.length === 0 ? batch : batch.concat(buffer); // kept, in order, for the retry
          warn("database busy, retrying", error);
          busy.later();
          return;
        }
        busy.settled();
        drop(batch.length, "write failed", error);
        releaseEnded(batch);
      }
    }
    recordDrops();
    if (Date.now() - lastRetention > RETENTION_EVERY_MS) {
      try {
        applyRetention();
      } catch (error) {
        warn("retention failed", error);
      }
    }
  };

  const timer = setInterval(() => {
    if (buffer.length > 0) store.flush();
  }, flushMs);
  timer.unref();

  const listener = (event: BallastEvent): void => {
    if (closed || broken || event.type === "attempt_start") return; // attempt_end carries the whole attempt
    if (buffer.length >= maxBuffer) {
      drop(1, "buffer full", new Error(`more than ${maxBuffer} events waiting to be written`));
      return;
    }
    if (event.type === "call_start") {
      const secret = (event as { secret?: unknown }).secret;
      if (typeof secret === "string") callSecrets.add(event.callId, secret);
    }
    buffer.push(event);
    if (buffer.length >= batchSize && !scheduled) {
      scheduled = true;
      setImmediate(() => store.flush()).unref();
    }
  };

  const store: TraceStore = {
    listener,
    path,
    redactSecret(callId, secret) {
      callSecrets.add(callId, secret);
    },
    flush() {
      try {
        flush();
      } catch (error) {
        warn("flush failed", error);
      }
    },
    close() {
      if (closed) return;
      busy.cancel();
      try {
        flush(true);
      } catch (error) {
        warn("flush failed", error);
      }
      closed = true;
      clearInterval(timer);
      openStores.delete(store);
      try {
        db?.close();
      } catch (error) {
        warn("close failed", error);
      }
      db = null;
    },
    get warnings() {
      return warnings;
    },
    get dropped() {
      return dropped;
    },
    get closed() {
      return closed;
    },
  };
  openStores.add(store);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", flushAllOnExit);
  }
  return store;
}

// Read side for the CLI and the dashboard.
export { readTallies, type TallyFilter, type TallyRead } from "./read-tallies.js";
export { ROLLUP_GRACE_MS, rollupDaysUntil, rollupUntil } from "./rollup.js";
export type { TallyParts } from "./rollup-tables.js";
export {
  type AttemptTally,
  type CallTally,
  type CountTally,
  DAY_MS,
  dayOf,
  HOUR_MS,
  hourOf,
  sortedLatencies,
  type Tallies,
} from "./tally.js";
export {
  type CallListItem,
  type CallTrace,
  getCall,
  listCalls,
  parseSince,
  percentile,
  promptFeedback,
  type Stats,
  stats,
  type TaskFeedback,
} from "./queries.js";
