/**
 * The embedded trace store: a `BallastEvent` listener that buffers events and writes them to one SQLite file
 * in batched transactions off the hot path. It never blocks or fails a call: errors become a warning and a counter.
 */
import { resolve } from "node:path";
import type { BallastEvent } from "../events.js";
import { createSecretRegistry, type SecretRegistry } from "../secrets.js";
import { DEFAULT_TRACE_PATH, openTraceDbForWrite, type TraceDb } from "./open.js";
import type { Redactor } from "../redact.js";
import { type BatchWriter, createBatchWriter } from "./writer.js";

export { DEFAULT_TRACE_PATH, openTraceDb, type TraceDb } from "./open.js";

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
  /** Called once, on the first failure. Default `console.warn`. */
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
const DAY_MS = 86_400_000;

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
  const maxAgeDays = options.retention?.maxAgeDays ?? 30;
  const maxCalls = options.retention?.maxCalls ?? 100_000;

  let buffer: BallastEvent[] = [];
  let db: TraceDb | null = null;
  let writer: BatchWriter | null = null;
  let broken = false; // open failed: drop everything from now on
  let closed = false;
  let warnings = 0;
  let dropped = 0;
  let scheduled = false;
  let lastRetention = 0;
  const callSecrets = options.callSecrets ?? createSecretRegistry();

  const warn = (message: string, error: unknown): void => {
    warnings++;
    if (warnings !== 1) return;
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
      let removed = 0;
      if (maxAgeDays > 0) removed += d.prepare("DELETE FROM calls WHERE started_at < ?").run(Date.now() - maxAgeDays * DAY_MS).changes;
      if (maxCalls > 0)
        removed += d
          .prepare("DELETE FROM calls WHERE id IN (SELECT id FROM calls ORDER BY started_at DESC LIMIT -1 OFFSET ?)")
          .run(maxCalls).changes;
      if (maxAgeDays > 0) d.prepare("DELETE FROM events WHERE call_id = '' AND ts < ?").run(Date.now() - maxAgeDays * DAY_MS);
      if (removed === 0) return;
      d.exec("DELETE FROM attempts WHERE call_pk NOT IN (SELECT pk FROM calls)");
      d.exec("DELETE FROM events WHERE call_id <> '' AND call_id NOT IN (SELECT id FROM calls)");
      d.exec(`DELETE FROM texts WHERE hash NOT IN (SELECT j.value ->> 'ref' FROM calls, json_each(calls.prompt) AS j
        WHERE calls.prompt IS NOT NULL AND j.value ->> 'ref' IS NOT NULL)`);
      writer?.reset(); // texts it wrote may be gone
    })();
  };

  const open = (): boolean => {
    if (db) return true;
    if (broken) return false;
    try {
      db = openTraceDbForWrite(path);
      writer = createBatchWriter(db, { content, redact: options.redact, secretsFor });
      applyRetention();
      return true;
    } catch (error) {
      broken = true;
      dropped += buffer.length;
      buffer = [];
      try {
        db?.close();
      } catch {
        // ignore
      }
      db = null;
      warn("cannot open", error);
      return false;
    }
  };

  const flush = (): void => {
    scheduled = false;
    if (buffer.length === 0 || !open()) return;
    while (buffer.length > 0) {
      const batch = buffer.length <= batchSize ? buffer : buffer.slice(0, batchSize);
      buffer = batch === buffer ? [] : buffer.slice(batchSize);
      try {
        writer!.write(batch);
      } catch (error) {
        dropped += batch.length;
        warn("write failed", error);
      }
    }
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
      dropped++;
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
      store.flush();
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
export { readTallies, rollupUntil, ROLLUP_GRACE_MS, type TallyFilter, type TallyParts } from "./rollup.js";
export { type AttemptTally, type CallTally, type CountTally, HOUR_MS, hourOf, sortedLatencies, type Tallies } from "./tally.js";
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
