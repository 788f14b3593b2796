/** Private-context demarcation with a random secret, and leak monitoring that does not trust the model. */
export { neutraliseTags, preparePrivateContext, REVEALING_FIELD, revealingFieldSchema, type PreparedPrivateContext, type PrivateContextOptions } from "./private-context.js";
export { detectLeak, extractFigures, profilePrivateContent, textLeaves, type LeakProfile } from "./leak-detector.js";
export { classifyReveal } from "./classify-reveal.js";
