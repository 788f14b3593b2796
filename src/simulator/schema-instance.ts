/**
 * Generates a schema-valid instance of a JSON Schema (types, enums, const, nested objects, arrays with
 * min/max items, numeric bounds, nullable unions, $ref/$defs, common string formats, `pattern`, and the
 * same constraints written in descriptions), from a seeded Rng. Bounded by construction: every value
 * spends from a character budget, so `minItems: 1e9` or `minLength: 1e9` stops at the budget (the
 * caller then answers as a model cut off at its output limit) instead of exhausting memory or time.
 */
import type { JsonSchema } from "../core/index.js";
import { withDescribedConstraints } from "./description-constraints.js";
import type { Rng } from "./random.js";
import { mergeAllOf, resolveRef, typesOf, unionBranches } from "./schema-walk.js";
import { stringMatching } from "./string-pattern.js";
import { stringForField } from "./words.js";

const MAX_DEPTH = 8;
/** Default character budget: about 16k output tokens. */
export const DEFAULT_BUDGET_CHARS = 64 * 1024;

interface Generation {
  root: JsonSchema;
  rng: Rng;
  /** Characters left to spend; at or below zero nothing more is added. */
  left: number;
}

export interface GeneratedInstance {
  value: unknown;
  /** True when the schema asked for more than the budget: the value is incomplete. */
  exhausted: boolean;
}

/** A value for `root`, spending at most about `budgetChars` characters of serialised JSON. */
export function generateBounded(root: JsonSchema, rng: Rng, budgetChars = DEFAULT_BUDGET_CHARS): GeneratedInstance {
  const g: Generation = { root, rng, left: budgetChars };
  const value = generate(g, root, 0, undefined);
  return { value, exhausted: g.left <= 0 };
}

export function generateInstance(root: JsonSchema, rng: Rng): unknown {
  return generateBounded(root, rng).value;
}

function spend(g: Generation, chars: number) {
  g.left -= chars;
}

/** Generates a value for `input` (a subschema of the root); `field` is the property name, a hint for strings. */
function generate(g: Generation, input: JsonSchema, depth: number, field: string | undefined): unknown {
  const { root, rng } = g;
  const schema = withDescribedConstraints(mergeAllOf(root, resolveRef(root, input)));
  if (schema.const !== undefined) {
    spend(g, 8);
    return schema.const;
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    spend(g, 8);
    return rng.pick(schema.enum);
  }
  const branches = unionBranches(schema);
  if (branches && branches.length > 0) {
    const nonNull = branches.filter(
      (b) => !typesOf(resolveRef(root, b)).every((t) => t === "null") || typesOf(resolveRef(root, b)).length === 0,
    );
    const hasNull = nonNull.length < branches.length;
    const useNull = hasNull && (nonNull.length === 0 || depth >= MAX_DEPTH || rng.chance(0.15));
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    const branch = useNull ? { type: "null" } : rng.pick(nonNull);
    return generate(g, { ...rest, ...resolveRef(root, branch) }, depth, field);
  }
  let types = typesOf(schema);
  if (types.length === 0) types = ["string"];
  let type: string;
  if (types.length === 1) type = types[0] as string;
  else {
    const nonNull = types.filter((t) => t !== "null");
    type = nonNull.length === 0 || (types.includes("null") && (depth >= MAX_DEPTH || rng.chance(0.15))) ? "null" : rng.pick(nonNull);
  }
  spend(g, 4);
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
      return arrayOf(g, schema, depth);
    case "object":
      return objectOf(g, schema, depth);
    default:
      return stringFor(g, schema, field);
  }
}

/**
 * The range to draw from: the schema's bounds narrowed to a window a model would use. Validators emit
 * safe-integer bounds for plain integers (zod's `.int()`), where a draw over the whole range reads like
 * -737225973170175; a model writes small numbers, near zero or near the bound it was given.
 */
function bounds(schema: JsonSchema, integer: boolean): [number, number] {
  const step = integer ? 1 : 0.01;
  const lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + step : undefined);
  const hi = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - step : undefined);
  const low = lo ?? Number.NEGATIVE_INFINITY;
  const high = hi ?? Number.POSITIVE_INFINITY;
  if (high - low <= 1000) return [low, high];
  if (low <= 0 && high >= 100) return [Math.max(low, 0), Math.min(high, 100)];
  if (low > 0) return [low, Math.min(high, low + 100)];
  return [Math.max(low, high - 100), high];
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

function arrayOf(g: Generation, schema: JsonSchema, depth: number): unknown[] {
  const { rng } = g;
  const prefix = schema.prefixItems ?? [];
  const min = Math.max(schema.minItems ?? 0, 0);
  const max = schema.maxItems ?? Math.max(min, 3);
  const count = depth >= MAX_DEPTH ? min : rng.int(Math.max(min, Math.min(1, max)), Math.min(max, Math.max(min, 3)));
  const out: unknown[] = [];
  const itemSchema = schema.items ?? {};
  const unique = schema.uniqueItems === true ? new Set<string>() : null;
  for (let i = 0, tries = 0; out.length < count && g.left > 0 && tries < count + 50; tries++) {
    const v = generate(g, prefix[i] ?? itemSchema, depth + 1, undefined);
    if (unique) {
      const key = JSON.stringify(v);
      if (unique.has(key)) continue;
      unique.add(key);
    }
    out.push(v);
    i++;
  }
  return out;
}

function objectOf(g: Generation, schema: JsonSchema, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (!required.has(key) && (depth >= MAX_DEPTH || g.left <= 0 || g.rng.chance(0.3))) continue;
    spend(g, key.length + 4);
    out[key] = generate(g, sub, depth + 1, key);
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

function stringFor(g: Generation, schema: JsonSchema, field: string | undefined): string {
  const { rng } = g;
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  // A string longer than the budget would be cut by the output limit anyway.
  const min = Math.min(schema.minLength ?? 0, Math.max(0, g.left));
  let text: string | undefined;
  if (typeof schema.pattern === "string") text = stringMatching(schema.pattern, rng, { min, max });
  text ??= (schema.format && formatted(schema.format, rng)) ?? stringForField(rng, field);
  if (text.length < min) {
    const parts = [text];
    let length = text.length;
    while (length < min) {
      const word = ` ${stringForField(rng, undefined)}`;
      parts.push(word);
      length += word.length;
    }
    text = parts.join("");
  }
  if (text.length > max) text = text.slice(0, max).trimEnd().padEnd(Math.min(min, max), "x");
  spend(g, text.length);
  if ((schema.minLength ?? 0) > min) g.left = 0;
  return text;
}
