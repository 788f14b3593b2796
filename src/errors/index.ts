/** Every error class Ballast raises, one per file; `kind` tells them apart without instanceof. */
export { BallastError, type ErrorKind } from "./ballast-error.js";
export { TimeoutError } from "./timeout-error.js";
export { DeadlineExceededError } from "./deadline-exceeded-error.js";
export { AbortedError } from "./aborted-error.js";
export { RateLimitedError } from "./rate-limited-error.js";
export { ProviderHttpError } from "./provider-http-error.js";
export { ConnectionError } from "./connection-error.js";
export { InvalidOutputError, type ValidationIssue } from "./invalid-output-error.js";
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
