/** How error messages across Ballast show a value the caller passed. */
/** How an error message shows a value the caller passed: strings quoted (so "abc" and abc differ), objects by kind. */
export function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (Array.isArray(v)) return "an array";
  if (v !== null && typeof v === "object") return "an object";
  return String(v);
}
