/**
 * Multi-model patterns, each a small typed function over `generate` (so each inherits the cascade, recovery,
 * deadlines and tracing): Best-of-N, writer–critic, thinker + formatter (its thinker runs through `llm.text`).
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
export { textSimilarity } from "./shared/similarity.js";
