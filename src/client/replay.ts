/**
 * A reply fetched outside the cascade (a row of a provider's Batch API), run through the same call as a live
 * answer: recovered and validated against the task's schema, recorded as the call's one attempt at the reply's
 * price, and traced (call_start, attempt_end, call_end) like any call. No request is sent, so no rate limit
 * or circuit breaker is consulted. A reply that does not fit ends the call as any failed cascade does (the
 * fallback, or an error without one).
 */
import { type CallContext, type CascadeWin, runAttempt } from "../cascade/index.js";
import type { FinishReason, LanguageModel, Price, Usage } from "../core/index.js";

export interface ReplayedReply {
  /** The model the request was made for (the attempt's provider and model, its price by default). */
  model: LanguageModel;
  /** The reply's text (for a forced tool call, the tool's input as JSON). */
  text: string;
  usage: Usage;
  /** The price the reply was billed at (a Batch API's discount). @default the model's, as for a live call */
  price?: Price;
  finishReason?: FinishReason;
  /** The model the provider reports having used. */
  responseModel?: string;
  /** The provider's id for the response. */
  responseId?: string;
}

/** The one-attempt runner `call()` uses for a replayed reply. */
export function replayRunner(reply: ReplayedReply) {
  const { model } = reply;
  const replayed: LanguageModel = {
    provider: model.provider,
    modelId: model.modelId,
    modes: model.modes,
    supportsFrequencyPenalty: model.supportsFrequencyPenalty,
    supportsN: false,
    generate: async () => ({
      choices: [{ text: reply.text, finishReason: reply.finishReason ?? "stop" }],
      usage: reply.usage,
      modelId: reply.responseModel ?? model.modelId,
      ...(reply.responseId ? { requestId: reply.responseId } : {}),
    }),
  };
  const price = reply.price ?? model.price;
  if (price) (replayed as { price?: Price }).price = price;
  return async <T>(ctx: CallContext<T>): Promise<CascadeWin<T> | null> => {
    const cancel = ctx.cancel.child();
    try {
      const r = await runAttempt(ctx, { model: replayed, rung: 0, kind: "initial", cancel }, undefined);
      if (!r.ok) {
        ctx.ended = "exhausted";
        return null;
      }
      return { value: r.value, repaired: r.repaired, model, extras: r.extras, text: r.text };
    } finally {
      cancel.release();
    }
  };
}
