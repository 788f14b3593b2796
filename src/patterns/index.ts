/**
 * `ballast/patterns`: multi-model patterns, each a small typed function over `generate` (so each inherits the
 * cascade, recovery, deadlines and tracing): Best-of-N with the samples combined field by field,
 * writer–critic, and a free-form thinker followed by a JSON formatter (its thinker runs through `llm.text`).
 *
 * @example
 * import { bestOfN, writerCritic } from "ballast/patterns";
 * const best = await bestOfN(llm, { schema: Review, instructions, input, n: 5 }); // best.value: fields combined
 * const draft = await writerCritic(llm, { schema: Summary, instructions, input, maxRounds: 2 });
 */
export { bestOfN } from "./best-of-n/best-of-n.js";
export { combineValues, type Combined, type CombineSettings } from "./best-of-n/combine-fields.js";
export type { BestOfNFailure, BestOfNOptions, BestOfNResult, BestOfNSample, FieldReport, FieldStrategy } from "./best-of-n/types.js";
export { writerCritic, type Round, type WriterCriticOptions, type WriterCriticResult } from "./writer-critic/writer-critic.js";
export { Critique, CRITIC_INSTRUCTIONS } from "./writer-critic/critique-schema.js";
export {
  thinkThenFormat,
  type ThinkerOptions,
  type ThinkThenFormatOptions,
  type ThinkThenFormatResult,
} from "./thinker-formatter/thinker-formatter.js";
export type { FreeTextResult } from "./thinker-formatter/free-text.js";
export { textSimilarity } from "../core/index.js";
