/**
 * OpenAI's structured-output rules for `strict: true` schemas (response_format json_schema and function
 * tools), checked as the API checks them: an object root, every object closed (`additionalProperties:
 * false`) with every property required, no unsupported keywords, and the nesting and size limits.
 * A violation throws the API's 400 (`invalid_json_schema`, naming the context path).
 */
import type { JsonSchema } from "../core/index.js";
import { InvalidRequestError } from "./invalid-request-error.js";

const MAX_DEPTH = 10;
const MAX_PROPERTIES = 5000;
const MAX_ENUM_VALUES = 1000;
const UNSUPPORTED = [
  "patternProperties",
  "unevaluatedProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "unevaluatedItems",
  "contains",
  "minContains",
  "maxContains",
  "if",
  "then",
  "else",
  "not",
  "dependentRequired",
  "dependentSchemas",
  "oneOf",
];

interface Walk {
  where: string;
  param: string;
  properties: number;
}

/** Throws the API's 400 when `schema` breaks a strict-mode rule. `where` is e.g. "response_format 'review'". */
export function checkStrictSchema(schema: JsonSchema, where: string, param: string) {
  const walk: Walk = { where, param, properties: 0 };
  const rootTypes = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (schema.anyOf !== undefined || !rootTypes.includes("object")) {
    fail(walk, `schema must be a JSON Schema of 'type: "object"', got 'type: "${String(schema.type ?? "None")}"'.`);
  }
  visit(walk, schema, [], 0);
  for (const [name, def] of Object.entries({
    ...(schema.$defs ?? {}),
    ...((schema as { definitions?: Record<string, JsonSchema> }).definitions ?? {}),
  })) {
    visit(walk, def, ["$defs", name], 0);
  }
}

function fail(walk: Walk, message: string): never {
  throw new InvalidRequestError(`Invalid schema for ${walk.where}: ${message}`, walk.param, "invalid_json_schema");
}

function context(path: string[]): string {
  return `context=(${path.map((p) => `'${p}'`).join(", ")}${path.length === 1 ? "," : ""})`;
}

function visit(walk: Walk, schema: JsonSchema, path: string[], depth: number) {
  if (typeof schema !== "object" || schema === null) return;
  if (depth > MAX_DEPTH) fail(walk, `In ${context(path)}, the schema exceeds the maximum nesting depth of ${MAX_DEPTH}.`);
  const record = schema as Record<string, unknown>;
  for (const keyword of UNSUPPORTED) {
    if (record[keyword] !== undefined) fail(walk, `In ${context(path)}, '${keyword}' is not permitted.`);
  }
  if (Array.isArray(schema.enum) && schema.enum.length > MAX_ENUM_VALUES) {
    fail(walk, `In ${context(path)}, an enum has ${schema.enum.length} values, more than the limit of ${MAX_ENUM_VALUES}.`);
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes("object") || schema.properties !== undefined) {
    const keys = Object.keys(schema.properties ?? {});
    walk.properties += keys.length;
    if (walk.properties > MAX_PROPERTIES) fail(walk, `the schema has more than ${MAX_PROPERTIES} object properties in total.`);
    if (schema.additionalProperties !== false) {
      fail(walk, `In ${context(path)}, 'additionalProperties' is required to be supplied and to be false.`);
    }
    const required = new Set(schema.required ?? []);
    const missing = keys.find((k) => !required.has(k));
    if (missing !== undefined) {
      fail(
        walk,
        `In ${context(path)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`,
      );
    }
    for (const [key, sub] of Object.entries(schema.properties ?? {})) visit(walk, sub, [...path, "properties", key], depth + 1);
  }
  if (schema.items !== undefined) visit(walk, schema.items, [...path, "items"], depth + 1);
  for (const [i, sub] of (schema.prefixItems ?? []).entries()) visit(walk, sub, [...path, "prefixItems", String(i)], depth + 1);
  for (const [i, sub] of (schema.anyOf ?? []).entries()) visit(walk, sub, [...path, "anyOf", String(i)], depth);
  for (const [i, sub] of (schema.allOf ?? []).entries()) visit(walk, sub, [...path, "allOf", String(i)], depth);
}
