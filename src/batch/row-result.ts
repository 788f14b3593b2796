/**
 * One finished row as the output file holds it: the value, where it came from (source, model, rung), its
 * dollars and tokens, and the errors met on the way, built from the task call's result.
 */
import type { GenerateResult } from "../client/index.js";
import type { BatchRowResult } from "./types.js";

export function rowResult(id: string | number, r: GenerateResult<unknown>): BatchRowResult {
  let rung: number | null = null;
  if (r.source !== "fallback") {
    for (const a of r.attempts) if (a.outcome === "ok" || a.outcome === "repaired") rung = a.rung;
  }
  return {
    id,
    value: r.value,
    source: r.source,
    model: r.model,
    costUsd: r.costUsd,
    tokens: { input: r.usage.inputTokens, output: r.usage.outputTokens },
    errors: r.errors.map((e) => ({ kind: e?.kind ?? "error", message: e?.message ?? "" })),
    rung,
    via: "live",
  };
}

/** True when the call ended on the fallback only because the provider kept answering 429: worth sending again. */
export function onlyRateLimited(r: GenerateResult<unknown>): boolean {
  return r.source === "fallback" && r.errors.length > 0 && r.errors.every((e) => e?.kind === "rate_limited");
}
