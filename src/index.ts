/**
 * `ballast`: reliable, schema-valid JSON from unreliable LLMs. This entry holds the client, its option and
 * result types, the errors a call can throw and the events listeners receive. Everything else has its own
 * subpath: `ballast/openai`, `ballast/anthropic`, `ballast/google`, `ballast/ai-sdk` (models),
 * `ballast/schema` (schema design kit), `ballast/patterns` (multi-model patterns), `ballast/prompt`,
 * `ballast/guard`, `ballast/errors` (every error class), `ballast/recovery`, `ballast/batch`,
 * `ballast/redis`, `ballast/shared-state`, `ballast/otel`, `ballast/testing` (the simulator).
 *
 * @example
 * import { createBallast } from "ballast";
 * import { openai } from "ballast/openai";
 * import { z } from "zod";
 *
 * const Review = z.object({ sentiment: z.enum(["positive", "negative", "mixed"]) });
 * const llm = createBallast({ models: [openai("gpt-4.1"), openai("gpt-4.1-mini")], timeoutMs: 10_000, deadlineMs: 30_000 });
 * const classify = llm.task({ name: "classify", schema: Review, instructions: "Classify the review.", fallback: { sentiment: "mixed" } });
 * const { value, source } = await classify("Great screen, awful battery.");
 */
export {
  createBallast,
  type AttemptOutcome,
  type AttemptRecord,
  type Ballast,
  type BallastOptions,
  type CallOptions,
  type Fallback,
  type GenerateOptions,
  type GenerateResult,
  type HedgeOptions,
  type PerCallOptions,
  type PrivateContextReport,
  type ResultSource,
  type RetryOptions,
  type StreamOptions,
  type Task,
  type TaskDefinition,
  type TaskStreamOptions,
  type TextOptions,
} from "./client/index.js";
export {
  AbortedError,
  AllAttemptsFailedError,
  BallastError,
  BudgetExceededError,
  ConfigurationError,
  DeadlineExceededError,
  FallbackFailedError,
  InvalidOutputError,
  isBallastError,
  PrivateContextLeakError,
  StreamTimeoutError,
  ValidatorError,
  type AnyBallastError,
  type ErrorKind,
  type ValidationIssue,
} from "./errors/index.js";
export type {
  BallastEvent,
  BallastEventType,
  EventListener,
  FinishReason,
  JsonSchema,
  LanguageModel,
  ModelRequest,
  ModelResponse,
  OutputMode,
  Price,
  PromptSection,
  SamplingOptions,
  StreamPart,
  Usage,
} from "./core/index.js";
export type { DeepPartial, ResetEvent, SnapshotEvent, StreamDeadlines, StreamEvent, StructuredStream } from "./stream/index.js";
export type { InferOutput, StandardSchemaV1 } from "./schema/index.js";
export type { RedactOptions } from "./observe/index.js";
export type { PrivateContextOptions } from "./guard/index.js";
export type { BreakerOptions, ModelHealth, RateLimit, SharedState } from "./cascade/index.js";
