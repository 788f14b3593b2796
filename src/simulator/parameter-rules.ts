/**
 * Sampling parameters the real APIs refuse, refused here too (a 400 shaped like the provider's), from the
 * same capability table the body builders read: temperature, top_p and penalties on OpenAI reasoning
 * models, `max_tokens` where `max_completion_tokens` is required, temperature with top_p on the Claude
 * models that take only one. So a test against the simulator proves Ballast never sends them.
 */
import { capabilitiesOf } from "../core/index.js";
import { InvalidRequestError } from "./invalid-request-error.js";

const unsupported = (param: string, extra = "") =>
  new InvalidRequestError(`Unsupported parameter: '${param}' is not supported with this model.${extra}`, param, "unsupported_parameter");

/** Throws the provider's InvalidRequestError for the first parameter `body.model` would refuse. */
export function checkParameterRules(protocol: "openai" | "anthropic", body: Record<string, unknown>): void {
  const model = typeof body.model === "string" ? body.model : "";
  const caps = capabilitiesOf(protocol, model);
  if (protocol === "openai") {
    if (!caps.temperature && body.temperature !== undefined && body.temperature !== 1)
      throw new InvalidRequestError(
        `Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`,
        "temperature",
        "unsupported_value",
      );
    if (!caps.topP && body.top_p !== undefined) throw unsupported("top_p");
    if (!caps.frequencyPenalty && body.frequency_penalty !== undefined) throw unsupported("frequency_penalty");
    if (!caps.frequencyPenalty && body.presence_penalty !== undefined) throw unsupported("presence_penalty");
    if (caps.maxTokensField === "max_completion_tokens" && caps.reasoningEffort && body.max_tokens !== undefined)
      throw unsupported("max_tokens", " Use 'max_completion_tokens' instead.");
    if (!caps.n && typeof body.n === "number" && body.n > 1) throw unsupported("n");
    return;
  }
  if (caps.temperatureOrTopP && body.temperature !== undefined && body.top_p !== undefined)
    throw new InvalidRequestError("`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
}
