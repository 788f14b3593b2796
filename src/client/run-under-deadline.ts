/**
 * The second phase of a call: arms the call's deadline and the caller's abort signal, admits the call
 * against the budget (reserving its worst case), runs the rungs, and disarms everything however the run ends.
 */
import type { CallContext, CascadeWin } from "../cascade/index.js";
import { AbortedError, DeadlineExceededError } from "../errors/index.js";
import type { CompiledSchema } from "../schema/index.js";
import { checkBudget, type WorstCase, worstCaseUsd } from "./check-budget.js";
import { failCall, type RunOutcome } from "./finish-call.js";
import type { PreparedCall } from "./prepare-call.js";

/** Runs the rungs of one call and returns the winning answer, or null to fall back. */
export type CascadeRunner = <T>(ctx: CallContext<T>) => Promise<CascadeWin<T> | null>;

/** The budget verdict of a client without a budget. */
const NO_BUDGET: ReturnType<typeof checkBudget> = Object.freeze({ error: null, release: () => {} });

/** The shape of a call's most expensive run, for the budget's reservation. */
function worstCaseOf<T>(ctx: CallContext<T>, schema: CompiledSchema<T>): WorstCase {
  let retries = ctx.retry.limit;
  for (const limit of Object.values(ctx.retry.models ?? {})) retries = Math.max(retries, limit);
  return {
    models: ctx.models,
    sections: ctx.sections,
    schemaText: schema.freeText ? "" : JSON.stringify(schema.wire),
    attemptsPerRung: 1 + ctx.reasks + retries,
    maxOutputTokens: ctx.sampling.maxOutputTokens,
    n: ctx.sampling.n ?? 1,
    repeats: ctx.hedge?.repeats ?? 0,
  };
}

/** Runs the call's rungs with `run` until one wins, every one failed, the deadline fired or the caller aborted. */
export async function runUnderDeadline<T>(
  call: PreparedCall<T>,
  run: CascadeRunner,
  signal: AbortSignal | undefined,
): Promise<RunOutcome<T>> {
  const { ctx, runtime } = call;
  const { deadlineMs } = call.options;
  const deadline = setTimeout(() => ctx.cancel.abort(new DeadlineExceededError(deadlineMs)), deadlineMs);
  const onCallerAbort = () => ctx.cancel.abort(new AbortedError("the caller aborted the call"));
  signal?.addEventListener("abort", onCallerAbort, { once: true });
  let admission = NO_BUDGET;
  try {
    const { budget } = runtime;
    if (budget) admission = checkBudget(budget, worstCaseUsd(budget, worstCaseOf(ctx, ctx.schema), runtime.priceOf));
    const overBudget = admission.error;
    const win = overBudget ? null : await run(ctx).catch((err: unknown) => failCall(call, err));
    return { win, overBudget };
  } finally {
    admission.release();
    clearTimeout(deadline);
    signal?.removeEventListener("abort", onCallerAbort);
  }
}
