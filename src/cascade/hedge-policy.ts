/**
 * How long a hedged call lets a request run before the next one starts: the hedge delay (the user's
 * `afterMs`, or sooner once the request has outlived nearly all of its model's recent replies) and, once
 * every model of the cascade has started, the delay before a repeat request. `hedge-clock.ts` applies them.
 */
import type { LanguageModel } from "../core/index.js";
import { modelKey } from "./model-key.js";
import type { ReplyTimes } from "./reply-times.js";

/** The resolved `hedge` option of a call. */
export interface HedgePolicy {
  /** The longest a request goes without a valid answer before the next one starts. */
  afterMs: number;
  /** Start sooner, once the request has outlived this quantile of its model's recent replies; false: never sooner. */
  quantile: number | false;
  /** Extra requests to models already started, once no model of the cascade is left to start. */
  repeats: number;
}

/** Without `quantile`: a request slower than 19 of 20 recent replies of its model (The Tail at Scale's rule). */
const DEFAULT_QUANTILE = 0.95;
/** Without `repeats`: two extra requests per call on models already started. */
const DEFAULT_REPEATS = 2;

const policies = new WeakMap<object, HedgePolicy>();

/** The policy of a `hedge` option (checked already), resolved once per options object. */
export function hedgePolicy(options: { afterMs: number; quantile?: number | false; repeats?: number }): HedgePolicy {
  let policy = policies.get(options);
  if (!policy) {
    // Racing (afterMs 0) starts every model at once: a repeat would leave at the same instant as its original.
    const repeats = options.afterMs === 0 ? 0 : (options.repeats ?? DEFAULT_REPEATS);
    policy = { afterMs: options.afterMs, quantile: options.quantile ?? DEFAULT_QUANTILE, repeats };
    policies.set(options, policy);
  }
  return policy;
}

/** The hedge delay for a request just started on `model`. */
export function hedgeDelay(replyTimes: ReplyTimes | undefined, policy: HedgePolicy, model: LanguageModel): number {
  if (policy.afterMs === 0 || policy.quantile === false || !replyTimes) return policy.afterMs;
  const typical = replyTimes.quantile(modelKey(model), policy.quantile);
  return typical === undefined ? policy.afterMs : Math.min(policy.afterMs, Math.ceil(typical));
}

/**
 * How long a request just started on `model` runs before a repeat may hedge it: its hedge delay, but never
 * less than the model's median reply (a repeat sent before the request could usually have answered only
 * doubles the cost). Undefined, so no repeat, until the client has seen enough replies of the model to tell
 * a slow request from a usual one (`MIN_MEDIAN_REPLIES`).
 */
export function repeatDelay(replyTimes: ReplyTimes | undefined, policy: HedgePolicy, model: LanguageModel): number | undefined {
  const median = replyTimes?.median(modelKey(model));
  return median === undefined ? undefined : Math.max(hedgeDelay(replyTimes, policy, model), Math.ceil(median));
}
