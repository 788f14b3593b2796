/**
 * The schema's deep-partial form, checked one value at a time while a reply streams: every field optional,
 * but whatever is shown has the right type, and enums, consts and numbers only once complete.
 */
import type { JsonSchema } from "../core/index.js";

/** A schema nothing fits (an unknown key where the schema lists its keys, no union branch for the type). */
export const NEVER: JsonSchema = Object.freeze({ not: {} }) as JsonSchema;

type Kind = "string" | "number" | "boolean" | "null" | "object" | "array";

export function kindOf(value: unknown): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as Kind;
}

export function resolveRef(schema: JsonSchema | undefined, root: JsonSchema): JsonSchema | undefined {
  let s = schema;
  for (let hops = 0; s?.$ref && hops < 16; hops++) {
    const ref: string = s.$ref;
    s = ref === "#" ? root : ref.startsWith("#/$defs/") ? root.$defs?.[ref.slice(8)] : undefined;
  }
  return s;
}

/** Does the schema admit a value of this JSON kind? Undefined means "anything" (no schema to hold it to). */
export function allowsKind(s: JsonSchema | undefined, kind: Kind): boolean {
  if (s === undefined) return true;
  if (s === NEVER) return false;
  const type = s.type;
  if (type !== undefined) {
    const types = typeof type === "string" ? [type] : type;
    return types.includes(kind) || (kind === "number" && types.includes("integer"));
  }
  if (s.enum) return s.enum.some((v) => kindOf(v) === kind);
  if ("const" in s) return kindOf(s.const) === kind;
  if (s.properties) return kind === "object";
  if (s.items || s.prefixItems) return kind === "array";
  return true;
}

/**
 * The branch of `schema` that describes `value`: $refs followed, a union narrowed by the value's kind and,
 * for objects, by a discriminating `const` field once it is there. Undefined while still ambiguous.
 */
export function branchFor(schema: JsonSchema | undefined, value: unknown, root: JsonSchema, open = false): JsonSchema | undefined {
  const s = resolveRef(schema, root);
  if (s === undefined || s === NEVER) return s;
  const branches = s.anyOf ?? s.oneOf;
  if (!branches) return s;
  const kind = kindOf(value);
  const candidates = branches.map((b) => resolveRef(b, root)).filter((b): b is JsonSchema => b !== undefined && allowsKind(b, kind));
  if (candidates.length === 0) return NEVER;
  if (candidates.length === 1) return branchFor(candidates[0], value, root);
  if (kind === "object") {
    const record = value as Record<string, unknown>;
    const matching = candidates.filter((b) =>
      Object.entries(b.properties ?? {}).every(([k, p]) => p.const === undefined || !(k in record) || p.const === record[k]),
    );
    const decided = matching.filter((b) => Object.entries(b.properties ?? {}).some(([k, p]) => p.const !== undefined && k in record));
    // an open object's discriminator may still be growing: it decides nothing until complete
    if (matching.length === 0) return open ? undefined : NEVER;
    if (decided.length === 1) return branchFor(decided[0], value, root);
  }
  return undefined;
}

/** Whether `s` describes a union still waiting for its discriminator. */
export function isUnion(schema: JsonSchema | undefined, root: JsonSchema): boolean {
  const s = resolveRef(schema, root);
  return !!(s && (s.anyOf || s.oneOf));
}

/**
 * A member of an object whose union branch is not decided yet: a discriminator (const or enum in some
 * branch) shows only once complete and only as one of the branches' values; anything else is unconstrained.
 */
export function undecidedChild(union: JsonSchema | undefined, key: string, root: JsonSchema): JsonSchema | undefined {
  const s = resolveRef(union, root);
  const values: unknown[] = [];
  for (const branch of s?.anyOf ?? s?.oneOf ?? []) {
    const p = resolveRef(branch, root)?.properties?.[key];
    if (p?.const !== undefined) values.push(p.const);
    else if (p?.enum) values.push(...p.enum);
  }
  return values.length ? { enum: values } : undefined;
}

/** The schema of a member (by key) or an element (by index); NEVER for a key the schema does not list. */
export function childSchema(s: JsonSchema | undefined, key: string | number): JsonSchema | undefined {
  if (s === undefined) return undefined;
  if (s === NEVER) return NEVER;
  if (typeof key === "number") return s.prefixItems?.[key] ?? (typeof s.items === "object" ? s.items : undefined);
  const own = s.properties && Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
  if (own) return own;
  if (typeof s.additionalProperties === "object") return s.additionalProperties;
  if (s.additionalProperties === false || s.properties) return NEVER;
  return undefined;
}

const patterns = new WeakMap<JsonSchema, RegExp | null>();

function patternOf(s: JsonSchema): RegExp | null {
  let re = patterns.get(s);
  if (re === undefined) {
    try {
      re = new RegExp(s.pattern as string, "u");
    } catch {
      re = null;
    }
    patterns.set(s, re);
  }
  return re;
}

/** A complete scalar (string, number, boolean, null) against its (resolved) schema. */
export function scalarFits(value: unknown, s: JsonSchema | undefined): boolean {
  if (s === undefined) return true;
  if (s === NEVER) return false;
  const kind = kindOf(value);
  if (!allowsKind(s, kind)) return false;
  if (s.enum && !s.enum.includes(value)) return false;
  if ("const" in s && s.const !== undefined && s.const !== value) return false;
  if (kind === "number") {
    const n = value as number;
    const types = s.type === undefined ? [] : typeof s.type === "string" ? [s.type] : s.type;
    if (types.includes("integer") && !types.includes("number") && !Number.isInteger(n)) return false;
    if (s.minimum !== undefined && n < s.minimum) return false;
    if (s.maximum !== undefined && n > s.maximum) return false;
    if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) return false;
    if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) return false;
  } else if (kind === "string") {
    const str = value as string;
    if (s.minLength !== undefined && str.length < s.minLength) return false;
    if (s.maxLength !== undefined && str.length > s.maxLength) return false;
    if (typeof s.pattern === "string" && patternOf(s)?.test(str) === false) return false;
  }
  return true;
}

/** May a string still being written show in a snapshot? Not for enums and consts (only once complete). */
export function growingStringShows(value: string, s: JsonSchema | undefined): boolean {
  if (s === undefined) return true;
  if (s === NEVER || !allowsKind(s, "string") || s.enum || ("const" in s && s.const !== undefined)) return false;
  return s.maxLength === undefined || value.length <= s.maxLength;
}
