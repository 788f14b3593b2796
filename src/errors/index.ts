/**
 * `ballast/errors`: every error class Ballast raises, one per file, each with a literal `kind`, so
 * `isBallastError(e)` narrows a caught value and `e.kind` tells them apart without instanceof. The errors a
 * call can throw are also exported from `ballast`; the ones that only appear on attempt records
 * (timeouts, HTTP errors, refusals, …) live here.
 *
 * @example
 * import { isBallastError } from "ballast/errors";
 * try { await classify(text); } catch (e) {
 *   if (isBallastError(e) && e.kind === "all_attempts_failed") for (const a of e.attempts) console.log(a.model, a.error?.kind);
 * }
 */
export { BallastError } from "./ballast-error.js";
export type { ErrorKind } from "../core/index.js";
export { TimeoutError } from "./timeout-error.js";
export { DeadlineExceededError } from "./deadline-exceeded-error.js";
export { AbortedError } from "./aborted-error.js";
export { RateLimitedError } from "./rate-limited-error.js";
export { ProviderHttpError } from "./provider-http-error.js";
export { ConnectionError } from "./connection-error.js";
export { InvalidOutputError } from "./invalid-output-error.js";
export type { ValidationIssue } from "../core/index.js";
export { RefusalError } from "./refusal-error.js";
export { TruncatedError } from "./truncated-error.js";
export { ContentFilterError } from "./content-filter-error.js";
export { ConfigurationError } from "./configuration-error.js";
export { ContextWindowError } from "./context-window-error.js";
export { CircuitOpenError } from "./circuit-open-error.js";
export { BudgetExceededError } from "./budget-exceeded-error.js";
export { AllAttemptsFailedError } from "./all-attempts-failed-error.js";
export { FallbackFailedError } from "./fallback-failed-error.js";
export { PrivateContextLeakError } from "./private-context-leak-error.js";
export { BatchInputError } from "./batch-input-error.js";
export { QueueUnavailableError } from "./queue-unavailable-error.js";
export { ValidatorError } from "./validator-error.js";
export { StreamTimeoutError } from "./stream-timeout-error.js";
export { type AnyBallastError, isBallastError } from "./error-union.js";
