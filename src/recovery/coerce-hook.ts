/**
 * HOOK for schema-aligned coercion (src/recovery/coerce/, owned separately): recover() calls coerceValue()
 * after parsing whenever a schema is known. Until coerce/index.ts exports `coerce`, values pass through.
 */
import type { JsonSchema } from "../schema/json-schema.js";

export type CoerceResult =
  | { ok: true; value: unknown; steps: string[] }
  | { ok: false; error: string; steps: string[] };

export type Coercer = (value: unknown, schema: JsonSchema) => CoerceResult;

let coercer: Coercer | null = null;

/** WIRE HERE: `import { coerce } from "./coerce/index.js"; registerCoercer(coerce);` once it exists. */
export function registerCoercer(fn: Coercer | null): void {
  coercer = fn;
}

export function coerceValue(value: unknown, schema: JsonSchema): CoerceResult {
  if (coercer === null) return { ok: true, value, steps: [] };
  return coercer(value, schema);
}
