/**
 * The "pressure release valve": an opt-in field where the model reports instructions that were unclear,
 * contradictory or impossible. Stripped from the caller's value, returned as `r.promptFeedback`.
 */
import type { JsonSchema } from "../core/index.js";

export const PROMPT_FEEDBACK_FIELD = "prompt_feedback";

export const promptFeedbackSchema: JsonSchema = {
  type: ["string", "null"],
  description:
    "Report instructions that were unclear, contradictory or impossible to follow, in one or two sentences; null when there is nothing to report.",
};

/** The model's feedback, or null when it had nothing (null, empty, or "none"-like). */
export function readPromptFeedback(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  return text && !/^(none|n\/a|null|no|nothing|-)\.?$/i.test(text) ? text : null;
}
