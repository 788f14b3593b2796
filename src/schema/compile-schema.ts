/**
 * Compiles a caller's schema once (cached per schema object): the neutral JSON Schema, its provider
 * dialects, and the post-parse steps (unwrap the root, drop nulls the strict dialect put in optional
 * fields) before validation with the caller's own validator.
 */
import { ConfigurationError } from "../errors/index.js";
import type { JsonSchema } from "../core/index.js";
import { type StandardSchemaV1, type Validation, validate } from "./standard-schema.js";
import { toJsonSchema } from "./to-json-schema.js";
import { needsWrap, wrapRoot } from "./wrap-root.js";

export interface CompiledSchema<T = unknown> {
  source: StandardSchemaV1<unknown, T>;
  /** The caller's schema as JSON Schema (unwrapped): what recovery coerces toward. */
  json: JsonSchema;
  /** What providers receive: `json`, wrapped in `{ value }` when its root is not an object. */
  wire: JsonSchema;
  wrapped: boolean;
  /** Unwraps and cleans a parsed wire value, then validates it with the caller's validator. */
  check(value: unknown): Validation<T> | Promise<Validation<T>>;
  /** Unwraps a wire value (the `{ value }` wrapper) without validating. */
  unwrap(value: unknown): unknown;
  /** Names of Ballast's own fields added to the wire schema (see `withExtraFields`). */
  extraFields: readonly string[];
  /** Takes Ballast's extra fields off a parsed wire value (mutating it) and returns them. */
  takeExtras(value: unknown): Record<string, unknown>;
  /** Free text, no schema: the provider is asked for prose and the reply is not parsed (`llm.text`). */
  freeText?: boolean;
}

const textSource: StandardSchemaV1<unknown, string> = {
  "~standard": {
    version: 1,
    vendor: "ballast",
    validate: (v) => (typeof v === "string" && v.trim() ? { value: v } : { issues: [{ message: "expected a non-empty text answer" }] }),
  },
};

/** The "schema" of a free-text call: any non-empty string, sent as no schema at all. */
export const FREE_TEXT: CompiledSchema<string> = {
  source: textSource,
  json: { type: "string" },
  wire: { type: "string" },
  wrapped: false,
  freeText: true,
  unwrap: (v) => v,
  check: (v) => validate(textSource, v),
  extraFields: [],
  takeExtras: () => ({}),
};

const cache = new WeakMap<object, CompiledSchema>();
const extended = new WeakMap<CompiledSchema, Map<string, CompiledSchema>>();

/**
 * The same schema with Ballast's own fields added next to the caller's (e.g. `prompt_feedback`,
 * `revealing_private_context`): the model fills them, `takeExtras` strips them before validation, so the
 * caller's value never sees them. Optional in the neutral schema; strict dialects make them nullable.
 */
export function withExtraFields<T>(base: CompiledSchema<T>, fields: Record<string, JsonSchema>): CompiledSchema<T> {
  const names = Object.keys(fields).sort();
  if (names.length === 0) return base;
  const key = JSON.stringify(names.map((n) => [n, fields[n]]));
  let byKey = extended.get(base as CompiledSchema);
  const hit = byKey?.get(key);
  if (hit) return hit as CompiledSchema<T>;
  const target = base.wrapped ? base.wire : base.json;
  const clash = names.find((n) => target.properties && n in target.properties);
  if (clash) throw new ConfigurationError(`the schema already has a field named "${clash}", which Ballast adds itself; rename it`);
  const wire: JsonSchema = { ...base.wire, properties: { ...base.wire.properties, ...fields } };
  const derived: CompiledSchema<T> = {
    ...base,
    wire,
    extraFields: names,
    takeExtras(value) {
      const extras: Record<string, unknown> = {};
      if (value === null || typeof value !== "object" || Array.isArray(value)) return extras;
      const record = value as Record<string, unknown>;
      for (const name of names) {
        if (name in record) {
          extras[name] = record[name];
          delete record[name];
        }
      }
      return extras;
    },
  };
  if (!byKey) extended.set(base as CompiledSchema, (byKey = new Map()));
  byKey.set(key, derived as CompiledSchema);
  return derived;
}

export function compileSchema<T>(source: StandardSchemaV1<unknown, T>): CompiledSchema<T> {
  const hit = cache.get(source);
  if (hit) return hit as CompiledSchema<T>;
  const json = toJsonSchema(source);
  const wrapped = needsWrap(json);
  const wire = wrapped ? wrapRoot(json) : json;
  const optionals = hasOptionalProperty(json);
  const compiled: CompiledSchema<T> = {
    source,
    json,
    wire,
    wrapped,
    unwrap(value) {
      if (!wrapped) return value;
      return value !== null && typeof value === "object" && !Array.isArray(value) && "value" in value
        ? (value as { value: unknown }).value
        : value;
    },
    check(value) {
      const unwrapped = compiled.unwrap(value);
      return validate(source, optionals ? dropNullOptionals(unwrapped, json, json) : unwrapped);
    },
    extraFields: [],
    takeExtras: () => ({}),
  };
  cache.set(source, compiled as CompiledSchema);
  return compiled;
}

/**
 * Deletes `key: null` where the schema says the key is optional and not nullable: strict providers send
 * optional fields as null. Iterative over the value, following the schema alongside.
 */
export function dropNullOptionals(value: unknown, schema: JsonSchema, root: JsonSchema): unknown {
  const stack: Array<[unknown, JsonSchema | undefined]> = [[value, schema]];
  while (stack.length) {
    const [node, rawSchema] = stack.pop()!;
    const s = resolve(rawSchema, root);
    if (!s || node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push([item, s.items]);
      continue;
    }
    const record = node as Record<string, unknown>;
    const branch = s.properties ? s : pickBranch(s, record, root);
    if (!branch?.properties) continue;
    const required = new Set(branch.required ?? []);
    for (const [key, child] of Object.entries(record)) {
      const propSchema = branch.properties[key];
      if (child === null && propSchema && !required.has(key) && !allowsNullDeep(propSchema, root)) delete record[key];
      else stack.push([child, propSchema]);
    }
  }
  return value;
}

/**
 * Whether any object in the schema has a property it does not require (or the schema is too dynamic to
 * tell: a $ref, a union, free-form items): without one there is no null for `dropNullOptionals` to drop.
 */
function hasOptionalProperty(schema: JsonSchema): boolean {
  const stack: unknown[] = [schema];
  while (stack.length) {
    const s = stack.pop() as JsonSchema | undefined;
    if (!s || typeof s !== "object") continue;
    if (s.$ref || s.anyOf || s.oneOf || s.allOf) return true;
    if (s.properties) {
      const required = new Set(s.required ?? []);
      for (const [key, child] of Object.entries(s.properties)) {
        if (!required.has(key)) return true;
        stack.push(child);
      }
    }
    if (s.additionalProperties && typeof s.additionalProperties === "object") stack.push(s.additionalProperties);
    if (s.items) stack.push(...(Array.isArray(s.items) ? s.items : [s.items]));
    if (s.prefixItems) stack.push(...s.prefixItems);
  }
  return false;
}

function resolve(schema: JsonSchema | undefined, root: JsonSchema): JsonSchema | undefined {
  let s = schema;
  for (let hops = 0; s?.$ref && hops < 16; hops++) {
    const ref: string = s.$ref;
    s = ref === "#" ? root : ref.startsWith("#/$defs/") ? root.$defs?.[ref.slice(8)] : undefined;
  }
  return s;
}

function pickBranch(s: JsonSchema, record: Record<string, unknown>, root: JsonSchema): JsonSchema | undefined {
  const branches = (s.anyOf ?? s.oneOf ?? []).map((b) => resolve(b, root)).filter((b): b is JsonSchema => !!b?.properties);
  return branches.find((b) => Object.entries(b.properties!).every(([k, p]) => p.const === undefined || p.const === record[k]));
}

function allowsNullDeep(schema: JsonSchema, root: JsonSchema): boolean {
  const s = resolve(schema, root);
  if (!s) return true;
  if (s.type === "null" || (Array.isArray(s.type) && s.type.includes("null"))) return true;
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some((b) => allowsNullDeep(b, root));
}
