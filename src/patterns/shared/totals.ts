/**
 * Sums what several calls of one pattern consumed: usage and dollars over results and failed calls'
 * attempts (cost null when any price is unknown), so a pattern reports its full token cost.
 */
import { type AttemptRecord, type GenerateResult, addUsage, emptyUsage, type Usage } from "../../core/index.js";

export interface Spend {
  usage: Usage;
  /** Dollars; null when any attempt's price is unknown. */
  costUsd: number | null;
}

export function spendOf(
  results: ReadonlyArray<Pick<GenerateResult<unknown>, "usage" | "costUsd">>,
  failedAttempts: readonly AttemptRecord[] = [],
  extra: readonly Spend[] = [],
): Spend {
  const usage = emptyUsage();
  let cost: number | null = 0;
  for (const r of [...results, ...extra]) {
    addUsage(usage, r.usage);
    cost = cost === null || r.costUsd === null ? null : cost + r.costUsd;
  }
  for (const a of failedAttempts) {
    if (a.outcome === "skipped_breaker") continue;
    addUsage(usage, a.usage);
    cost = cost === null || a.costUsd === null ? null : cost + a.costUsd;
  }
  return { usage, costUsd: cost };
}

/** The attempts a rejected call made, when its error carries them (AllAttemptsFailedError, DeadlineExceededError). */
export function attemptsOf(error: unknown): AttemptRecord[] {
  const attempts = (error as { attempts?: unknown } | null)?.attempts;
  return Array.isArray(attempts) ? (attempts as AttemptRecord[]) : [];
}

/** The `{ kind, message }` of any error (BallastError kinds, "error" for anything else). */
export function describeError(error: unknown): { kind: string; message: string } {
  const kind = (error as { kind?: unknown } | null)?.kind;
  return { kind: typeof kind === "string" ? kind : "error", message: error instanceof Error ? error.message : String(error) };
}
