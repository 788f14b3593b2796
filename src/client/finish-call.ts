/**
 * The last phase of a call: judges a private-context leak, reads prompt feedback, and builds the result
 * from the winning answer or the fallback; or throws the one typed error (redacted) when there is neither.
 */
import { type CascadeWin, costOf, usageOf } from "../cascade/index.js";
import type { GenerateResult } from "../core/index.js";
import {
  AllAttemptsFailedError,
  BallastError,
  type BudgetExceededError,
  DeadlineExceededError,
  PrivateContextLeakError,
} from "../errors/index.js";
import { REVEALING_FIELD } from "../guard/index.js";
import { PROMPT_FEEDBACK_FIELD, readPromptFeedback } from "../prompt/index.js";
import type { PreparedCall } from "./prepare-call.js";
import { assessReveal } from "./private-context-report.js";
import { resolveFallback } from "./resolve-fallback.js";
import { winningRung } from "./winning-rung.js";

/** What the run left for the finish phase: the winning answer, or why there is none. */
export interface RunOutcome<T> {
  win: CascadeWin<T> | null;
  /** Set when the budget refused the call before anything was sent. */
  overBudget: BudgetExceededError | null;
}

/** Ends the call with an error: reports it (`call_error`, with every attempt) and throws it redacted. */
export function failCall<T>(call: PreparedCall<T>, err: unknown): never {
  const { ctx, emit, startedAt } = call;
  const error = err instanceof BallastError ? err : new BallastError("aborted", String(err), { cause: err });
  emit?.({
    type: "call_error",
    callId: ctx.callId,
    ts: Date.now(),
    task: call.definition.name,
    error: { kind: error.kind, message: error.message },
    attempts: ctx.attempts,
    usage: usageOf(ctx.attempts),
    costUsd: costOf(ctx.attempts),
    latencyMs: Date.now() - startedAt,
  });
  throw call.redaction.error(err);
}

/** The call's result, and its `call_end` event; throws when there is no answer and no fallback. */
export async function finishCall<T>(call: PreparedCall<T>, { win: won, overBudget }: RunOutcome<T>): Promise<GenerateResult<T>> {
  const { ctx, definition, emit, startedAt, privateContext: prepared } = call;
  const callId = ctx.callId;
  let win = won;
  if (overBudget && definition.fallback === undefined) failCall(call, overBudget);
  const reveal = win && prepared ? assessReveal(prepared, win.value, win.extras[REVEALING_FIELD] === true) : undefined;
  let withheld: PrivateContextLeakError | null = null;
  if (win && reveal && (reveal.outcome === "self_reported" || reveal.outcome === "silent")) {
    emit?.({ type: "leak", callId, ts: Date.now(), outcome: reveal.outcome, model: win.model.modelId });
    if (prepared?.withholdOnLeak) {
      withheld = new PrivateContextLeakError(reveal.outcome);
      win = null;
    }
  }
  const feedback = definition.promptFeedback ? (win ? readPromptFeedback(win.extras[PROMPT_FEEDBACK_FIELD]) : null) : undefined;
  if (feedback) emit?.({ type: "prompt_feedback", callId, ts: Date.now(), task: definition.name, feedback });
  // The caller, a fallback function and a batch's output file get the attempts as listeners do: redacted (a
  // provider's error message may repeat the API key it was sent).
  const attempts = call.redaction.attempts(ctx.attempts);
  // Built field by field, in the documented order (no spreads of partial objects on every call).
  const partial: Partial<GenerateResult<T>> = {
    attempts,
    usage: usageOf(ctx.attempts),
    costUsd: costOf(ctx.attempts),
    callId,
  };
  if (reveal) partial.privateContext = reveal;
  if (feedback !== undefined) partial.promptFeedback = feedback;
  if (win) {
    if (win.samples) {
      partial.samples = win.samples;
      partial.invalidSamples = win.invalidSamples ?? 0;
    }
    partial.value = win.value;
    partial.source = win.repaired ? "repaired" : "model";
    partial.rung = winningRung(ctx.attempts, win.model.modelId);
    partial.model = win.model.modelId;
    partial.latencyMs = Date.now() - startedAt;
    partial.errors = [];
  } else {
    const blocker = overBudget ?? withheld;
    const errors = blocker ? [{ kind: blocker.kind, message: blocker.message }] : attempts.flatMap((a) => (a.error ? [a.error] : []));
    if (definition.fallback === undefined)
      failCall(
        call,
        withheld ??
          (ctx.ended === "deadline"
            ? new DeadlineExceededError(call.options.deadlineMs, { attempts: ctx.attempts })
            : new AllAttemptsFailedError(ctx.attempts)),
      );
    partial.value = await resolveFallback(definition, call.input, errors, ctx.deadlineAt).catch((err: unknown) => failCall(call, err));
    emit?.({ type: "fallback", callId, ts: Date.now(), reason: errors.at(-1)?.message ?? "no model answered" });
    partial.source = "fallback";
    partial.rung = null;
    partial.model = "hardcoded_fallback";
    partial.latencyMs = Date.now() - startedAt;
    partial.errors = errors;
  }
  const result = partial as GenerateResult<T>;
  emit?.({ type: "call_end", callId, ts: Date.now(), task: definition.name, result });
  return result;
}
