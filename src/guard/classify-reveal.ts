/**
 * Lands each call in one of four outcomes: no reveal; authorised reveal (secret supplied); self-reported
 * leak (flag true without the secret); silent leak (the detector fires while the model says it did not).
 */
import type { PrivateContextReport } from "../core/index.js";

export function classifyReveal(secretSupplied: boolean, modelFlag: boolean, detected: boolean): PrivateContextReport {
  let outcome: PrivateContextReport["outcome"];
  if (secretSupplied) outcome = modelFlag || detected ? "authorized" : "none";
  else if (modelFlag) outcome = "self_reported";
  else if (detected) outcome = "silent";
  else outcome = "none";
  return { outcome, modelFlag, detected };
}
