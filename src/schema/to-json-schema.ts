/**
 * Converts a caller's schema to provider-neutral JSON Schema. zod is converted with `z.toJSONSchema`
 * (input side, since the model writes what the schema parses); other Standard Schema validators must
 * implement Standard JSON Schema. A type JSON cannot carry is a ConfigurationError naming the field.
 */
import { z } from "zod";
import { ConfigurationError } from "../errors/configuration-error.js";
import type { JsonSchema } from "./json-schema.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

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
  const std = schema["~standard"];
  if (std.vendor === "zod") {
    const bad: string[] = [];
    const json = z.toJSONSchema(schema as unknown as z.ZodType, {
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
    throw new ConfigurationError(
      `a ${std.vendor} schema has no JSON Schema form: pass a zod schema or one implementing Standard JSON Schema`,
    );
  }
  const json = structuredClone(fromStandard) as JsonSchema;
  delete json.$schema;
  return json;
}
