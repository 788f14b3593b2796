/**
 * Helpers to read a JSON Schema the way the generators need: resolve local `$ref`s and report which
 * types a (sub)schema admits, including nullability via `anyOf` or type arrays.
 */
import { resolveLocalRef, type JsonSchema } from "../core/index.js";

/** Resolves `#`, `#/$defs/x` and `#/definitions/x` (and any JSON pointer into the root). */
export function resolveRef(root: JsonSchema, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined && hops < 32; hops++) {
    const ref = current.$ref;
    const target = resolveLocalRef(root, ref);
    if (typeof target !== "object" || target === null) return {};
    const { $ref: _ignored, ...rest } = current;
    current = Object.keys(rest).length > 0 ? { ...(target as JsonSchema), ...rest } : (target as JsonSchema);
  }
  return current;
}

/** The branches of a union (`anyOf`/`oneOf`), or null when the schema is not one. */
export function unionBranches(schema: JsonSchema): JsonSchema[] | null {
  return schema.anyOf ?? schema.oneOf ?? null;
}

export function typesOf(schema: JsonSchema): string[] {
  if (schema.type === undefined) {
    if (schema.properties) return ["object"];
    if (schema.items || schema.prefixItems) return ["array"];
    return [];
  }
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** Merges `allOf` members into one object schema (properties and required unioned). */
export function mergeAllOf(root: JsonSchema, schema: JsonSchema): JsonSchema {
  if (!schema.allOf) return schema;
  const { allOf, ...base } = schema;
  const merged: JsonSchema = { ...base, properties: { ...(base.properties ?? {}) }, required: [...(base.required ?? [])] };
  for (const part of allOf) {
    const p = mergeAllOf(root, resolveRef(root, part));
    Object.assign(merged.properties as object, p.properties ?? {});
    (merged.required as string[]).push(...(p.required ?? []));
    if (p.type !== undefined && merged.type === undefined) merged.type = p.type;
  }
  return merged;
}
