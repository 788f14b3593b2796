/** Builders for synthetic event sequences (real `BallastEvent` types) shared by the observe tests. */
import type { AttemptRecord } from "../../src/core/results.js";
import type { BallastEvent } from "../../src/core/events.js";
import type { Usage } from "../../src/core/language-model.js";

export const usage = (u: Partial<Usage> = {}): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  ...u,
});

export function attempt(a: Partial<AttemptRecord> & Pick<AttemptRecord, "id">): AttemptRecord {
  return {
    model: "gpt-4o-mini",
    provider: "openai",
    rung: 0,
    kind: "initial",
    outcome: "ok",
    startedAt: 1_700_000_000_000,
    latencyMs: 100,
    usage: usage({ inputTokens: 100, outputTokens: 20 }),
    costUsd: 0.001,
    recoverySteps: [],
    finishReason: "stop",
    ...a,
  };
}

export interface CallSpec {
  callId: string;
  ts?: number;
  task?: string;
  models?: string[];
  attempts?: AttemptRecord[];
  prompt?: string;
  source?: "model" | "repaired" | "fallback";
  model?: string;
  extra?: BallastEvent[];
  end?: boolean;
}

/** One call's events: call_start, attempt_start/attempt_end per attempt, extras, call_end. */
export function callEvents(spec: CallSpec): BallastEvent[] {
  const ts = spec.ts ?? 1_700_000_000_000;
  const callId = spec.callId;
  const task = spec.task ?? "extract";
  const attempts = spec.attempts ?? [attempt({ id: `${callId}-a1`, startedAt: ts + 1, responseText: '{"ok":true}' })];
  const models = spec.models ?? [attempts[0]?.model ?? "gpt-4o-mini"];
  const events: BallastEvent[] = [
    {
      type: "call_start",
      callId,
      ts,
      task,
      models,
      operation: "generate",
      sampling: { temperature: 0.2, frequencyPenalty: 0.1 },
      sections: [
        { name: "instructions", role: "system", content: "Extract the fields.", stable: true },
        { name: "input", role: "user", content: spec.prompt ?? "Invoice 42 for ACME", stable: false },
      ],
    },
  ];
  for (const a of attempts) {
    events.push({
      type: "attempt_start",
      callId,
      ts: a.startedAt,
      attemptId: a.id,
      model: a.model,
      provider: a.provider,
      rung: a.rung,
      kind: a.kind,
    });
    if (a.recoverySteps.length)
      events.push({ type: "recovery", callId, ts: a.startedAt + a.latencyMs, attemptId: a.id, steps: a.recoverySteps });
    events.push({ type: "attempt_end", callId, ts: a.startedAt + a.latencyMs, attempt: a });
  }
  events.push(...(spec.extra ?? []));
  if (spec.end === false) return events;
  const total = usage();
  let cost: number | null = 0;
  for (const a of attempts) {
    total.inputTokens += a.usage.inputTokens;
    total.outputTokens += a.usage.outputTokens;
    total.cachedInputTokens += a.usage.cachedInputTokens;
    total.cacheWriteTokens += a.usage.cacheWriteTokens;
    total.reasoningTokens += a.usage.reasoningTokens;
    cost = cost === null || a.costUsd === null ? null : cost + a.costUsd;
  }
  const last = attempts[attempts.length - 1];
  const endTs = last ? last.startedAt + last.latencyMs + 1 : ts + 1;
  events.push({
    type: "call_end",
    callId,
    ts: endTs,
    task,
    result: {
      value: { ok: true },
      source: spec.source ?? "model",
      rung: (spec.source ?? "model") === "fallback" ? null : (last?.rung ?? 0),
      model: spec.model ?? last?.model ?? "hardcoded_fallback",
      attempts,
      usage: total,
      costUsd: cost,
      latencyMs: endTs - ts,
      callId,
      errors: attempts.filter((a) => a.error).map((a) => a.error),
    },
  });
  return events;
}
