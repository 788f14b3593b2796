/**
 * Turns a batch of `BallastEvent`s into rows, in one transaction: call_start opens a call row, attempt_end
 * adds an attempt, call_end closes the call with totals; the rest land in `events` and bump call counters.
 */
import { createHash } from "node:crypto";
import type { AttemptRecord } from "../../client/types.js";
import type { PromptSection } from "../../providers/types.js";
import type { BallastEvent } from "../events.js";
import type { TraceDb } from "./open.js";
import { type Redactor, redactText } from "../redact.js";

export interface WriterOptions {
  content: "full" | "metadata";
  redact?: Redactor;
  /** The secrets to redact from this call's texts (registered ones plus global ones). */
  secretsFor: (callId: string) => Iterable<string>;
}

export interface BatchWriter {
  /** Writes the events in one transaction; throws (after rolling back) when the database refuses. */
  write(events: readonly BallastEvent[]): void;
  /** Forgets what it believes is already stored (after retention deleted rows). */
  reset(): void;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export function createBatchWriter(db: TraceDb, options: WriterOptions): BatchWriter {
  const full = options.content === "full";
  const text = (callId: string, t: string | null | undefined): string | null =>
    full && t != null ? redactText(t, options.secretsFor(callId), options.redact) : null;

  const ensureCall = db.prepare("INSERT OR IGNORE INTO calls (id, started_at) VALUES (?, ?)");
  const startCall = db.prepare(`INSERT INTO calls (id, task, operation, started_at, models, temperature, frequency_penalty, prompt)
    VALUES (@id, @task, @operation, @started_at, @models, @temperature, @frequency_penalty, @prompt)
    ON CONFLICT(id) DO UPDATE SET task = excluded.task, operation = excluded.operation, started_at = excluded.started_at,
      models = excluded.models, temperature = excluded.temperature, frequency_penalty = excluded.frequency_penalty, prompt = excluded.prompt`);
  const insertAttempt = db.prepare(`INSERT OR REPLACE INTO attempts (id, call_id, seq, model, provider, rung, kind, outcome, started_at,
      latency_ms, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, finish_reason,
      recovery_steps, error_kind, error_status, error_message, issues, response_text)
    VALUES (@id, @call_id, COALESCE(@seq, (SELECT COUNT(*) + 1 FROM attempts WHERE call_id = @call_id)), @model, @provider, @rung, @kind, @outcome,
      @started_at, @latency_ms, @input_tokens, @output_tokens, @cached_input_tokens, @cache_write_tokens, @reasoning_tokens, @cost_usd,
      @finish_reason, @recovery_steps, @error_kind, @error_status, @error_message, @issues, @response_text)`);
  const countAttempt = db.prepare("UPDATE calls SET attempts = attempts + 1, reasked = MAX(reasked, ?) WHERE id = ?");
  const endCall = db.prepare(`UPDATE calls SET ended_at = @ended_at, latency_ms = @latency_ms, task = COALESCE(task, @task), model = @model,
      attempts = MAX(attempts, @attempts),
      source = @source, fallback = MAX(fallback, @fallback), hardcoded = @hardcoded, repaired = @repaired, reasked = MAX(reasked, @reasked),
      input_tokens = @input_tokens, output_tokens = @output_tokens, cached_input_tokens = @cached_input_tokens,
      cache_write_tokens = @cache_write_tokens, reasoning_tokens = @reasoning_tokens, cost_usd = @cost_usd,
      private_context = @private_context, value = @value, prompt_feedback = COALESCE(@prompt_feedback, prompt_feedback), errors = @errors
    WHERE id = @id`);
  const failCall = db.prepare(`UPDATE calls SET ended_at = @ended_at, latency_ms = @latency_ms, task = COALESCE(task, @task), error_kind = @error_kind,
      attempts = MAX(attempts, @attempts),
      reasked = MAX(reasked, @reasked), input_tokens = @input_tokens, output_tokens = @output_tokens, cached_input_tokens = @cached_input_tokens,
      cache_write_tokens = @cache_write_tokens, reasoning_tokens = @reasoning_tokens, cost_usd = @cost_usd, errors = @errors
    WHERE id = @id`);
  // Call totals = the sum over its stored attempts, once they are all there: an attempt that ends after its
  // call (a hedge loser settling after the winner returned) is still counted, with what it consumed.
  const reconcile = db.prepare(`UPDATE calls SET attempts = s.n, input_tokens = s.i, output_tokens = s.o, cached_input_tokens = s.c,
      cache_write_tokens = s.w, reasoning_tokens = s.r, cost_usd = CASE WHEN s.unknown > 0 THEN NULL ELSE s.cost END
    FROM (SELECT COUNT(*) AS n, TOTAL(input_tokens) AS i, TOTAL(output_tokens) AS o, TOTAL(cached_input_tokens) AS c,
            TOTAL(cache_write_tokens) AS w, TOTAL(reasoning_tokens) AS r, TOTAL(cost_usd) AS cost, TOTAL(cost_usd IS NULL) AS unknown
          FROM attempts WHERE call_id = @id) AS s
    WHERE calls.id = @id AND calls.ended_at IS NOT NULL AND s.n >= @min`);
  const insertEvent = db.prepare("INSERT INTO events (call_id, ts, type, model, data) VALUES (?, ?, ?, ?, ?)");
  const bump = {
    hedge: db.prepare("UPDATE calls SET hedges = hedges + 1 WHERE id = ?"),
    reask: db.prepare("UPDATE calls SET reasked = 1 WHERE id = ?"),
    fallback: db.prepare("UPDATE calls SET fallback = 1 WHERE id = ?"),
    leak: db.prepare("UPDATE calls SET leak = ? WHERE id = ?"),
    feedback: db.prepare("UPDATE calls SET prompt_feedback = ? WHERE id = ?"),
  };

  // Attempt ids are "<call id>.<n>": the number is the sequence, no COUNT(*) needed (kept as a fallback).
  const seqOf = (callId: string, id: string): number | null => {
    const n = id.startsWith(callId) && id.charCodeAt(callId.length) === 46 ? Number(id.slice(callId.length + 1)) : Number.NaN;
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  const attemptRow = (callId: string, a: AttemptRecord) => ({
    id: a.id,
    call_id: callId,
    seq: seqOf(callId, a.id),
    model: a.model,
    provider: a.provider,
    rung: a.rung,
    kind: a.kind,
    outcome: a.outcome,
    started_at: a.startedAt,
    latency_ms: a.latencyMs,
    input_tokens: a.usage.inputTokens,
    output_tokens: a.usage.outputTokens,
    cached_input_tokens: a.usage.cachedInputTokens,
    cache_write_tokens: a.usage.cacheWriteTokens,
    reasoning_tokens: a.usage.reasoningTokens,
    cost_usd: a.costUsd,
    finish_reason: a.finishReason ?? null,
    recovery_steps: JSON.stringify(a.recoverySteps ?? []),
    error_kind: a.error?.kind ?? null,
    error_status: a.error?.status ?? null,
    error_message: text(callId, a.error?.message),
    issues: full && a.error?.issues ? text(callId, JSON.stringify(a.error.issues)) : null,
    response_text: text(callId, a.responseText),
  });

  // Calls whose start this writer wrote, with the attempts written since: lets the common path skip the
  // "ensure a call row" and "reconcile totals" statements. Cleared when a batch fails (it rolled back).
  const open = new Map<string, number>();
  const markEnded = (callId: string): void => {
    open.delete(callId);
  };

  // Stable sections: raw text -> its redacted text's hash, written once to `texts`. Bypassed when one of the
  // call's secrets occurs in the section (then it is redacted and stored inline for that call).
  const insertText = db.prepare("INSERT OR IGNORE INTO texts (hash, content) VALUES (?, ?)");
  const stableRefs = new Map<string, string>();
  const writtenRefs = new Set<string>();
  const DEDUPE_MIN = 200;
  const promptJson = (callId: string, sections: readonly PromptSection[]): string | null => {
    if (!full) return null;
    const secrets = [...options.secretsFor(callId)];
    const out = sections.map((section) => {
      const { content, ...rest } = section;
      if (!section.stable || content.length < DEDUPE_MIN || secrets.some((x) => x.length >= 4 && content.includes(x))) {
        return { ...rest, content: text(callId, content) };
      }
      let ref = stableRefs.get(content);
      if (ref === undefined) {
        const redacted = redactText(content, [], options.redact);
        ref = createHash("sha256").update(redacted).digest("base64url").slice(0, 22);
        if (stableRefs.size >= 512) stableRefs.clear();
        stableRefs.set(content, ref);
        if (!writtenRefs.has(ref)) insertText.run(ref, redacted);
      } else if (!writtenRefs.has(ref)) {
        insertText.run(ref, redactText(content, [], options.redact));
      }
      writtenRefs.add(ref);
      return { ...rest, ref };
    });
    return JSON.stringify(out);
  };

  const one = (e: BallastEvent): void => {
    switch (e.type) {
      case "call_start":
        startCall.run({
          id: e.callId,
          task: e.task,
          operation: e.operation,
          started_at: e.ts,
          models: JSON.stringify(e.models),
          temperature: e.sampling.temperature ?? null,
          frequency_penalty: e.sampling.frequencyPenalty ?? null,
          prompt: promptJson(e.callId, e.sections),
        });
        open.set(e.callId, 0);
        if (open.size > 10_000) open.delete(open.keys().next().value as string); // calls that never ended
        return;
      case "attempt_start":
        return; // attempt_end carries the whole record
      case "attempt_end": {
        const written = open.get(e.callId);
        if (written === undefined) ensureCall.run(e.callId, e.attempt.startedAt);
        else open.set(e.callId, written + 1);
        insertAttempt.run(attemptRow(e.callId, e.attempt));
        // The call's attempt count is written once at its end; a late attempt of an ended call (or one whose
        // start this writer never saw) is counted here instead.
        if (written === undefined) {
          countAttempt.run(e.attempt.kind === "reask" ? 1 : 0, e.callId);
          reconcile.run({ id: e.callId, min: 0 });
        }
        return;
      }
      case "call_end": {
        const r = e.result;
        const written = open.get(e.callId);
        if (written === undefined) ensureCall.run(e.callId, e.ts - r.latencyMs);
        const winner = [...r.attempts].reverse().find((a) => (a.outcome === "ok" || a.outcome === "repaired") && a.model === r.model);
        const hardcoded = r.source === "fallback" ? 1 : 0;
        endCall.run({
          id: e.callId,
          ended_at: e.ts,
          latency_ms: r.latencyMs,
          task: e.task,
          attempts: r.attempts.length,
          model: r.model,
          source: r.source,
          fallback: hardcoded || (winner && winner.rung > 0) ? 1 : 0,
          hardcoded,
          repaired: r.source === "repaired" ? 1 : 0,
          reasked: r.attempts.some((a) => a.kind === "reask") ? 1 : 0,
          input_tokens: r.usage.inputTokens,
          output_tokens: r.usage.outputTokens,
          cached_input_tokens: r.usage.cachedInputTokens,
          cache_write_tokens: r.usage.cacheWriteTokens,
          reasoning_tokens: r.usage.reasoningTokens,
          cost_usd: r.costUsd,
          private_context: json(r.privateContext),
          value: full ? text(e.callId, JSON.stringify(r.value) ?? "null") : null,
          prompt_feedback: text(e.callId, r.promptFeedback ?? null),
          errors: JSON.stringify(
            r.errors.filter(Boolean).map((err) => ({ kind: err!.kind, status: err!.status, message: full ? text(e.callId, err!.message) : undefined })),
          ),
        });
        // the result's totals stand when every attempt was written here already and none is still in flight
        if (written !== r.attempts.length) reconcile.run({ id: e.callId, min: r.attempts.length });
        markEnded(e.callId);
        return;
      }
      case "call_error": {
        const written = open.get(e.callId);
        if (written === undefined) ensureCall.run(e.callId, e.ts - e.latencyMs);
        const errors = e.attempts.flatMap((a) => (a.error ? [a.error] : []));
        failCall.run({
          id: e.callId,
          ended_at: e.ts,
          latency_ms: e.latencyMs,
          task: e.task,
          attempts: e.attempts.length,
          error_kind: e.error.kind,
          reasked: e.attempts.some((a) => a.kind === "reask") ? 1 : 0,
          input_tokens: e.usage.inputTokens,
          output_tokens: e.usage.outputTokens,
          cached_input_tokens: e.usage.cachedInputTokens,
          cache_write_tokens: e.usage.cacheWriteTokens,
          reasoning_tokens: e.usage.reasoningTokens,
          cost_usd: e.costUsd,
          errors: JSON.stringify(
            [...errors, e.error].map((err) => ({ kind: err.kind, status: "status" in err ? err.status : undefined, message: full ? text(e.callId, err.message) : undefined })),
          ),
        });
        if (written !== e.attempts.length) reconcile.run({ id: e.callId, min: e.attempts.length });
        markEnded(e.callId);
        return;
      }
      default: {
        const { callId, ts, type, ...rest } = e;
        const model = "model" in rest ? rest.model : null;
        let data: Record<string, unknown> = rest;
        if (e.type === "prompt_feedback") data = { task: e.task, feedback: full ? text(callId, e.feedback) : null };
        if (e.type === "warning") data = { message: full ? text(callId, e.message) : null };
        if (e.type === "fallback") data = { reason: full ? text(callId, e.reason) : null };
        if (callId === "") {
          insertEvent.run(callId, ts, type, model, JSON.stringify(data)); // client-level (breaker): no call row
          return;
        }
        ensureCall.run(callId, ts);
        insertEvent.run(callId, ts, type, model, JSON.stringify(data));
        if (e.type === "hedge") bump.hedge.run(callId);
        else if (e.type === "reask") bump.reask.run(callId);
        else if (e.type === "fallback") bump.fallback.run(callId);
        else if (e.type === "leak") bump.leak.run(e.outcome, callId);
        else if (e.type === "prompt_feedback" && full) bump.feedback.run(data.feedback, callId);
      }
    }
  };

  const batch = db.transaction((events: readonly BallastEvent[]) => {
    for (const e of events) one(e);
  });
  const reset = (): void => {
    open.clear();
    writtenRefs.clear();
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
