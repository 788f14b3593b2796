/**
 * Idempotent job ids: one row (its id and its content hash) always gets the same id, so enqueueing it again is
 * a no-op while its job exists, and a changed task or input gets a new one. BullMQ ids may not hold ":".
 */
import { createHash } from "node:crypto";

export function jobIdOf(key: string, hash: string): string {
  const digest = createHash("sha256").update(key).digest("base64url").slice(0, 16);
  return `r_${hash}_${digest}`;
}
