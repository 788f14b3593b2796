/** Schema-aligned coercion: reshapes a recovered value into what the schema asks for, listing every step.
 * Entry points: coerce() for the recovery pipeline, fitScore() to rank candidate values before choosing one. */
import type { JsonSchema } from "../../core/index.js";
import { align } from "./align.js";
import { coerceCandidates, newContext } from "./candidates.js";
import type { CoerceOptions, CoerceResult } from "./types.js";

export type { CoerceOptions, CoerceResult } from "./types.js";

/** Coerces `value` toward `schema`. Never throws; never invents a required value (it fails instead). */
export function coerce(value: unknown, schema: JsonSchema, options: CoerceOptions = {}): CoerceResult {
  try {
    return coerceCandidates(value, schema, options);
  } catch (error) {
    return {
      ok: false,
      error: `coercion failed: ${error instanceof Error ? error.message : String(error)}`,
      steps: [],
    };
  }
}

/** How well `value` fits `schema`: 1 exact, towards 0 the more coercion it needs, 0 when it cannot fit. Never throws. */
export function fitScore(value: unknown, schema: JsonSchema): number {
  try {
    const o = align(value, schema, newContext(schema, {}, [value]), null, 0, 0);
    return o.ok ? 1 / (1 + o.cost) : 0;
  } catch {
    return 0;
  }
}
