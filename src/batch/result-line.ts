/** A finished call as one output line of a batch: the row's id, the value, where it came from, what it cost. */
import type { GenerateResult } from "../client/index.js";
import type { BatchRowResult } from "./types.js";

export function resultLine(id: string | number, r: GenerateResult<unknown>, via: BatchRowResult["via"]): BatchRowResult {
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
    via,
  };
}
