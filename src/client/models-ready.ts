/**
 * The check that every model of a call's cascade can send a request as it is set up (its API key is there),
 * made before the call sends anything, so a missing key fails the call at once rather than when the cascade
 * first reaches that model, after paid requests to the ones before it.
 */
import type { LanguageModel } from "../core/index.js";

/** Models whose setup held once: a key, once found, stays. */
const ready = new WeakSet<LanguageModel>();

/** Throws the first model's ConfigurationError (see `LanguageModel.checkSetup`). */
export function checkModelsReady(models: readonly LanguageModel[]): void {
  for (const model of models) {
    if (ready.has(model)) continue;
    model.checkSetup?.();
    ready.add(model);
  }
}
