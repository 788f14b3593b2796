/**
 * The shapes `lintSchema` works with: one warning per finding (rule, field path, message, suggested fix)
 * and the options (target provider, nesting limit).
 */
import type { LanguageModel } from "../../core/index.js";

export type LintRule =
  | "deep_nesting"
  | "union_without_discriminator"
  | "free_form"
  | "missing_description"
  | "score_without_rubric"
  | "reasoning_after_answer"
  | "near_duplicate_enum"
  | "provider_unsupported";

export interface SchemaWarning {
  rule: LintRule;
  /** "warning": models fail on it; "info": a quality hint (e.g. a missing description). */
  severity: "warning" | "info";
  /** The field, as `a.b[].c`; "(root)" for the schema itself. */
  path: string;
  message: string;
  /** What to change. */
  fix: string;
}

export interface LintOptions {
  /** Check what this provider's strict mode supports: "openai", "anthropic", or a model (its `provider`). */
  provider?: "openai" | "anthropic" | (string & {}) | Pick<LanguageModel, "provider">;
  /** Object nesting deeper than this is flagged (default 3). */
  maxDepth?: number;
  /** Leave out the "info" findings (missing descriptions). Default false. */
  warningsOnly?: boolean;
}
