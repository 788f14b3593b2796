/**
 * The critic's structured critique: issues first (each with the field, the problem and the fix), then a
 * 0–10 quality score with a rubric, then the verdict — justification before the answer.
 */
import { z } from "zod";

export const Critique = z.object({
  issues: z
    .array(
      z.object({
        field: z.string().describe('The field of the draft the issue is about, e.g. "summary" ("" for the whole draft)'),
        problem: z.string().describe("What is wrong, in one sentence"),
        fix: z.string().describe("How to fix it, in one sentence"),
      }),
    )
    .describe("Every problem with the draft against the task's instructions and input; empty when there is none"),
  score: z
    .number()
    .min(0)
    .max(10)
    .describe("Overall quality: 0 = wrong or unusable, 5 = usable with real problems, 8 = minor issues only, 10 = nothing to improve"),
  acceptable: z.boolean().describe("true when the draft can be used as is"),
});

export type Critique = z.infer<typeof Critique>;

export const CRITIC_INSTRUCTIONS =
  "You review a draft answer to a task. Check it against the task's instructions and input: correctness, completeness, " +
  "and format. List concrete issues with fixes, score it, and say whether it is acceptable as is. Do not rewrite it.";

export const REVISE_INSTRUCTIONS =
  "Revise your previous draft (in `previous_draft`) so it fixes every issue the reviewer raised (in `review`), " +
  "keeping what was right. Answer the original task.";
