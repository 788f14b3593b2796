/**
 * The seam between parsing and schema-aligned coercion (src/recovery/coerce/, owned separately): recover()
 * hands every candidate value plus the reply text and repair steps to coerce() whenever a schema is known.
 */
import type { JsonSchema } from "../core/index.js";
import { coerce } from "./coerce/index.js";

export type CoerceResult = { ok: true; value: unknown; steps: string[] } | { ok: false; error: string; steps: string[] };

export interface CoerceInput {
  /** The parser's preferred value; `undefined` when no JSON was found at all. */
  value: unknown;
  /** Further values found in the reply, in document order. */
  alternatives: readonly unknown[];
  /** The reply as the model wrote it. */
  text: string;
  /** Repair steps the parser applied. */
  repairs: readonly string[];
  /** Streaming: the value may be incomplete. */
  partial?: boolean;
  /** The text an object or array of the value was written as in the reply, when known. */
  source?: ((node: object) => string | undefined) | undefined;
  /** Whether a member of an object of the value was written with no value at all (`"count": ,`). */
  valueless?: ((node: object, key: string) => boolean) | undefined;
}

export function coerceValue(input: CoerceInput, schema: JsonSchema): CoerceResult {
  return coerce(input.value, schema, {
    text: input.text,
    alternatives: input.alternatives,
    repairs: input.repairs,
    mode: input.partial ? "partial" : "final",
    source: input.source,
    valueless: input.valueless,
  });
}
