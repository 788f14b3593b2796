/**
 * Constraints written into a field's description, as Anthropic's SDK (`"the score\n\n{minimum: 1, maximum: 10}"`)
 * and the AI SDK's Anthropic provider (`"minimum: 1; maximum: 10."`) move them there for native output. A real model
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

/** The AI SDK's wording: "minimum: 1; maximum: 10." (numbers only). */
const PROSE = /\b(minimum|maximum|exclusiveMinimum|exclusiveMaximum|multipleOf|minLength|maxLength|minItems|maxItems): (-?\d+(?:\.\d+)?)/g;

function parseTrailer(description: string): Record<string, unknown> {
  const m = description.endsWith("}") ? TRAILER.exec(description) : null;
  if (!m) return {};
  try {
    return JSON.parse(`{${(m[1] as string).replace(/(^|, )([A-Za-z]+): /g, '$1"$2": ')}}`) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The schema with constraints found in its description added (those it already has win). */
export function withDescribedConstraints(schema: JsonSchema): JsonSchema {
  const description = schema.description;
  if (typeof description !== "string" || !description.includes(": ")) return schema;
  const parsed = parseTrailer(description);
  for (const m of description.matchAll(PROSE)) if (parsed[m[1] as string] === undefined) parsed[m[1] as string] = Number(m[2]);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (KEYWORDS.has(key) && (schema as Record<string, unknown>)[key] === undefined) extra[key] = value;
  }
  return Object.keys(extra).length > 0 ? ({ ...schema, ...extra } as JsonSchema) : schema;
}
