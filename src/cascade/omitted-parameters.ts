/**
 * Reports, once per model, the sampling parameters its requests leave out because the model refuses them
 * (see the capability table in providers/): a `warning` event, so the trace store and OTel keep it too.
 */
import type { LanguageModel, SamplingOptions } from "../core/index.js";
import type { CallContext } from "./call-context.js";

const reported = new WeakSet<LanguageModel>();

/** Names of the parameters `sampling` sets that `model` does not accept (none when its capabilities are unknown). */
export function omittedParameters(model: LanguageModel, sampling: SamplingOptions): string[] {
  const caps = model.capabilities;
  if (!caps) return [];
  const out: string[] = [];
  if (!caps.temperature && sampling.temperature !== undefined) out.push("temperature");
  if (!caps.topP && sampling.topP !== undefined) out.push("top_p");
  if (caps.temperatureOrTopP && sampling.topP !== undefined && sampling.temperature !== undefined && caps.temperature)
    out.push("top_p (sent with temperature)");
  // Anthropic has no frequency penalty at all: leaving out the default is not news.
  if (!caps.frequencyPenalty && sampling.frequencyPenalty !== undefined && model.provider !== "anthropic") out.push("frequency_penalty");
  if (!caps.seed && sampling.seed !== undefined) out.push("seed");
  if (!caps.n && sampling.n !== undefined && sampling.n > 1) out.push("n");
  return out;
}

/** Emits the warning for `model` the first time one of its requests leaves something out. */
export function reportOmitted<T>(ctx: CallContext<T>, model: LanguageModel): void {
  if (!ctx.emit || reported.has(model)) return;
  const omitted = omittedParameters(model, ctx.sampling);
  if (omitted.length === 0) return;
  reported.add(model);
  ctx.emit({
    type: "warning",
    callId: ctx.callId,
    ts: ctx.now(),
    message: `${model.provider}:${model.modelId} (${model.capabilities!.family}) does not accept ${omitted.join(", ")}: left out of its requests`,
  });
}
