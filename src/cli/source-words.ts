/**
 * Where a value came from, in the words the API result uses: `model` (valid as returned), `repaired` (valid
 * after JSON recovery) or `fallback` (the hardcoded default), plus the rung that answered when it was not the
 * first model. Shared by `ballast traces` and `ballast trace` so both read like `result.source`/`result.rung`.
 */
export function sourceWords(row: { source?: unknown; rung?: unknown; error_kind?: unknown }): string {
  if (row.error_kind) return `error: ${row.error_kind}`;
  if (row.source === null || row.source === undefined) return "incomplete";
  const rung = typeof row.rung === "number" && row.rung > 0 ? ` (rung ${row.rung})` : "";
  return `${row.source}${rung}`;
}

/** The rung of the attempt that produced the value: the last valid attempt of the answering model; null if none. */
export function winningRung(attempts: ReadonlyArray<Record<string, unknown>>, model: unknown): number | null {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const a = attempts[i]!;
    if ((a.outcome === "ok" || a.outcome === "repaired") && a.model === model && typeof a.rung === "number") return a.rung;
  }
  return null;
}
