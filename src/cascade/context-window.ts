/**
 * The context-window check before a request: a prompt that cannot fit the model's window is not sent (the
 * provider would answer 400 after reading it all); the rung fails with ContextWindowError, which moves the
 * cascade on. The window is the model's own (`contextWindow` option) or the model catalogue's (models.dev,
 * then genai-prices); a model neither knows is sent as before.
 *
 * Tokens are not counted here: the check takes a floor of the prompt's tokens, its characters over
 * MAX_CHARS_PER_TOKEN, so it rejects only a prompt that surely does not fit. Measured with o200k (gpt-tokenizer)
 * on this repository's English docs, TypeScript and JSON (indented by 2 and by 8): 2.5-4.1 characters a
 * token; only long runs of one character (spaces, dashes) pack more. Too-long prompts near the edge still go out and come back as the provider's 400.
 */
import type { LanguageModel, ModelRequest, PromptSection, SamplingOptions } from "../core/index.js";
import { ContextWindowError } from "../errors/index.js";
import { contextWindowOf } from "../providers/catalogue/index.js";

/** Most characters one token covers in ordinary text (see the file comment). */
export const MAX_CHARS_PER_TOKEN = 8;

type Window = ReturnType<typeof contextWindowOf>;
/** Per model object: its window, resolved once. */
const windows = new WeakMap<LanguageModel, Window>();

function windowOf(model: LanguageModel): Window {
  let window = windows.get(model);
  if (window === undefined) {
    window = contextWindowOf(model);
    windows.set(model, window);
  }
  return window;
}

const SOURCE = { option: "its contextWindow option", "models.dev": "models.dev catalogue", "genai-prices": "genai-prices catalogue" };

/** The error for a prompt (plus the output asked for) that cannot fit the model's window; null when it may fit. */
export function overContextWindow(
  model: LanguageModel,
  sections: readonly PromptSection[],
  followUp: ModelRequest["followUp"],
  sampling: SamplingOptions,
): ContextWindowError | null {
  const window = windowOf(model);
  if (!window) return null;
  let chars = 0;
  for (const s of sections) chars += s.content.length;
  if (followUp) for (const turn of followUp) chars += turn.content.length;
  const promptTokens = Math.floor(chars / MAX_CHARS_PER_TOKEN);
  const output = sampling.maxOutputTokens ?? 0;
  if (promptTokens + output <= window.tokens) return null;
  const asked = output ? ` plus ${output} output tokens asked for` : "";
  return new ContextWindowError(
    `${model.modelId}: the prompt is at least ${promptTokens} tokens (${chars} characters)${asked}, over the model's context window of ${window.tokens} tokens (${SOURCE[window.source]}); not sent`,
  );
}
