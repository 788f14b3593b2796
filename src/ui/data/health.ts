/**
 * Structured-output health: how often the first answer was schema-valid, repaired (by recovery step),
 * re-asked, fell back to the next model or to the hardcoded default; how deep into the cascade calls went;
 * which fields and validation messages fail most.
 */
import type { Tallies } from "../../observe/index.js";
import { fits, type ViewFilter } from "./filter.js";
import { share } from "./figures.js";

/** Sums one keyed count metric over the rows that fit, most frequent first. */
export function countsOf(tallies: Tallies, f: ViewFilter, metric: string, top = 20): Array<{ key: string; n: number }> {
  const sums = new Map<string, number>();
  for (const c of tallies.counts.values()) if (c.metric === metric && fits(f, c)) sums.set(c.key, (sums.get(c.key) ?? 0) + c.n);
  return [...sums]
    .map(([key, n]) => ({ key, n }))
    .sort((a, b) => b.n - a.n || a.key.localeCompare(b.key))
    .slice(0, top);
}

export function health(tallies: Tallies, f: ViewFilter) {
  let calls = 0;
  let repaired = 0;
  let reasked = 0;
  let fallback = 0;
  let hardcoded = 0;
  let errors = 0;
  for (const c of tallies.calls.values()) {
    if (!fits(f, c)) continue;
    calls += c.calls;
    repaired += c.repaired;
    reasked += c.reasked;
    fallback += c.fallback;
    hardcoded += c.hardcoded;
    errors += c.errors;
  }
  const first = Object.fromEntries(countsOf(tallies, f, "first_try").map((r) => [r.key, r.n])) as Record<string, number>;
  const firstTotal = Object.values(first).reduce((s, n) => s + n, 0);
  return {
    calls,
    first_try: { valid: first.valid ?? 0, repaired: first.repaired ?? 0, invalid: first.invalid ?? 0, failed: first.failed ?? 0 },
    first_try_valid_share: share(first.valid ?? 0, firstTotal),
    repaired_share: share(repaired, calls),
    reasked_share: share(reasked, calls),
    fallback_share: share(fallback, calls),
    hardcoded_share: share(hardcoded, calls),
    error_share: share(errors, calls),
    recovery_steps: countsOf(tallies, f, "recovery"),
    depth: countsOf(tallies, f, "depth").sort((a, b) => Number(a.key) - Number(b.key)),
    fields: countsOf(tallies, f, "field"),
    issues: countsOf(tallies, f, "issue"),
    errors: countsOf(tallies, f, "error"),
  };
}
