/** JSON with object keys sorted, so the same value always renders to the same bytes (cache-friendly). */
export function stableJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v) => (v && typeof v === "object" && !Array.isArray(v) ? sortKeys(v as Record<string, unknown>) : v),
    indent,
  );
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}
