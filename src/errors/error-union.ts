/** Every concrete error Ballast raises, as one union that narrows on `kind`, and the guard that yields it. */
import type { AbortedError } from "./aborted-error.js";
import type { AllAttemptsFailedError } from "./all-attempts-failed-error.js";
import { BallastError } from "./ballast-error.js";
import type { BudgetExceededError } from "./budget-exceeded-error.js";
import type { CircuitOpenError } from "./circuit-open-error.js";
import type { ConfigurationError } from "./configuration-error.js";
import type { ConnectionError } from "./connection-error.js";
import type { ContentFilterError } from "./content-filter-error.js";
import type { ContextWindowError } from "./context-window-error.js";
import type { DeadlineExceededError } from "./deadline-exceeded-error.js";
import type { FallbackFailedError } from "./fallback-failed-error.js";
import type { InvalidOutputError } from "./invalid-output-error.js";
import type { PrivateContextLeakError } from "./private-context-leak-error.js";
import type { ProviderHttpError } from "./provider-http-error.js";
import type { RateLimitedError } from "./rate-limited-error.js";
import type { RefusalError } from "./refusal-error.js";
import type { TimeoutError } from "./timeout-error.js";
import type { TruncatedError } from "./truncated-error.js";
import type { ValidatorError } from "./validator-error.js";

export type AnyBallastError =
  | TimeoutError
  | DeadlineExceededError
  | AbortedError
  | RateLimitedError
  | ProviderHttpError
  | ConnectionError
  | InvalidOutputError
  | RefusalError
  | TruncatedError
  | ContentFilterError
  | ConfigurationError
  | AllAttemptsFailedError
  | FallbackFailedError
  | BudgetExceededError
  | CircuitOpenError
  | ContextWindowError
  | PrivateContextLeakError
  | ValidatorError;

/** True for any error Ballast raised; narrows to the union, so `switch (e.kind)` reaches each class's fields. */
export function isBallastError(error: unknown): error is AnyBallastError {
  return error instanceof BallastError;
}
