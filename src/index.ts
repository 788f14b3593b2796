/**
 * `ballast`: reliable, schema-valid JSON from unreliable LLMs.
 *
 * @example
 * import { createBallast } from "ballast";
 * import { openai } from "ballast/openai";
 * const llm = createBallast({ models: [openai("gpt-4o"), openai("gpt-4.1-nano")], timeoutMs: 10_000, deadlineMs: 30_000 });
 * const r = await llm.generate({ schema: Review, instructions: "Classify the review.", input: text, fallback });
 */
export * from "./client/index.js";
export * from "./errors/index.js";
export type { ModelHealth, BreakerOptions } from "./cascade/circuit-breaker.js";
export { memoryBreakerStore, type BreakerStore } from "./cascade/breaker-store.js";
export { localRateLimiter, type LocalRateLimiter, type RateCost, type RateLimit, type RateLimiter } from "./cascade/rate-limiter.js";
export type { Admission, BreakerOutcome, BreakerPolicy, BreakerRecord, BreakerState, Settlement } from "./cascade/breaker-state.js";
export { admitCall, settleCall } from "./cascade/breaker-state.js";
export type { BallastEvent, BallastEventType, EventListener } from "./observe/events.js";
export type { RedactOptions } from "./observe/index.js";
export type {
  FinishReason,
  LanguageModel,
  ModelRequest,
  ModelResponse,
  OutputMode,
  Price,
  PromptSection,
  SamplingOptions,
  StreamPart,
  Usage,
} from "./providers/types.js";
export type { JsonSchema, StandardSchemaV1, InferOutput } from "./schema/index.js";
export { jsonSchema, type JsonSchemaSchema, toJsonSchema, toOpenAIStrict } from "./schema/index.js";
export { buildPrompt, stableJson, type Example } from "./prompt/index.js";
export { neutraliseTags, detectLeak, type PrivateContextOptions } from "./guard/index.js";
export { PROMPT_FEEDBACK_FIELD } from "./prompt/index.js";
export * from "./patterns/index.js";
export * from "./schema/kit/index.js";
export {
  StreamTimeoutError,
  type DeepPartial,
  type ResetEvent,
  type SnapshotEvent,
  type StreamDeadlines,
  type StreamEvent,
  type StreamOptions,
  type StructuredStream,
} from "./stream/index.js";
export {
  cacheLayout,
  createCacheMonitor,
  estimateTokens,
  minCacheableTokens,
  promptCacheKey,
  type CacheLayout,
} from "./prompt/index.js";
