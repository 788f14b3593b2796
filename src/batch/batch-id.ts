/** Batch run ids: time-ordered and short, e.g. "b_m3k2x9_4f1a". */
import { randomBytes } from "node:crypto";

export function newBatchId(): string {
  return `b_${Date.now().toString(36)}_${randomBytes(2).toString("hex")}`;
}
