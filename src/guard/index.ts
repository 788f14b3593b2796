/** Private-context demarcation with a random secret, and leak monitoring that does not trust the model. */
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
