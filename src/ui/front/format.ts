/** How the dashboard prints numbers (shared with its tests, which compare what is shown with `ballast stats`). */
export const DASH = "–";

export const int = (n: number | null | undefined): string => (n === null || n === undefined ? DASH : String(n));

export const usd = (n: number | null | undefined): string =>
  n === null || n === undefined ? DASH : `$${n === 0 ? "0" : Math.abs(n) < 1 ? n.toFixed(6) : n.toFixed(2)}`;

export const ms = (n: number | null | undefined): string => (n === null || n === undefined ? DASH : `${n.toFixed(1)} ms`);

export const pct = (n: number | null | undefined): string => (n === null || n === undefined ? DASH : `${(n * 100).toFixed(1)}%`);

export const when = (epochMs: number): string => new Date(epochMs).toISOString().replace("T", " ").slice(0, 19);

export const taskName = (task: string | null): string => (task === null || task === "" ? "(unnamed)" : task);
