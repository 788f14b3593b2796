/**
 * The bottom layer: the vocabulary every other folder shares and that imports nothing else of Ballast.
 * The provider contract (`LanguageModel`, requests, responses, usage, prompt sections), what each model
 * family accepts, attempt records and results, the events listeners receive, error kinds, and three small
 * pure helpers with one home each: JSON pointers, text similarity, usage arithmetic, how a message shows a
 * caller's value, which HTTP headers can be sent, and which inputs can be.
 */
export type { ModelCapabilities, OmittedParameter } from "./capabilities.js";
export { CAPABILITY_FAMILIES, capabilitiesOf } from "./capabilities.js";
export type { ErrorKind } from "./error-kind.js";
export type { BallastEvent, BallastEventType, EventListener } from "./events.js";
export { escapeSegment, pointerOf, pointerSegments, refSegments, resolveLocalRef, unescapeSegment } from "./json-pointer.js";
export type { JsonSchema } from "./json-schema.js";
export type {
  FinishReason,
  LanguageModel,
  ModelChoice,
  ModelRequest,
  ModelResponse,
  OutputSpec,
  Price,
  PromptSection,
  SamplingOptions,
  StreamPart,
  Usage,
} from "./language-model.js";
export { addUsage, emptyUsage } from "./language-model.js";
export type { OutputMode } from "./output-mode.js";
export type { AttemptOutcome, AttemptRecord, GenerateResult, PrivateContextReport, ResultSource } from "./results.js";
export { editDistance, jaccard, medoid, textSimilarity, tokenSet } from "./similarity.js";
export type { ValidationIssue } from "./validation-issue.js";
export { describe } from "./describe-value.js";
export { headersProblem } from "./http-headers.js";
export { inputProblem } from "./input-problem.js";
