/** The rung whose answer a call returns: the last valid attempt of the answering model (0 when none is found). */
import type { AttemptRecord } from "../core/index.js";

export function winningRung(attempts: readonly AttemptRecord[], modelId: string): number {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const a = attempts[i]!;
    if ((a.outcome === "ok" || a.outcome === "repaired") && a.model === modelId) return a.rung;
  }
  return 0;
}
