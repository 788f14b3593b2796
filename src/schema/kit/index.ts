/**
 * The schema design kit: `lintSchema` (design warnings with fixes), `withJustification` (reasoning first),
 * `scored` (broken-down scores, total in code) and `resultUnion` (success or typed "I can't").
 */
export { lintSchema } from "./lint-schema.js";
export type { LintOptions, LintRule, SchemaWarning } from "./lint-types.js";
export { JUSTIFICATION_DESCRIPTION, withJustification, type JustificationOptions } from "./with-justification.js";
export { scored, type Scored, type ScoredOptions, type ScoredValue, type ScoreTotal } from "./scored.js";
export { resultUnion, type ErrorBranch, type ResultUnion, type ResultUnionOptions } from "./result-union.js";
