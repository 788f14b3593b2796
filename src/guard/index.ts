/**
 * `ballast/guard`: private-context demarcation with a random secret, and leak monitoring that does not trust
 * the model. The client applies both when a call has `privateContext`; these are the pieces on their own.
 *
 * @example
 * import { canaryFor, detectLeak, neutraliseTags, profilePrivateContent } from "ballast/guard";
 * const safe = neutraliseTags(userText); // no forged <private-...> tags survive
 * const leaked = detectLeak(modelReply, profilePrivateContent(internalNotes, canaryFor(secret))); // true when revealed
 */
export {
  CANARY_LABEL,
  canaryFor,
  neutraliseTags,
  preparePrivateContext,
  REVEALING_FIELD,
  revealingFieldSchema,
  type PreparedPrivateContext,
  type PrivateContextOptions,
} from "./private-context.js";
export {
  detectLeak,
  extractFigures,
  normaliseWords,
  profilePrivateContent,
  textLeaves,
  type Figure,
  type LeakProfile,
  type ProfileFigure,
} from "./leak-detector.js";
export { extractDates } from "./dates.js";
export { classifyReveal } from "./classify-reveal.js";
