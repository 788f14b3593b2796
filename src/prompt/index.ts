/**
 * `ballast/prompt`: prompt assembly. Named, ordered sections with byte-stable rendering (stable first,
 * volatile last), their prompt-cache layout (stable prefix, token estimates, Anthropic breakpoints, the
 * OpenAI cache key), the per-task cache-buster monitor, and the prompt-feedback field.
 *
 * @example
 * import { buildPrompt, cacheLayout } from "ballast/prompt";
 * const sections = buildPrompt({ instructions: "Classify the review.", input: text });
 * const layout = cacheLayout(sections); // layout.prefixTokens, layout.cacheable, layout.strandedStable
 */
export { buildPrompt, renderExamples, renderValue, type Example, type PromptParts } from "./build-prompt.js";
export { stableJson } from "./stable-json.js";
export { PROMPT_FEEDBACK_FIELD, promptFeedbackSchema, readPromptFeedback } from "./prompt-feedback.js";
export {
  BREAKPOINT_LOOKBACK_BLOCKS,
  cacheLayout,
  CHARS_PER_TOKEN,
  estimateTokens,
  hashText,
  MAX_BREAKPOINTS,
  minCacheableTokens,
  normalizeStableText,
  placeBreakpoints,
  promptCacheKey,
  stablePrefixCount,
  wireOrder,
  withDefaultCacheKey,
  type CacheLayout,
  type CacheLayoutOptions,
  type LayoutSection,
} from "./cache-layout.js";
export {
  CHRONIC_BUSTER_CALLS,
  cacheMonitorFor,
  createCacheMonitor,
  type CacheFinding,
  type CacheMonitor,
  type CacheMonitorOptions,
  type CacheObservation,
} from "./cache-monitor.js";
export { countTokens, exactTokenCounts, loadExactTokenCounts } from "./token-count.js";
