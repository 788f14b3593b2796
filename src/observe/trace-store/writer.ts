/**
 * Turns a batch of `BallastEvent`s into rows, in one transaction. A call whose call_start is in the batch is
 * gathered in memory and written as one whole row (at its call_end/call_error, or at the end of the batch while it
 * still runs), then its attempts; a call started in an earlier batch is updated in place. The rest land in `events`.
 * Rows are addressed by `calls.pk` (insertion order), not by the random call id (see schema.ts).
 */
import { createHash } from "node:crypto";
import type { AttemptRecord, PromptSection, Usage, BallastEvent } from "../../core/index.js";
import type { TraceDb } from "./trace-db.js";
import { type Redactor, redactText } from "../redact.js";
import { createRollups } from "./rollup.js";

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

type CallStart = Extract<BallastEvent, { type: "call_start" }>;
type CallEnd = Extract<BallastEvent, { type: "call_end" }>;
type CallError = Extract<BallastEvent, { type: "call_error" }>;

/** A call whose call_start is in the current batch: everything the batch says about it, written once. */
interface Gathered {
  start: CallStart;
  attempts: AttemptRecord[];
  hedges: number;
  reasked: number;
  fallback: number;
  leak: string | null;
  feedback: string | null;
  end: CallEnd | CallError | null;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const EMPTY = "[]";

/** The calls columns, in the order `insertCall` binds them. */
const CALL_COLUMNS = `id, task, operation, started_at, ended_at, latency_ms, models, model, source, error_kind, fallback, hardcoded, repaired,
  reasked, hedges, attempts, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, temperature,
  frequency_penalty, leak, private_context, prompt, value, prompt_feedback, errors`;
const ATTEMPT_COLUMNS = `id, call_id, call_pk, seq, model, provider, rung, kind, outcome, started_at, latency_ms, input_tokens, output_tokens,
  cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, finish_reason, recovery_steps, error_kind, error_status, error_message,
  issues, response_text`;
const placeholders = (columns: string): string =>
  columns
    .split(",")
    .map(() => "?")
    .join(", ");

export function createBatchWriter(db: TraceDb, options: WriterOptions): BatchWriter {
  const full = options.content === "full";
  const hook = options.redact;
  // The last text redacted, and for which secrets (a registry only appends to a call's list): a call's value is
  // often its response text, verbatim.
  let lastIn = "";
  let lastSecrets: readonly string[] = [];
  let lastCount = 0;
  let lastOut = "";
  /** Redacted text (full mode), else null. */
  const text = (secrets: readonly string[], t: string | null | undefined): string | null => {
    if (!full || t == null) return null;
    if (t === lastIn && secrets === lastSecrets && secrets.length === lastCount) return lastOut;
    lastOut = redactText(t, secrets, hook);
    lastIn = t;
    lastSecrets = secrets;
    lastCount = secrets.length;
    return lastOut;
  };

  // A whole call row; when one exists already (an event of the call reached an earlier batch before its
  // call_start did, and made a bare row), `mergeCall` fills it instead: the start's fields win, counters add up.
  const insertCall = db.prepare(`INSERT OR IGNORE INTO calls (${CALL_COLUMNS}) VALUES (${placeholders(CALL_COLUMNS)})`);
  const mergeCall = db.prepare(`UPDATE calls SET task = ?, operation = ?, started_at = ?, ended_at = COALESCE(?, ended_at),
      latency_ms = COALESCE(?, latency_ms), models = ?, model = COALESCE(?, model), source = COALESCE(?, source),
      error_kind = COALESCE(?, error_kind), fallback = MAX(fallback, ?), hardcoded = ?, repaired = ?, reasked = MAX(reasked, ?),
      hedges = hedges + ?, attempts = attempts + ?, input_tokens = ?, output_tokens = ?, cached_input_tokens = ?,
      cache_write_tokens = ?, reasoning_tokens = ?, cost_usd = ?, temperature = ?, frequency_penalty = ?, leak = COALESCE(?, leak),
      private_context = ?, prompt = ?, value = ?, prompt_feedback = COALESCE(?, prompt_feedback), errors = ?
    WHERE id = ?`);
  const insertBatchRow = db.prepare("INSERT OR IGNORE INTO batch_rows (call_id, batch_id, row_id) VALUES (?, ?, ?)");
  const ensureCall = db.prepare("INSERT OR IGNORE INTO calls (id, started_at) VALUES (?, ?)");
  const selectPk = db.prepare("SELECT pk FROM calls WHERE id = ?");
  /** The call's row (a bare one if none yet). */
  const pkOf = (callId: string, ts: number): number => {
    ensureCall.run(callId, ts);
    return (selectPk.get(callId) as { pk: number }).pk;
  };
  const insertAttempt = db.prepare(`INSERT OR REPLACE INTO attempts (${ATTEMPT_COLUMNS}) VALUES (${placeholders(ATTEMPT_COLUMNS)})`);
  const nextSeq = db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM attempts WHERE call_pk = ?");
  const countAttempt = db.prepare("UPDATE calls SET attempts = attempts + 1, reasked = MAX(reasked, ?) WHERE pk = ?");
  const endCall =
    db.prepare(`UPDATE calls SET ended_at = ?, latency_ms = ?, task = COALESCE(task, ?), model = ?, attempts = MAX(attempts, ?),
      source = ?, fallback = MAX(fallback, ?), hardcoded = ?, repaired = ?, reasked = MAX(reasked, ?), input_tokens = ?, output_tokens = ?,
      cached_input_tokens = ?, cache_write_tokens = ?, reasoning_tokens = ?, cost_usd = ?, private_context = ?, value = ?,
      prompt_feedback = COALESCE(?, prompt_feedback), errors = ?
    WHERE pk = ?`);
  const failCall =
    db.prepare(`UPDATE calls SET ended_at = ?, latency_ms = ?, task = COALESCE(task, ?), error_kind = ?, attempts = MAX(attempts, ?),
      reasked = MAX(reasked, ?), input_tokens = ?, output_tokens = ?, cached_input_tokens = ?, cache_write_tokens = ?, reasoning_tokens = ?,
      cost_usd = ?, errors = ?
    WHERE pk = ?`);
  // Call totals = the sum over its stored attempts, once they are all there: an attempt that ends after its
  // call (a hedge loser settling after the winner returned) is still counted, with what it consumed.
  const reconcile = db.prepare(`UPDATE calls SET attempts = s.n, input_tokens = s.i, output_tokens = s.o, cached_input_tokens = s.c,
      cache_write_tokens = s.w, reasoning_tokens = s.r, cost_usd = CASE WHEN s.unknown > 0 THEN NULL ELSE s.cost END
    FROM (SELECT COUNT(*) AS n, TOTAL(input_tokens) AS i, TOTAL(output_tokens) AS o, TOTAL(cached_input_tokens) AS c,
            TOTAL(cache_write_tokens) AS w, TOTAL(reasoning_tokens) AS r, TOTAL(cost_usd) AS cost, TOTAL(cost_usd IS NULL) AS unknown
          FROM attempts WHERE call_pk = ?) AS s
    WHERE calls.pk = ? AND calls.ended_at IS NOT NULL AND s.n >= ?`);
  // (better-sqlite3 does not bind numbered ?NNN parameters: a value used twice is passed twice)
  const reconcileTotals = (pk: number, atLeast: number): void => void reconcile.run(pk, pk, atLeast);
  const insertEvent = db.prepare("INSERT INTO events (call_id, ts, type, model, data) VALUES (?, ?, ?, ?, ?)");
  const bump = {
    hedge: db.prepare("UPDATE calls SET hedges = hedges + 1 WHERE id = ?"),
    reask: db.prepare("UPDATE calls SET reasked = 1 WHERE id = ?"),
    fallback: db.prepare("UPDATE calls SET fallback = 1 WHERE id = ?"),
    leak: db.prepare("UPDATE calls SET leak = ? WHERE id = ?"),
    feedback: db.prepare("UPDATE calls SET prompt_feedback = ? WHERE id = ?"),
  };

  // Attempt ids are "<call id>.<n>": the number is the sequence.
  const seqOf = (callId: string, id: string): number | null => {
    const n = id.startsWith(callId) && id.charCodeAt(callId.length) === 46 ? Number(id.slice(callId.length + 1)) : Number.NaN;
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  const writeAttempt = (pk: number, callId: string, secrets: readonly string[], a: AttemptRecord, seq: number): void => {
    const u = a.usage;
    const err = a.error;
    insertAttempt.run(
      a.id,
      callId,
      pk,
      seq,
      a.model,
      a.provider,
      a.rung,
      a.kind,
      a.outcome,
      a.startedAt,
      a.latencyMs,
      u.inputTokens,
      u.outputTokens,
      u.cachedInputTokens,
      u.cacheWriteTokens,
      u.reasoningTokens,
      a.costUsd,
      a.finishReason ?? null,
      a.recoverySteps && a.recoverySteps.length > 0 ? JSON.stringify(a.recoverySteps) : EMPTY,
      err?.kind ?? null,
      err?.status ?? null,
      text(secrets, err?.message),
      full && err?.issues ? text(secrets, JSON.stringify(err.issues)) : null,
      text(secrets, a.responseText),
    );
  };

  /**
   * Calls whose start this writer wrote and whose end it has not: their row, the attempts written so far and the
   * highest sequence number used. Their rows are updated in place, without the "ensure a call row", sequence and
   * "reconcile totals" statements.
   */
  const open = new Map<string, { pk: number; written: number; seq: number }>();

  // Stable sections: raw text -> its redacted text's hash, written once to `texts`. Bypassed when one of the
  // call's secrets occurs in the section (then it is redacted and stored inline for that call).
  const insertText = db.prepare("INSERT OR IGNORE INTO texts (hash, content) VALUES (?, ?)");
  const stableRefs = new Map<string, string>();
  const writtenRefs = new Set<string>();
  const DEDUPE_MIN = 200;
  /** The prompt as stored: JSON [{name, role, stable, content | ref}], built as a string (no object per section). */
  const promptJson = (secrets: readonly string[], sections: readonly PromptSection[]): string | null => {
    if (!full) return null;
    let out = "[";
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i]!;
      const content = section.content;
      out += `${i === 0 ? "" : ","}{"name":${JSON.stringify(section.name)},"role":${JSON.stringify(section.role)},"stable":${section.stable === true}`;
      if (!section.stable || content.length < DEDUPE_MIN || secrets.some((x) => x.length >= 4 && content.includes(x))) {
        out += `,"content":${JSON.stringify(text(secrets, content))}}`;
        continue;
      }
      let ref = stableRefs.get(content);
      if (ref === undefined) {
        const redacted = redactText(content, [], hook);
        ref = createHash("sha256").update(redacted).digest("base64url").slice(0, 22);
        if (stableRefs.size >= 512) stableRefs.clear();
        stableRefs.set(content, ref);
        if (!writtenRefs.has(ref)) insertText.run(ref, redacted);
      } else if (!writtenRefs.has(ref)) {
        insertText.run(ref, redactText(content, [], hook));
      }
      writtenRefs.add(ref);
      out += `,"ref":"${ref}"}`;
    }
    return `${out}]`;
  };

  const errorsJson = (
    secrets: readonly string[],
    errors: ReadonlyArray<{ kind: string; status?: number; message: string } | undefined>,
  ): string => {
    if (errors.length === 0) return EMPTY;
    const out = [];
    for (const err of errors)
      if (err) out.push({ kind: err.kind, status: err.status, message: full ? text(secrets, err.message) : undefined });
    return JSON.stringify(out);
  };
  // A client's calls list the same cascade: its JSON is kept for the next call.
  let lastModels: readonly string[] = [];
  let lastModelsJson = "[]";
  const modelsJson = (models: readonly string[]): string => {
    if (models.length !== lastModels.length || models.some((m, i) => m !== lastModels[i])) {
      lastModels = models.slice();
      lastModelsJson = JSON.stringify(models);
    }
    return lastModelsJson;
  };
  const reaskedIn = (attempts: readonly AttemptRecord[]): number => (attempts.some((a) => a.kind === "reask") ? 1 : 0);
  /** A failed call's errors: every attempt's, then the call's own. */
  const errorsOfFailure = (secrets: readonly string[], e: CallError): string => {
    const failures: Array<{ kind: string; status?: number; message: string }> = [];
    for (const a of e.attempts) if (a.error) failures.push(a.error);
    failures.push(e.error);
    return errorsJson(secrets, failures);
  };
  /** The columns a call_end decides, whichever path writes them. */
  const endColumns = (secrets: readonly string[], r: CallEnd["result"]) => {
    const hardcoded = r.source === "fallback" ? 1 : 0;
    return {
      fallback: hardcoded === 1 || winnerRung(r.attempts, r.model) > 0 ? 1 : 0,
      hardcoded,
      repaired: r.source === "repaired" ? 1 : 0,
      privateContext: json(r.privateContext),
      value: full ? text(secrets, JSON.stringify(r.value) ?? "null") : null,
      feedback: text(secrets, r.promptFeedback ?? null),
      errors: errorsJson(secrets, r.errors),
    };
  };

  /** Writes a gathered call: one row, whole when it ended in this batch, then its attempts. */
  const writeGathered = (g: Gathered): void => {
    const s = g.start;
    const callId = s.callId;
    const secrets = options.secretsFor(callId);
    const prompt = promptJson(secrets, s.sections); // before the value, which the response text often repeats
    const end = g.end;
    const reasked = g.reasked || reaskedIn(g.attempts);
    let endedAt: number | null = null;
    let latency: number | null = null;
    let model: string | null = null;
    let source: string | null = null;
    let errorKind: string | null = null;
    let fallback = g.fallback;
    let hardcoded = 0;
    let repaired = 0;
    let attempts = g.attempts.length;
    let usage: Usage | null = null;
    let cost: number | null = null;
    let privateContext: string | null = null;
    let value: string | null = null;
    let feedback = g.feedback;
    let errors: string | null = null;
    if (end !== null) {
      endedAt = end.ts;
      if (end.type === "call_end") {
        const r = end.result;
        const c = endColumns(secrets, r);
        latency = r.latencyMs;
        model = r.model;
        source = r.source;
        hardcoded = c.hardcoded;
        fallback = Math.max(fallback, c.fallback);
        repaired = c.repaired;
        attempts = Math.max(attempts, r.attempts.length);
        usage = r.usage;
        cost = r.costUsd;
        privateContext = c.privateContext;
        value = c.value;
        feedback = c.feedback ?? feedback;
        errors = c.errors;
      } else {
        latency = end.latencyMs;
        errorKind = end.error.kind;
        attempts = Math.max(attempts, end.attempts.length);
        usage = end.usage;
        cost = end.costUsd;
        errors = errorsOfFailure(secrets, end);
      }
    }
    const reaskedAll = end === null ? reasked : Math.max(reasked, reaskedIn(end.type === "call_end" ? end.result.attempts : end.attempts));
    const row = [
      callId,
      s.task,
      s.operation,
      s.ts,
      endedAt,
      latency,
      modelsJson(s.models),
      model,
      source,
      errorKind,
      fallback,
      hardcoded,
      repaired,
      reaskedAll,
      g.hedges,
      attempts,
      usage?.inputTokens ?? 0,
      usage?.outputTokens ?? 0,
      usage?.cachedInputTokens ?? 0,
      usage?.cacheWriteTokens ?? 0,
      usage?.reasoningTokens ?? 0,
      usage ? cost : null,
      s.sampling.temperature ?? null,
      s.sampling.frequencyPenalty ?? null,
      g.leak,
      privateContext,
      prompt,
      value,
      feedback,
      errors,
    ];
    const inserted = insertCall.run(...row);
    let pk: number;
    let seq = 0;
    if (inserted.changes === 1) pk = Number(inserted.lastInsertRowid);
    else {
      mergeCall.run(...row.slice(1), callId);
      pk = (selectPk.get(callId) as { pk: number }).pk;
      seq = (nextSeq.get(pk) as { seq: number }).seq - 1;
    }
    for (const a of g.attempts) {
      const n = seqOf(callId, a.id) ?? seq + 1;
      if (n > seq) seq = n;
      writeAttempt(pk, callId, secrets, a, n);
    }
    if (end === null) {
      open.set(callId, { pk, written: g.attempts.length, seq });
      if (open.size > 10_000) open.delete(open.keys().next().value as string); // calls that never ended
      return;
    }
    // the result's totals stand when every attempt was written here and none is still in flight
    const expected = end.type === "call_end" ? end.result.attempts.length : end.attempts.length;
    if (g.attempts.length !== expected || inserted.changes !== 1) reconcileTotals(pk, expected);
  };

  /** The rung of the attempt that produced the value (the last valid one of the answering model); -1 if none. */
  const winnerRung = (attempts: readonly AttemptRecord[], model: string): number => {
    for (let i = attempts.length - 1; i >= 0; i--) {
      const a = attempts[i]!;
      if ((a.outcome === "ok" || a.outcome === "repaired") && a.model === model) return a.rung;
    }
    return -1;
  };

  /** call_end of a call whose row an earlier batch wrote (or none did). */
  const endStored = (e: CallEnd): void => {
    const r = e.result;
    const callId = e.callId;
    const stored = open.get(callId);
    const pk = stored?.pk ?? pkOf(callId, e.ts - r.latencyMs);
    const c = endColumns(options.secretsFor(callId), r);
    const u = r.usage;
    endCall.run(
      e.ts,
      r.latencyMs,
      e.task,
      r.model,
      r.attempts.length,
      r.source,
      c.fallback,
      c.hardcoded,
      c.repaired,
      reaskedIn(r.attempts),
      u.inputTokens,
      u.outputTokens,
      u.cachedInputTokens,
      u.cacheWriteTokens,
      u.reasoningTokens,
      r.costUsd,
      c.privateContext,
      c.value,
      c.feedback,
      c.errors,
      pk,
    );
    if (stored?.written !== r.attempts.length) reconcileTotals(pk, r.attempts.length);
    open.delete(callId);
  };

  /** call_error of a call whose row an earlier batch wrote (or none did). */
  const failStored = (e: CallError): void => {
    const callId = e.callId;
    const stored = open.get(callId);
    const pk = stored?.pk ?? pkOf(callId, e.ts - e.latencyMs);
    const u = e.usage;
    failCall.run(
      e.ts,
      e.latencyMs,
      e.task,
      e.error.kind,
      e.attempts.length,
      reaskedIn(e.attempts),
      u.inputTokens,
      u.outputTokens,
      u.cachedInputTokens,
      u.cacheWriteTokens,
      u.reasoningTokens,
      e.costUsd,
      errorsOfFailure(options.secretsFor(callId), e),
      pk,
    );
    if (stored?.written !== e.attempts.length) reconcileTotals(pk, e.attempts.length);
    open.delete(callId);
  };

  const batch = db.transaction((events: readonly BallastEvent[]) => {
    const gathered = new Map<string, Gathered>();
    for (const e of events) {
      const callId = e.callId;
      switch (e.type) {
        case "call_start":
          if (e.batch) insertBatchRow.run(callId, e.batch.id, e.batch.row);
          gathered.set(callId, { start: e, attempts: [], hedges: 0, reasked: 0, fallback: 0, leak: null, feedback: null, end: null });
          break;
        case "attempt_start":
          break; // attempt_end carries the whole record (the store does not even buffer these)
        case "attempt_end": {
          const g = gathered.get(callId);
          if (g !== undefined && g.end === null) {
            g.attempts.push(e.attempt);
            break;
          }
          // an attempt of a call stored by an earlier batch, or one that ends after its call (a hedge loser)
          const stored = open.get(callId);
          if (stored !== undefined) {
            const n = seqOf(callId, e.attempt.id) ?? stored.seq + 1;
            if (n > stored.seq) stored.seq = n;
            stored.written++;
            writeAttempt(stored.pk, callId, options.secretsFor(callId), e.attempt, n);
            break;
          }
          const pk = pkOf(callId, e.attempt.startedAt);
          writeAttempt(
            pk,
            callId,
            options.secretsFor(callId),
            e.attempt,
            seqOf(callId, e.attempt.id) ?? (nextSeq.get(pk) as { seq: number }).seq,
          );
          // the call's attempt count is written at its end; a late attempt is counted here instead
          countAttempt.run(e.attempt.kind === "reask" ? 1 : 0, pk);
          reconcileTotals(pk, 0);
          break;
        }
        case "call_end":
        case "call_error": {
          const g = gathered.get(callId);
          if (g !== undefined && g.end === null) {
            g.end = e;
            writeGathered(g);
          } else if (e.type === "call_end") endStored(e);
          else failStored(e);
          break;
        }
        default: {
          const { callId: _callId, ts, type, ...rest } = e;
          const model = "model" in rest ? rest.model : null;
          let data: Record<string, unknown> = rest;
          if (e.type === "prompt_feedback") data = { task: e.task, feedback: full ? text(options.secretsFor(callId), e.feedback) : null };
          else if (e.type === "warning") data = { message: full ? text(options.secretsFor(callId), e.message) : null };
          else if (e.type === "fallback") data = { reason: full ? text(options.secretsFor(callId), e.reason) : null };
          insertEvent.run(callId, ts, type, model, JSON.stringify(data));
          if (callId === "") break; // client-level (breaker): no call row
          const g = gathered.get(callId);
          if (g !== undefined && g.end === null) {
            if (e.type === "hedge") g.hedges++;
            else if (e.type === "reask") g.reasked = 1;
            else if (e.type === "fallback") g.fallback = 1;
            else if (e.type === "leak") g.leak = e.outcome;
            else if (e.type === "prompt_feedback" && full) g.feedback = data.feedback as string | null;
            break;
          }
          ensureCall.run(callId, ts);
          if (e.type === "hedge") bump.hedge.run(callId);
          else if (e.type === "reask") bump.reask.run(callId);
          else if (e.type === "fallback") bump.fallback.run(callId);
          else if (e.type === "leak") bump.leak.run(e.outcome, callId);
          else if (e.type === "prompt_feedback" && full) bump.feedback.run(data.feedback, callId);
        }
      }
    }
    // calls still running at the end of the batch: their row as it stands, so a crash loses nothing written
    for (const g of gathered.values()) if (g.end === null) writeGathered(g);
    rollups.afterBatch(events);
  });
  const rollups = createRollups(db);
  const reset = (): void => {
    open.clear();
    writtenRefs.clear();
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
