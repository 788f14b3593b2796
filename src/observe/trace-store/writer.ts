/**
 * Turns a batch of `BallastEvent`s into rows, in one transaction. A call whose call_start is in the batch is
 * gathered in memory and written as one whole row (at its call_end/call_error, or at the end of the batch while it
 * still runs), then its attempts; a call started in an earlier batch is updated in place. The rest land in `events`.
 * Rows are built by rows.ts, bound by name to writer-statements.ts, and addressed by `calls.pk` once known.
 */
import type { BallastEvent } from "../../core/index.js";
import type { Redactor } from "../redact.js";
import type { TraceDb } from "./trace-db.js";
import { createRollups } from "./rollup.js";
import {
  type Attempt,
  type AttemptPlace,
  attemptRow,
  type CallEnd,
  type CallError,
  callEndRow,
  callFailRow,
  type GatheredCall,
  gatherCall,
  gatheredCallRow,
  seqOf,
} from "./rows.js";
import { type CallTexts, createStoredTexts, type StoredTexts } from "./stored-texts.js";
import { prepareWriterStatements, type WriterStatements } from "./writer-statements.js";

export interface WriterOptions {
  content: "full" | "metadata";
  redact?: Redactor;
  /** The secrets to redact from this call's texts (registered ones plus global ones). */
  secretsFor: (callId: string) => readonly string[];
}

export interface BatchWriter {
  /** Writes the events in one transaction; throws (after rolling back) when the database refuses. */
  write(events: readonly BallastEvent[]): void;
  /** Forgets what it believes is already stored (after retention deleted rows). */
  reset(): void;
}

/** A call whose start this writer wrote and whose end it has not: its row, attempts written, highest sequence used. */
interface OpenCall {
  pk: number;
  written: number;
  seq: number;
}

/** Calls that never end are forgotten past this many open ones (oldest first). */
const MAX_OPEN_CALLS = 10_000;

interface Writer {
  sql: WriterStatements;
  texts: StoredTexts;
  secretsFor: (callId: string) => readonly string[];
  /**
   * Open calls: their rows are updated in place, without the "ensure a call row", sequence and "reconcile
   * totals" statements.
   */
  open: Map<string, OpenCall>;
}

const textsOf = (w: Writer, callId: string): CallTexts => w.texts.of(w.secretsFor(callId));

/** The call's row (a bare one if none yet). */
function pkOf(w: Writer, callId: string, ts: number): number {
  w.sql.ensureCall.run({ id: callId, started_at: ts });
  return (w.sql.selectPk.get(callId) as { pk: number }).pk;
}

function reconcileTotals(w: Writer, pk: number, atLeast: number): void {
  w.sql.reconcile.run({ pk, at_least: atLeast });
}

/** Writes a gathered call: one row, whole when it ended in this batch, then its attempts. */
function writeGathered(w: Writer, g: GatheredCall): void {
  const callId = g.start.callId;
  const texts = textsOf(w, callId);
  const row = gatheredCallRow(g, texts);
  const inserted = w.sql.insertCall.run(row);
  let pk: number;
  let seq = 0;
  if (inserted.changes === 1) pk = Number(inserted.lastInsertRowid);
  else {
    w.sql.mergeCall.run(row);
    pk = (w.sql.selectPk.get(callId) as { pk: number }).pk;
    seq = (w.sql.nextSeq.get(pk) as { seq: number }).seq - 1;
  }
  for (const a of g.attempts) {
    const n = seqOf(callId, a.id) ?? seq + 1;
    if (n > seq) seq = n;
    w.sql.insertAttempt.run(attemptRow(a, { callId, pk, seq: n }, texts));
  }
  const end = g.end;
  if (end === null) {
    w.open.set(callId, { pk, written: g.attempts.length, seq });
    if (w.open.size > MAX_OPEN_CALLS) w.open.delete(w.open.keys().next().value as string);
    return;
  }
  // the result's totals stand when every attempt was written here and none is still in flight
  const expected = end.type === "call_end" ? end.result.attempts.length : end.attempts.length;
  if (g.attempts.length !== expected || inserted.changes !== 1) reconcileTotals(w, pk, expected);
}

/** An attempt_end of a call not gathered in this batch: stored by an earlier batch, or ending after its call. */
function writeLateAttempt(w: Writer, callId: string, a: Attempt): void {
  const texts = textsOf(w, callId);
  const stored = w.open.get(callId);
  if (stored !== undefined) {
    const n = seqOf(callId, a.id) ?? stored.seq + 1;
    if (n > stored.seq) stored.seq = n;
    stored.written++;
    w.sql.insertAttempt.run(attemptRow(a, { callId, pk: stored.pk, seq: n }, texts));
    return;
  }
  const pk = pkOf(w, callId, a.startedAt);
  const at: AttemptPlace = { callId, pk, seq: seqOf(callId, a.id) ?? (w.sql.nextSeq.get(pk) as { seq: number }).seq };
  w.sql.insertAttempt.run(attemptRow(a, at, texts));
  // the call's attempt count is written at its end; a late attempt is counted here instead
  w.sql.countAttempt.run({ pk, reasked: a.kind === "reask" ? 1 : 0 });
  reconcileTotals(w, pk, 0);
}

/** call_end or call_error of a call whose row an earlier batch wrote (or none did). */
function endStored(w: Writer, e: CallEnd | CallError): void {
  const callId = e.callId;
  const stored = w.open.get(callId);
  const latency = e.type === "call_end" ? e.result.latencyMs : e.latencyMs;
  const pk = stored?.pk ?? pkOf(w, callId, e.ts - latency);
  const texts = textsOf(w, callId);
  let attempts: number;
  if (e.type === "call_end") {
    w.sql.endCall.run(callEndRow(e, pk, texts));
    attempts = e.result.attempts.length;
  } else {
    w.sql.failCall.run(callFailRow(e, pk, texts));
    attempts = e.attempts.length;
  }
  if (stored?.written !== attempts) reconcileTotals(w, pk, attempts);
  w.open.delete(callId);
}

type OtherEvent = Exclude<BallastEvent, { type: "call_start" | "attempt_start" | "attempt_end" | "call_end" | "call_error" }>;

/** Any other event: a row in `events` (texts redacted), and what it says about its call folded into the call. */
function writeEvent(w: Writer, gathered: Map<string, GatheredCall>, e: OtherEvent): void {
  const { callId, ts, type, ...rest } = e;
  const model = "model" in rest ? rest.model : null;
  let data: Record<string, unknown> = rest;
  if (e.type === "prompt_feedback" || e.type === "warning" || e.type === "fallback") {
    const texts = textsOf(w, callId);
    if (e.type === "prompt_feedback") data = { task: e.task, feedback: texts.text(e.feedback) };
    else if (e.type === "warning") data = { message: texts.text(e.message) };
    else data = { reason: texts.text(e.reason) };
  }
  w.sql.insertEvent.run({ call_id: callId, ts, type, model, data: JSON.stringify(data) });
  if (callId === "") return; // client-level (breaker): no call row
  const g = gathered.get(callId);
  if (g !== undefined && g.end === null) {
    if (e.type === "hedge") g.hedges++;
    else if (e.type === "reask") g.reasked = 1;
    else if (e.type === "fallback") g.fallback = 1;
    else if (e.type === "leak") g.leak = e.outcome;
    else if (e.type === "prompt_feedback" && w.texts.full) g.feedback = data.feedback as string | null;
    return;
  }
  w.sql.ensureCall.run({ id: callId, started_at: ts });
  if (e.type === "hedge") w.sql.bump.hedge.run(callId);
  else if (e.type === "reask") w.sql.bump.reask.run(callId);
  else if (e.type === "fallback") w.sql.bump.fallback.run(callId);
  else if (e.type === "leak") w.sql.bump.leak.run({ id: callId, leak: e.outcome });
  else if (e.type === "prompt_feedback" && w.texts.full) w.sql.bump.feedback.run({ id: callId, feedback: data.feedback });
}

/** The batch's events in order (inside the caller's transaction). */
function writeEvents(w: Writer, events: readonly BallastEvent[]): void {
  const gathered = new Map<string, GatheredCall>();
  for (const e of events) {
    switch (e.type) {
      case "call_start":
        if (e.batch) w.sql.insertBatchRow.run({ call_id: e.callId, batch_id: e.batch.id, row_id: e.batch.row });
        gathered.set(e.callId, gatherCall(e));
        break;
      case "attempt_start":
        break; // attempt_end carries the whole record (the store does not even buffer these)
      case "attempt_end": {
        const g = gathered.get(e.callId);
        if (g !== undefined && g.end === null) g.attempts.push(e.attempt);
        else writeLateAttempt(w, e.callId, e.attempt); // a call stored by an earlier batch, or a hedge loser after its call
        break;
      }
      case "call_end":
      case "call_error": {
        const g = gathered.get(e.callId);
        if (g !== undefined && g.end === null) {
          g.end = e;
          writeGathered(w, g);
        } else endStored(w, e);
        break;
      }
      default:
        writeEvent(w, gathered, e);
    }
  }
  // calls still running at the end of the batch: their row as it stands, so a crash loses nothing written
  for (const g of gathered.values()) if (g.end === null) writeGathered(w, g);
}

export function createBatchWriter(db: TraceDb, options: WriterOptions): BatchWriter {
  const sql = prepareWriterStatements(db);
  const texts = createStoredTexts({
    content: options.content,
    redact: options.redact,
    saveText: (hash, content) => void sql.insertText.run({ hash, content }),
  });
  const w: Writer = { sql, texts, secretsFor: options.secretsFor, open: new Map() };
  const rollups = createRollups(db);
  const batch = db.transaction((events: readonly BallastEvent[]) => {
    writeEvents(w, events);
    rollups.afterBatch(events);
  });
  const reset = (): void => {
    w.open.clear();
    texts.reset();
    rollups.reset();
  };
  return {
    write(events) {
      try {
        batch(events);
      } catch (error) {
        reset(); // the rows it remembers writing may have rolled back with the batch
        throw error;
      }
    },
    reset,
  };
}
