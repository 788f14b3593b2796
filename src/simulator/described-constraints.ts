/**
 * Constraints written into a field's description, as Anthropic's SDK (and the AI SDK's Anthropic provider)
 * move them there for native structured output: `"the score\n\n{minimum: 1, maximum: 10}"`. A real model
 * reads and follows them, so the simulator's answers do too.
 */
import type { JsonSchema } from "../schema/json-schema.js";

const KEYWORDS = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minItems",
  "maxItems",
]);

const TRAILER = /\{([A-Za-z]+: [^\n]*)\}\s*$/;

/** The schema with constraints found at the end of its description added (those it already has win). */
export function withDescribedConstraints(schema: JsonSchema): JsonSchema {
  const description = schema.description;
  if (typeof description !== "string" || !description.endsWith("}")) return schema;
  const m = TRAILER.exec(description);
  if (!m) return schema;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(`{${(m[1] as string).replace(/(^|, )([A-Za-z]+): /g, '$1"$2": ')}}`) as Record<string, unknown>;
  } catch {
    return schema;
  }
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (KEYWORDS.has(key) && (schema as Record<string, unknown>)[key] === undefined) extra[key] = value;
  }
  return Object.keys(extra).length > 0 ? ({ ...schema, ...extra } as JsonSchema) : schema;
}
