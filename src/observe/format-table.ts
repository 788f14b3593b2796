/**
 * Plain-text tables and number formats for the `ballast stats|traces|trace` commands: aligned columns,
 * dollars, percentages and durations, with "-" for unknown values (never a misleading 0).
 */

export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? "-" : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const numeric = headers.map((_, i) => cells.length > 0 && cells.every((r) => /^~?[-$]?[\d.,]+(%|ms|s)?$|^-$/.test(r[i] ?? "-")));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

export const usd = (v: number | null | undefined): string =>
  v === null || v === undefined ? "-" : `$${v < 1 ? v.toFixed(6) : v.toFixed(2)}`;
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? "-" : `${(v * 100).toFixed(1)}%`);
export const ms = (v: number | null | undefined): string => (v === null || v === undefined ? "-" : `${Math.round(v)}ms`);
export const when = (epochMs: number | null | undefined): string =>
  epochMs === null || epochMs === undefined ? "-" : new Date(epochMs).toISOString().replace("T", " ").slice(0, 19);
