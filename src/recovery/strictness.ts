/**
 * Strictness: which repair steps a caller accepts. Steps are labels like `trailing_comma` or
 * `coerce:number@score`; a step's kind is the label up to `@` (and `coerce:*` also matches its family).
 */

/** `true` refuses the risky steps below; a list names refused kinds; a function says which are allowed. */
export type Strictness = boolean | readonly string[] | ((step: string) => boolean);

/** Steps that may change meaning rather than just syntax: refused by `strict: true`. */
export const RISKY_STEPS: readonly string[] = [
  "truncated",
  "inner_quote",
  "missing_quote",
  "junk",
  "trailing_text",
  "multiple_values",
  "missing_value",
  "skipped_character",
  "bracket_mismatch",
];

/** The kind of a step label: `coerce:number@score` -> `coerce:number`. */
export function stepKind(step: string): string {
  const at = step.indexOf("@");
  return at < 0 ? step : step.slice(0, at);
}

/** The first step the strictness setting refuses, or null when all are accepted. */
export function refusedStep(steps: readonly string[], strict: Strictness | undefined): string | null {
  if (strict === undefined || strict === false) return null;
  const allowed =
    typeof strict === "function"
      ? strict
      : (step: string) => {
          const refused = strict === true ? RISKY_STEPS : strict;
          const kind = stepKind(step);
          const family = kind.includes(":") ? kind.slice(0, kind.indexOf(":")) : kind;
          return !refused.includes(kind) && !refused.includes(family);
        };
  for (const step of steps) if (!allowed(step)) return step;
  return null;
}
