/**
 * The OpenAI strict structured-output dialect: every property required (optional becomes nullable),
 * `additionalProperties: false`, `oneOf` as `anyOf`, unsupported keywords stripped (they are still enforced
 * by the caller's validator after parsing). Free-form records cannot be strict: they are sent with
 * `strict: false` instead of failing.
 */
import type { JsonSchema } from "../core/index.js";

const SUPPORTED_FORMATS = new Set(["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"]);
const STRIPPED = [
  "minLength",
  "maxLength",
  "minProperties",
  "maxProperties",
  "patternProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "propertyNames",
  "default",
  "if",
  "then",
  "else",
  "not",
  "dependentRequired",
  "dependentSchemas",
  "contains",
  "minContains",
  "maxContains",
  "uniqueItems",
  "examples",
  "$schema",
  "$id",
  "title",
];

export interface StrictSchema {
  schema: JsonSchema;
  /** False when the schema holds something strict mode cannot express (a free-form record). */
  strict: boolean;
}

const cache = new WeakMap<JsonSchema, StrictSchema>();

/** Cached per schema object: compiled schemas are reused across calls, so this runs once per schema. */
export function toOpenAIStrict(schema: JsonSchema): StrictSchema {
  let hit = cache.get(schema);
  if (!hit) {
    const state = { strict: true };
    hit = { schema: convert(schema, state) as JsonSchema, strict: state.strict };
    cache.set(schema, hit);
  }
  return hit;
}

function convert(node: unknown, state: { strict: boolean }): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, state));
  if (node === null || typeof node !== "object") return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(src)) {
    if (STRIPPED.includes(key)) continue;
    if (key === "format" && !SUPPORTED_FORMATS.has(String(value))) continue;
    if (key === "oneOf") out.anyOf = convert(value, state) as JsonSchema[];
    else if (key === "allOf" && Array.isArray(value) && value.length === 1) Object.assign(out, convert(value[0], state));
    else if (key === "properties" || key === "$defs") {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, convert(v, state) as JsonSchema]),
      ) as Record<string, JsonSchema>;
    } else out[key] = convert(value, state);
  }
  const isObject = src.type === "object" || src.properties !== undefined;
  if (isObject) {
    if (src.additionalProperties !== undefined && src.additionalProperties !== false && !src.properties) state.strict = false;
    const properties = (out.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(src.required ?? []);
    for (const [key, prop] of Object.entries(properties)) {
      if (!required.has(key)) properties[key] = nullable(prop);
    }
    out.properties = properties;
    out.required = Object.keys(properties);
    if (state.strict) out.additionalProperties = false;
  }
  return out;
}

function allowsNull(node: JsonSchema): boolean {
  if (node.type === "null" || (Array.isArray(node.type) && node.type.includes("null"))) return true;
  return (node.anyOf ?? []).some(allowsNull);
}

function nullable(node: JsonSchema): JsonSchema {
  if (allowsNull(node)) return node;
  if (typeof node.type === "string" && !node.enum && !node.const && !node.anyOf) return { ...node, type: [node.type, "null"] };
  if (node.anyOf) return { ...node, anyOf: [...node.anyOf, { type: "null" }] };
  const { description, ...rest } = node;
  return { anyOf: [rest, { type: "null" }], ...(description ? { description } : {}) };
}
