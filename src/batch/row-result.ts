/** Whether a finished row is worth queueing again. */
import type { GenerateResult } from "../client/index.js";

/** True when the call ended on the fallback only because the provider kept answering 429: worth sending again. */
export function onlyRateLimited(r: GenerateResult<unknown>): boolean {
  return r.source === "fallback" && r.errors.length > 0 && r.errors.every((e) => e?.kind === "rate_limited");
}
