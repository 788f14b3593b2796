/**
 * OpenTelemetry sink: maps a call's events to spans per the GenAI semantic conventions: one
 * `invoke_agent {task}` span per call (a task is a component that may ask several models) and a
 * `chat {model}` CLIENT child per attempt. The listener's `attemptScope` runs an attempt's provider request
 * with its span active, so the SDK's own spans (fetch/HTTP instrumentation) become its children. The only
 * module importing `@opentelemetry/api` (optional peer).
 *
 * @example
 * import { otelListener } from "ballast/otel";
 * const llm = createBallast({ models, onEvent: otelListener() }); // spans go to your registered tracer provider
 */
import { type Attributes, type Context, context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { AttemptRecord, BallastEvent, EventListener } from "../core/index.js";
import { type Redactor, redactText } from "./redact.js";
import type { SecretRegistry } from "./secrets.js";

export interface OtelListenerOptions {
  /** Default: `trace.getTracer("ballast")` from the globally registered provider. */
  tracer?: Tracer;
  /**
   * Record prompts and responses as `gen_ai.input.messages` / `gen_ai.output.messages` (default false). Captured
   * text, like every status message and event text, is redacted as the trace store's is: API keys always, the
   * call's secrets, then your `redact`.
   */
  captureContent?: boolean;
  redact?: Redactor;
  /** Per-call secrets (a call's private context) to redact from captured content. */
  callSecrets?: SecretRegistry;
  /** Calls whose end never arrives are closed as "incomplete" beyond this many open calls (default 1000). */
  maxOpenCalls?: number;
}

interface OpenCall {
  span: Span;
  ctx: Context;
  sampling: { temperature?: number; frequencyPenalty?: number };
  attempts: Map<string, Span>;
}

const usageAttributes = (u: AttemptRecord["usage"]): Attributes => ({
  "gen_ai.usage.input_tokens": u.inputTokens,
  "gen_ai.usage.output_tokens": u.outputTokens,
  "gen_ai.usage.cache_read.input_tokens": u.cachedInputTokens,
  "gen_ai.usage.cache_creation.input_tokens": u.cacheWriteTokens,
  "gen_ai.usage.reasoning.output_tokens": u.reasoningTokens,
});

const samplingAttributes = (s: OpenCall["sampling"]): Attributes => {
  const a: Attributes = {};
  if (s.temperature !== undefined) a["gen_ai.request.temperature"] = s.temperature;
  if (s.frequencyPenalty !== undefined) a["gen_ai.request.frequency_penalty"] = s.frequencyPenalty;
  return a;
};

const costAttributes = (usd: number | null): Attributes =>
  usd === null ? { "ballast.cost_known": false } : { "ballast.cost_usd": usd, "ballast.cost_known": true };

const answered = (a: AttemptRecord): boolean => a.outcome === "ok" || a.outcome === "repaired";

/** A listener that can also run an attempt's provider request inside that attempt's span context. */
export interface OtelEventListener extends EventListener {
  /** Runs `fn` with the attempt's span active (the SDK's spans become its children); just runs it otherwise. */
  attemptScope<R>(callId: string, attemptId: string, fn: () => R): R;
}

/** Returns an `onEvent` listener that records spans. Never throws into the call. */
export function otelListener(options: OtelListenerOptions = {}): OtelEventListener {
  const tracer = options.tracer ?? trace.getTracer("ballast");
  const capture = options.captureContent ?? false;
  const maxOpen = options.maxOpenCalls ?? 1000;
  const calls = new Map<string, OpenCall>();
  const clean = (callId: string, text: string): string => redactText(text, options.callSecrets?.get(callId) ?? [], options.redact);

  const startAttempt = (
    call: OpenCall,
    id: string,
    a: { model: string; provider: string; rung: number; kind: string },
    at: number,
  ): Span => {
    const span = tracer.startSpan(
      `chat ${a.model}`,
      {
        kind: SpanKind.CLIENT,
        startTime: at,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": a.provider,
          "gen_ai.request.model": a.model,
          "gen_ai.output.type": "json",
          ...samplingAttributes(a.provider === "anthropic" ? { temperature: call.sampling.temperature } : call.sampling),
          "ballast.attempt.id": id,
          "ballast.attempt.kind": a.kind,
          "ballast.attempt.rung": a.rung,
        },
      },
      call.ctx,
    );
    call.attempts.set(id, span);
    call.span.setAttribute("gen_ai.provider.name", a.provider);
    return span;
  };

  const endAttempt = (call: OpenCall, callId: string, a: AttemptRecord): void => {
    const span = call.attempts.get(a.id) ?? startAttempt(call, a.id, a, a.startedAt);
    call.attempts.delete(a.id);
    span.setAttributes({
      ...usageAttributes(a.usage),
      ...costAttributes(a.costUsd),
      "ballast.attempt.outcome": a.outcome,
      "ballast.recovery.steps": a.recoverySteps,
    });
    if (a.estimated) span.setAttribute("ballast.usage.estimated", true); // counted locally: the attempt was cut short
    if (a.finishReason) span.setAttribute("gen_ai.response.finish_reasons", [a.finishReason]);
    if (a.responseModel) span.setAttribute("gen_ai.response.model", a.responseModel);
    if (a.responseId) span.setAttribute("gen_ai.response.id", a.responseId);
    if (capture && a.responseText !== undefined) {
      span.setAttribute(
        "gen_ai.output.messages",
        JSON.stringify([
          { role: "assistant", parts: [{ type: "text", content: clean(callId, a.responseText) }], finish_reason: a.finishReason ?? "stop" },
        ]),
      );
    }
    if (!answered(a)) {
      span.setAttribute("error.type", a.error?.kind ?? a.outcome);
      if (a.error?.status !== undefined) span.setAttribute("http.response.status_code", a.error.status);
      span.setStatus({ code: SpanStatusCode.ERROR, message: a.error ? clean(callId, a.error.message) : a.outcome });
    }
    span.end(a.startedAt + a.latencyMs);
  };

  const closeIncomplete = (callId: string, at: number): void => {
    const call = calls.get(callId);
    if (!call) return;
    calls.delete(callId);
    for (const s of call.attempts.values()) s.end(at);
    call.span.setAttribute("error.type", "incomplete");
    call.span.setStatus({ code: SpanStatusCode.ERROR, message: "no call_end event" });
    call.span.end(at);
  };

  const handle = (e: BallastEvent): void => {
    if (e.type === "call_start") {
      const model = e.models[0] ?? "unknown";
      const attributes: Attributes = {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": e.task,
        "ballast.operation": e.operation,
        "gen_ai.request.model": model,
        "gen_ai.output.type": "json",
        ...samplingAttributes(e.sampling),
        "ballast.task": e.task,
        "ballast.models": e.models,
        "ballast.call_id": e.callId,
      };
      if (capture) {
        const system = e.sections.filter((s) => s.role === "system");
        const user = e.sections.filter((s) => s.role === "user");
        attributes["gen_ai.system_instructions"] = JSON.stringify(
          system.map((s) => ({ type: "text", content: clean(e.callId, s.content) })),
        );
        attributes["gen_ai.input.messages"] = JSON.stringify([
          { role: "user", parts: user.map((s) => ({ type: "text", content: clean(e.callId, s.content) })) },
        ]);
      }
      const span = tracer.startSpan(`invoke_agent ${e.task}`, { kind: SpanKind.INTERNAL, startTime: e.ts, attributes }, context.active());
      calls.set(e.callId, { span, ctx: trace.setSpan(context.active(), span), sampling: e.sampling, attempts: new Map() });
      if (calls.size > maxOpen) {
        const oldest = calls.keys().next().value as string;
        closeIncomplete(oldest, e.ts);
      }
      return;
    }
    if (e.type === "breaker" && !calls.has(e.callId)) {
      // a client-level transition: its own instant span
      tracer
        .startSpan(
          `breaker ${e.model}`,
          { startTime: e.ts, attributes: { "gen_ai.request.model": e.model, "ballast.breaker.from": e.from, "ballast.breaker.to": e.to } },
          context.active(),
        )
        .end(e.ts);
      return;
    }
    const call = calls.get(e.callId);
    if (!call) return; // started before this listener was attached
    switch (e.type) {
      case "attempt_start":
        startAttempt(call, e.attemptId, e, e.ts);
        return;
      case "attempt_end":
        endAttempt(call, e.callId, e.attempt);
        return;
      case "recovery":
        call.attempts.get(e.attemptId)?.addEvent("ballast.recovery", { "ballast.recovery.steps": e.steps }, e.ts);
        return;
      case "call_end": {
        const r = e.result;
        calls.delete(e.callId);
        const winner = [...r.attempts].reverse().find((a) => answered(a) && a.model === r.model);
        const hardcoded = r.source === "fallback";
        const steps = [...new Set(r.attempts.flatMap((a) => a.recoverySteps))];
        call.span.setAttributes({
          ...usageAttributes(r.usage),
          ...costAttributes(r.costUsd),
          "ballast.source": r.source,
          "ballast.fallback": hardcoded || (winner !== undefined && winner.rung > 0),
          "ballast.hardcoded": hardcoded,
          "ballast.recovery.steps": steps,
          "ballast.attempts": r.attempts.length,
          "ballast.response.model": r.model,
        });
        if (winner) call.span.setAttribute("gen_ai.provider.name", winner.provider);
        if (winner?.finishReason) call.span.setAttribute("gen_ai.response.finish_reasons", [winner.finishReason]);
        if (capture)
          call.span.setAttribute(
            "gen_ai.output.messages",
            JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: clean(e.callId, JSON.stringify(r.value) ?? "null") }] }]),
          );
        for (const s of call.attempts.values()) s.end(e.ts);
        call.span.end(e.ts);
        return;
      }
      case "call_error": {
        calls.delete(e.callId);
        call.span.setAttributes({
          ...usageAttributes(e.usage),
          ...costAttributes(e.costUsd),
          "ballast.attempts": e.attempts.length,
          "ballast.recovery.steps": [...new Set(e.attempts.flatMap((a) => a.recoverySteps))],
          "error.type": e.error.kind,
        });
        call.span.setStatus({ code: SpanStatusCode.ERROR, message: clean(e.callId, e.error.message) });
        for (const s of call.attempts.values()) s.end(e.ts);
        call.span.end(e.ts);
        return;
      }
      case "reask":
        call.span.addEvent(
          "ballast.reask",
          { "ballast.attempt.id": e.attemptId, "gen_ai.request.model": e.model, "ballast.issues": e.issues },
          e.ts,
        );
        return;
      case "stream_reset":
        call.span.addEvent("ballast.stream_reset", { "ballast.attempt.id": e.attemptId, "gen_ai.request.model": e.model }, e.ts);
        return;
      case "hedge":
        call.span.addEvent("ballast.hedge", { "gen_ai.request.model": e.model, "ballast.hedge.after_ms": e.afterMs }, e.ts);
        return;
      case "fallback":
        call.span.addEvent("ballast.fallback", { "ballast.fallback.reason": clean(e.callId, e.reason) }, e.ts);
        return;
      case "breaker":
        call.span.addEvent(
          "ballast.breaker",
          { "gen_ai.request.model": e.model, "ballast.breaker.from": e.from, "ballast.breaker.to": e.to },
          e.ts,
        );
        return;
      case "leak":
        call.span.addEvent("ballast.leak", { "gen_ai.request.model": e.model, "ballast.leak.outcome": e.outcome }, e.ts);
        return;
      case "cache_buster":
        call.span.addEvent("ballast.cache_buster", { "ballast.section": e.section, "ballast.tokens_lost": e.tokensLost }, e.ts);
        return;
      case "prompt_feedback":
        call.span.addEvent("ballast.prompt_feedback", capture ? { "ballast.feedback": clean(e.callId, e.feedback) } : {}, e.ts);
        return;
      case "warning":
        call.span.addEvent("ballast.warning", { "ballast.message": clean(e.callId, e.message) }, e.ts);
        return;
    }
  };

  const listener = (event: BallastEvent): void => {
    try {
      handle(event);
    } catch {
      // telemetry must never fail a call
    }
  };
  return Object.assign(listener, {
    attemptScope<R>(callId: string, attemptId: string, fn: () => R): R {
      const span = calls.get(callId)?.attempts.get(attemptId);
      return span ? context.with(trace.setSpan(context.active(), span), fn) : fn();
    },
  });
}
