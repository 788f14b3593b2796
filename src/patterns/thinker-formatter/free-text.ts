/**
 * One free-text call (no schema) over an ordered list of models: each tried with its own timeout, the
 * first non-empty answer wins. Used by the thinker; records usage, cost and every failure.
 * Limitation: it calls the providers directly, so it emits no client events (not in the trace store).
 */
import { ConfigurationError } from "../../errors/configuration-error.js";
import { attemptCost } from "../../observe/index.js";
import type { LanguageModel, PromptSection, SamplingOptions, Usage } from "../../providers/types.js";
import { describeError } from "../shared/totals.js";

export interface FreeTextOptions {
  models: readonly LanguageModel[];
  sections: PromptSection[];
  sampling?: SamplingOptions;
  /** Per-model timeout (ms). */
  timeoutMs: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface FreeTextResult {
  /** null when every model failed. */
  text: string | null;
  /** The model that answered, or null. */
  model: string | null;
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
  errors: Array<{ model: string; kind: string; message: string }>;
}

export async function freeText(options: FreeTextOptions): Promise<FreeTextResult> {
  if (options.models.length === 0) throw new ConfigurationError("thinker: give at least one model");
  const startedAt = Date.now();
  const usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  let costUsd: number | null = 0;
  const errors: FreeTextResult["errors"] = [];
  for (const model of options.models) {
    if (options.signal?.aborted) break;
    const timer = AbortSignal.timeout(options.timeoutMs);
    const signals = [timer, ...(options.signal ? [options.signal] : [])];
    try {
      const res = await model.generate({
        sections: options.sections,
        output: null,
        sampling: options.sampling ?? {},
        signal: AbortSignal.any(signals),
        ...(options.headers ? { headers: options.headers } : {}),
      });
      for (const k of Object.keys(usage) as Array<keyof Usage>) usage[k] += res.usage[k];
      const cost = attemptCost(model.provider, model.modelId, res.usage, model.price);
      costUsd = costUsd === null || cost === null ? null : costUsd + cost;
      const choice = res.choices[0];
      const text = choice?.text?.trim() ?? "";
      if (choice && choice.finishReason !== "refusal" && choice.finishReason !== "content_filter" && text) {
        return { text, model: model.modelId, usage, costUsd, latencyMs: Date.now() - startedAt, errors };
      }
      errors.push({
        model: model.modelId,
        kind: choice?.finishReason === "refusal" ? "refusal" : "invalid_output",
        message: choice?.refusal ?? "empty answer",
      });
    } catch (error) {
      const timedOut = timer.aborted && !options.signal?.aborted;
      const e = timedOut ? { kind: "timeout", message: `no answer within ${options.timeoutMs} ms` } : describeError(error);
      errors.push({ model: model.modelId, ...e });
    }
  }
  return { text: null, model: null, usage, costUsd, latencyMs: Date.now() - startedAt, errors };
}
