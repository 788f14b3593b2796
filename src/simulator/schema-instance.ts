/**
 * Generates a schema-valid instance of a JSON Schema (types, enums, const, nested objects, arrays with
 * min/max items, numeric bounds, nullable unions, $ref/$defs, common string formats), from a seeded Rng.
 */
import type { JsonSchema } from "../schema/json-schema.js";
import { withDescribedConstraints } from "./described-constraints.js";
import type { Rng } from "./random.js";
import { mergeAllOf, resolveRef, typesOf, unionBranches } from "./schema-walk.js";
import { stringForField } from "./words.js";

const MAX_DEPTH = 8;

export function generateInstance(root: JsonSchema, rng: Rng): unknown {
  return generate(root, root, rng, 0, undefined);
}

/** Generates a value for `schema` (a subschema of `root`); `field` is the property name, a hint for strings. */
export function generate(root: JsonSchema, input: JsonSchema, rng: Rng, depth: number, field: string | undefined): unknown {
  const schema = withDescribedConstraints(mergeAllOf(root, resolveRef(root, input)));
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return rng.pick(schema.enum);
  const branches = unionBranches(schema);
  if (branches && branches.length > 0) {
    const nonNull = branches.filter(
      (b) => !typesOf(resolveRef(root, b)).every((t) => t === "null") || typesOf(resolveRef(root, b)).length === 0,
    );
    const hasNull = nonNull.length < branches.length;
    const useNull = hasNull && (nonNull.length === 0 || depth >= MAX_DEPTH || rng.chance(0.15));
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    const branch = useNull ? { type: "null" } : rng.pick(nonNull);
    return generate(root, { ...rest, ...resolveRef(root, branch) }, rng, depth, field);
  }
  let types = typesOf(schema);
  if (types.length === 0) types = ["string"];
  let type: string;
  if (types.length === 1) type = types[0] as string;
  else {
    const nonNull = types.filter((t) => t !== "null");
    type = nonNull.length === 0 || (types.includes("null") && (depth >= MAX_DEPTH || rng.chance(0.15))) ? "null" : rng.pick(nonNull);
  }
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return rng.chance(0.5);
    case "integer":
      return integerIn(schema, rng);
    case "number":
      return numberIn(schema, rng);
    case "array":
      return arrayOf(root, schema, rng, depth);
    case "object":
      return objectOf(root, schema, rng, depth);
    default:
      return stringFor(schema, rng, field);
  }
}

function bounds(schema: JsonSchema, integer: boolean): [number, number] {
  const step = integer ? 1 : 0.01;
  let lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + step : undefined);
  let hi = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - step : undefined);
  if (lo === undefined && hi === undefined) [lo, hi] = [0, 100];
  else if (lo === undefined) lo = (hi as number) - 100;
  else if (hi === undefined) hi = lo + 100;
  return [lo as number, hi as number];
}

function integerIn(schema: JsonSchema, rng: Rng): number {
  const [lo, hi] = bounds(schema, true);
  const min = Math.ceil(lo);
  const max = Math.floor(hi);
  const multiple = typeof schema.multipleOf === "number" && schema.multipleOf > 0 ? schema.multipleOf : 1;
  const first = Math.ceil(min / multiple);
  const last = Math.floor(max / multiple);
  if (last < first) return min;
  return rng.int(first, last) * multiple;
}

function numberIn(schema: JsonSchema, rng: Rng): number {
  if (typeof schema.multipleOf === "number") return integerIn(schema, rng);
  const [lo, hi] = bounds(schema, false);
  const value = Math.round((lo + rng.next() * (hi - lo)) * 100) / 100;
  return Math.min(hi, Math.max(lo, value));
}

function arrayOf(root: JsonSchema, schema: JsonSchema, rng: Rng, depth: number): unknown[] {
  const prefix = schema.prefixItems ?? [];
  const min = Math.max(schema.minItems ?? 0, 0);
  const max = schema.maxItems ?? Math.max(min, 3);
  const count = depth >= MAX_DEPTH ? min : rng.int(Math.max(min, Math.min(1, max)), Math.min(max, Math.max(min, 3)));
  const out: unknown[] = [];
  const itemSchema = schema.items ?? {};
  for (let i = 0; i < count; i++) {
    const sub = prefix[i] ?? itemSchema;
    out.push(generate(root, sub, rng, depth + 1, undefined));
  }
  if (schema.uniqueItems === true) {
    const seen = new Set<string>();
    const unique = out.filter((v) => {
      const key = JSON.stringify(v);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    for (let tries = 0; unique.length < min && tries < 50; tries++) {
      const v = generate(root, prefix[unique.length] ?? itemSchema, rng, depth + 1, undefined);
      const key = JSON.stringify(v);
      if (!seen.has(key)) {
        seen.add(key);
        unique.push(v);
      }
    }
    return unique;
  }
  return out;
}

function objectOf(root: JsonSchema, schema: JsonSchema, rng: Rng, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (!required.has(key) && (depth >= MAX_DEPTH || rng.chance(0.3))) continue;
    out[key] = generate(root, sub, rng, depth + 1, key);
  }
  return out;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function formatted(format: string, rng: Rng): string | undefined {
  const year = rng.int(2019, 2026);
  const date = `${year}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  const time = `${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;
  const hex = (n: number) => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join("");
  switch (format) {
    case "date":
      return date;
    case "date-time":
      return `${date}T${time}Z`;
    case "time":
      return `${time}Z`;
    case "email":
      return `user${rng.int(1, 999)}@example.com`;
    case "uri":
    case "url":
      return `https://example.com/${rng.int(1, 9999)}`;
    case "uuid":
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${rng.pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
    case "ipv4":
      return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    case "hostname":
      return `host${rng.int(1, 99)}.example.com`;
    case "duration":
      return `PT${rng.int(1, 59)}M`;
    default:
      return undefined;
  }
}

function stringFor(schema: JsonSchema, rng: Rng, field: string | undefined): string {
  let text = (schema.format && formatted(schema.format, rng)) ?? stringForField(rng, field);
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  while (text.length < min) text += ` ${stringForField(rng, undefined)}`;
  if (text.length > max) text = text.slice(0, max).trimEnd().padEnd(Math.min(min, max), "x");
  return text;
}
