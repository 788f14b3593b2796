/** The key a model's breaker, rate limit and reply times are kept under: "provider:modelId". */
import type { LanguageModel } from "../core/index.js";

export const modelKey = (model: LanguageModel): string => `${model.provider}:${model.modelId}`;
