/**
 * Prompt assembly: named, ordered sections with byte-stable rendering, their prompt-cache layout (stable
 * prefix, token estimates, Anthropic breakpoints, the OpenAI cache key) and the per-task cache-buster monitor.
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
