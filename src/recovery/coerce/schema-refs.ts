/** Resolves `$ref` (local JSON pointers into `$defs`/`definitions`) and flattens `allOf`, detecting cycles.
 * Everything else in the coercion engine sees plain schema nodes without indirection. */
import { resolveLocalRef, type JsonSchema } from "../../core/index.js";

export type Resolved = { ok: true; schema: JsonSchema } | { ok: false; error: string };

const MAX_REF_CHAIN = 64;

/** Follows `$ref` chains and merges `allOf` members into one node. */
export function resolveSchema(schema: unknown, root: JsonSchema, cache: Map<object, Resolved>): Resolved {
  if (schema === true || schema === undefined) return { ok: true, schema: {} };
  if (schema === false) return { ok: false, error: "schema forbids any value" };
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return { ok: false, error: "invalid schema node" };
  const cached = cache.get(schema);
  if (cached) return cached;
  const result = resolveUncached(schema as JsonSchema, root, cache);
  cache.set(schema, result);
  return result;
}

function resolveUncached(schema: JsonSchema, root: JsonSchema, cache: Map<object, Resolved>): Resolved {
  let node = schema;
  const seen = new Set<object>();
  while (node.$ref !== undefined) {
    if (seen.has(node) || seen.size > MAX_REF_CHAIN) return { ok: false, error: "circular $ref" };
    seen.add(node);
    if (typeof node.$ref !== "string") return { ok: false, error: "invalid $ref" };
    const target = lookup(root, node.$ref);
    if (!target) return { ok: false, error: `unresolvable $ref ${node.$ref}` };
    const { $ref: _ref, ...siblings } = node;
    node = Object.keys(siblings).length > 0 && !onlyAnnotations(siblings) ? { ...target, ...siblings } : target;
  }
  if (Array.isArray(node.allOf) && node.allOf.length > 0) {
    const { allOf, ...rest } = node;
    let merged: JsonSchema = rest;
    for (const part of allOf) {
      const r = resolveSchema(part, root, cache);
      if (!r.ok) return r;
      merged = mergeSchemas(merged, r.schema);
    }
    node = merged;
  }
  return { ok: true, schema: node };
}

const ANNOTATIONS = new Set(["description", "title", "default", "examples", "$comment", "deprecated"]);
function onlyAnnotations(node: Record<string, unknown>): boolean {
  return Object.keys(node).every((k) => ANNOTATIONS.has(k));
}

function lookup(root: JsonSchema, ref: string): JsonSchema | null {
  const node = resolveLocalRef(root, ref);
  return node !== null && typeof node === "object" && !Array.isArray(node) ? (node as JsonSchema) : null;
}

function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...a, ...b };
  if (a.properties || b.properties) out.properties = { ...a.properties, ...b.properties };
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  return out;
}
