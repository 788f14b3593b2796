/**
 * zod 3 schemas (the `zod` 3.x package, or `zod/v3` from zod 4) to JSON Schema through zod-to-json-schema,
 * the converter the zod 3 ecosystem uses (preferred to walking zod 3's internals by hand). Input side, as for
 * zod 4; a type JSON cannot carry (dates, bigints, maps…) is a ConfigurationError naming the field.
 */
import { ignoreOverride, zodToJsonSchema } from "zod-to-json-schema";
import { ConfigurationError } from "../errors/index.js";
import type { JsonSchema } from "../core/index.js";

/** zod 3 type names that have no JSON form (zod 4's converter rejects the same kinds). */
const UNREPRESENTABLE = new Set([
  "ZodDate",
  "ZodBigInt",
  "ZodMap",
  "ZodSet",
  "ZodSymbol",
  "ZodFunction",
  "ZodPromise",
  "ZodUndefined",
  "ZodVoid",
  "ZodNaN",
]);

/** ["#","properties","n","items"] -> "n[]"; the root is "(root)". */
function fieldName(path: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (step === "properties" || step === "$defs" || step === "definitions") out.push(String(path[++i]));
    else if (step === "items" || step === "additionalProperties") out.push("[]");
  }
  return out.length ? out.join(".").replace(/\.\[\]/g, "[]") : "(root)";
}

export function isZod3(schema: object): boolean {
  return !("_zod" in schema) && "_def" in schema && typeof (schema as { _def?: { typeName?: unknown } })._def?.typeName === "string";
}

export function zod3ToJsonSchema(schema: object): JsonSchema {
  const bad: string[] = [];
  const json = zodToJsonSchema(schema as Parameters<typeof zodToJsonSchema>[0], {
    target: "jsonSchema2019-09",
    $refStrategy: "root",
    effectStrategy: "input",
    pipeStrategy: "input",
    override: (def, refs) => {
      const typeName = (def as { typeName?: string }).typeName;
      if (typeName && UNREPRESENTABLE.has(typeName)) bad.push(`${fieldName(refs.currentPath)} (${typeName.slice(3).toLowerCase()})`);
      return ignoreOverride;
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
