/** Prompt assembly: named, ordered sections with byte-stable rendering. */
export { buildPrompt, renderExamples, renderValue, type Example, type PromptParts } from "./build-prompt.js";
export { stableJson } from "./stable-json.js";
export { PROMPT_FEEDBACK_FIELD, promptFeedbackSchema, readPromptFeedback } from "./prompt-feedback.js";
