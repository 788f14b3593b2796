/**
 * How well a parsed value fits a JSON Schema, as a number in [0, 1]: used to pick among several candidate
 * values in a reply, and the property names the schema expects, used to disambiguate inner quotes.
 */
import { resolveLocalRef, type JsonSchema } from "../core/index.js";

const MAX_DEPTH = 64;

/** Follows a local `#/...` reference once; anything else is returned as is. */
export function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  const node = resolveLocalRef(root, ref);
  return node !== null && typeof node === "object" ? (node as JsonSchema) : schema;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Fit of `value` to `schema`: 1 is a perfect match of shape and property names, 0 no resemblance. */
export function schemaFit(value: unknown, schema: JsonSchema, root: JsonSchema = schema, depth = 0): number {
  if (depth > MAX_DEPTH) return 0.5;
  const s = resolve(schema, root);
  const branches = s.anyOf ?? s.oneOf;
  if (Array.isArray(branches) && branches.length > 0) {
    let best = 0;
    for (const branch of branches) best = Math.max(best, schemaFit(value, branch, root, depth + 1));
    return best;
  }
  const types = s.type === undefined ? (s.properties ? ["object"] : []) : Array.isArray(s.type) ? s.type : [s.type];
  const actual = typeOf(value);
  if (types.length === 0) return 0.5;
  if (types.includes("object") && actual === "object") {
    const props = s.properties ?? {};
    const names = Object.keys(props);
    if (names.length === 0) return 0.8;
    const lower = new Map(names.map((name) => [name.toLowerCase(), name]));
    let matched = 0;
    let extra = 0;
    let inner = 0;
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      const name = lower.get(key.toLowerCase());
      if (name === undefined) extra++;
      else {
        matched++;
        inner += schemaFit(object[key], props[name]!, root, depth + 1);
      }
    }
    if (matched === 0) return 0.1;
    return 0.3 + 0.4 * (matched / names.length) + 0.3 * (inner / matched) - 0.05 * Math.min(extra, 4);
  }
  if (types.includes("array") && actual === "array") {
    const items = value as unknown[];
    if (items.length === 0 || s.items === undefined) return 0.8;
    let sum = 0;
    const sample = Math.min(items.length, 8);
    for (let i = 0; i < sample; i++) sum += schemaFit(items[i], s.items, root, depth + 1);
    return 0.4 + 0.6 * (sum / sample);
  }
  if (types.includes(actual) || (actual === "integer" && types.includes("number"))) return 1;
  if (actual === "string" && types.some((t) => t === "number" || t === "integer" || t === "boolean")) return 0.4;
  return 0.05;
}

/**
 * Every property name (and x-baml-alias) the schema mentions anywhere, for key-shaped lookahead. A map
 * anywhere (an object whose `additionalProperties` or `patternProperties` is a schema) takes keys nobody
 * can list: then the set is empty, which means "any key".
 */
export function expectedKeys(schema: JsonSchema): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const queue: unknown[] = [schema];
  while (queue.length > 0) {
    const node = queue.pop();
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) queue.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    const extra = record.additionalProperties;
    if (
      (extra !== null && typeof extra === "object") ||
      (record.patternProperties !== null && typeof record.patternProperties === "object")
    ) {
      return new Set();
    }
    const props = record.properties;
    if (props !== null && typeof props === "object" && !Array.isArray(props)) {
      for (const [name, sub] of Object.entries(props)) {
        keys.add(name);
        const alias = (sub as Record<string, unknown> | null)?.["x-baml-alias"];
        if (typeof alias === "string") keys.add(alias);
      }
    }
    for (const value of Object.values(record)) if (value !== null && typeof value === "object") queue.push(value);
  }
  return keys;
}
