/** The degradation cascade: rungs, re-asks, 429 waits, hedging, circuit breakers, one deadline. */
export { BreakerRegistry, type BreakerOptions, type BreakerState, type ModelHealth } from "./circuit-breaker.js";
export { memoryBreakerStore, type BreakerStore } from "./breaker-store.js";
export type { CallContext } from "./call-context.js";
export { modelKey } from "./model-key.js";
export { runAttempt, usageOf, type AttemptResult, type AttemptSlot } from "./attempt.js";
export { runCascade } from "./run-cascade.js";
export type { CascadeWin } from "./rung.js";
export { reaskTurns, runRung, type RungResult } from "./rung.js";
export { runLaunchLoop, type LaunchControl, type LaunchHooks } from "./launch-loop.js";
export { hedgePolicy, type HedgePolicy } from "./hedge-policy.js";
export { ReplyTimes } from "./reply-times.js";
export {
  type Admission,
  type BreakerOutcome,
  type BreakerPolicy,
  type BreakerRecord,
  type BreakerVerdict,
  type Settlement,
  admitCall,
  emptyRecord,
  settleCall,
} from "./breaker-state.js";
export { bucketShape, localRateLimiter, type RateLimit, type RateLimiter, type RateCost } from "./rate-limiter.js";
export type { SharedState, SharedStateOutage } from "./shared-state.js";
export { costOf, outputOf, attemptRequest, checkValue, finishAttempt, issuesOf, noteSent, openAttempt } from "./attempt.js";
export type { LocalRateLimiter } from "./rate-limiter.js";
export { Cancel } from "./cancel.js";
export { RateGate } from "./rate-gate.js";
