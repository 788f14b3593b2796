/**
 * JSON recovery: turns what a model actually wrote into the value it meant, before any costly retry.
 * Public contract used by the client and the CLI:
 *   recover(text, { schema }) -> { ok: true, value, steps } | { ok: false, error, steps }
 * It never throws, whatever the input.
 */
import type { JsonSchema } from "../schema/json-schema.js";

export interface RecoverOptions {
  /** When known, guides extraction, repair and coercion toward this shape. */
  schema?: JsonSchema | null;
}

export type RecoveryResult =
  | { ok: true; value: unknown; steps: string[] }
  | { ok: false; error: string; steps: string[] };

const FENCE = /```(?:json|JSON)?\s*\n?([\s\S]*?)(?:```|$)/;

/** First cut: JSON.parse, then the body of a code fence. The full engine replaces this. */
export function recover(text: string, _options: RecoverOptions = {}): RecoveryResult {
  try {
    return { ok: true, value: JSON.parse(text), steps: [] };
  } catch {}
  const fence = FENCE.exec(text);
  if (fence?.[1] !== undefined) {
    try {
      return { ok: true, value: JSON.parse(fence[1]), steps: ["fence"] };
    } catch {}
  }
  return { ok: false, error: "no parseable JSON found", steps: [] };
}
