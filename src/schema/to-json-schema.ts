/**
 * Converts a caller's schema to provider-neutral JSON Schema. zod 4 is converted with its own
 * `toJSONSchema` (input side, since the model writes what the schema parses), zod 3 through
 * zod-to-json-schema; other Standard Schema validators (and `jsonSchema()`) must implement Standard JSON
 * Schema. A type JSON cannot carry is a ConfigurationError naming the field; anything that is not a
 * schema at all is a ConfigurationError naming what is supported.
 */
import { toJSONSchema } from "zod/v4/core";
import { ConfigurationError } from "../errors/index.js";
import type { JsonSchema } from "../core/index.js";
import { isStandardSchema, type StandardSchemaV1 } from "./standard-schema.js";
import { isZod3, zod3ToJsonSchema } from "./zod3-json-schema.js";

export const SUPPORTED_SCHEMAS =
  'a zod 4 or zod 3 schema, plain JSON Schema wrapped in jsonSchema({...}) (from "ballast/schema"), ' +
  "or a Standard Schema validator that provides JSON Schema (Standard JSON Schema)";

/** What the caller passed, in words, for the error message. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return `a ${typeof value}`;
  if ("type" in value || "properties" in value || "$schema" in value || "anyOf" in value) {
    return "a plain JSON Schema object (wrap it: jsonSchema({...}))";
  }
  return "an object that is not a schema";
}

/** Throws a ConfigurationError unless `value` is a schema Ballast can use. */
export function assertSchema(value: unknown): asserts value is StandardSchemaV1 {
  if (!isStandardSchema(value)) throw new ConfigurationError(`schema must be ${SUPPORTED_SCHEMAS}; got ${describe(value)}`);
}

const UNREPRESENTABLE = new Set([
  "transform",
  "date",
  "bigint",
  "map",
  "set",
  "symbol",
  "custom",
  "function",
  "promise",
  "undefined",
  "void",
  "nan",
]);

/** ["properties","n","properties","t"] -> "n.t"; array items become "[]". */
function fieldName(path: Array<string | number>): string {
  const out: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (step === "properties" || step === "$defs" || step === "definitions") out.push(String(path[++i]));
    else if (step === "items" || step === "prefixItems" || step === "additionalProperties") out.push("[]");
  }
  return out.length ? out.join(".").replace(/\.\[\]/g, "[]") : "(root)";
}

export function toJsonSchema(schema: StandardSchemaV1): JsonSchema {
  assertSchema(schema);
  const std = schema["~standard"];
  if (std.vendor === "zod" && isZod3(schema)) return zod3ToJsonSchema(schema);
  if (std.vendor === "zod" && "_zod" in schema) {
    const bad: string[] = [];
    const json = toJSONSchema(schema as unknown as Parameters<typeof toJSONSchema>[0], {
      io: "input",
      target: "draft-2020-12",
      unrepresentable: "any",
      override: (ctx) => {
        const type = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def.type;
        if (UNREPRESENTABLE.has(type)) bad.push(`${fieldName(ctx.path as Array<string | number>)} (${type})`);
      },
    }) as JsonSchema;
    if (bad.length) {
      throw new ConfigurationError(
        `schema cannot be sent to a model: ${bad.join(", ")} cannot be represented in JSON Schema; ` +
          "use a JSON type (e.g. z.string() for dates) and convert after",
        bad.map((b) => ({ path: b.split(" ")[0]!.split("."), message: "not representable in JSON Schema" })),
      );
    }
    delete json.$schema;
    return json;
  }
  const fromStandard = std.jsonSchema?.input?.({ target: "draft-2020-12" });
  if (!fromStandard) {
    throw new ConfigurationError(`a ${std.vendor} schema has no JSON Schema form: the schema must be ${SUPPORTED_SCHEMAS}`);
  }
  const json = structuredClone(fromStandard) as JsonSchema;
  delete json.$schema;
  return json;
}
