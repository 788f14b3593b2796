/**
 * `jsonSchema(obj)`: a plain JSON Schema object as a schema Ballast accepts. It becomes a Standard Schema
 * whose validator is ajv (draft 2020-12, compiled once; a well-kept validator rather than our own) and whose
 * JSON Schema form is the object itself, so providers receive exactly what was written.
 */
import { unescapeSegment, type ValidationIssue, type JsonSchema } from "../core/index.js";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { ConfigurationError } from "../errors/index.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

/** A Standard Schema built from plain JSON Schema; `T` is the value type you promise it describes. */
export interface JsonSchemaSchema<T> extends StandardSchemaV1<T, T> {
  readonly jsonSchema: JsonSchema;
}

let ajv: Ajv2020 | undefined;

function issuePath(error: ErrorObject): Array<string | number> {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map(unescapeSegment)
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
  if (error.keyword === "required") path.push((error.params as { missingProperty: string }).missingProperty);
  return path;
}

/**
 * Wraps a JSON Schema object so `task({ schema })`, `generate` and `stream` accept it. Throws a
 * ConfigurationError when the object is not a JSON Schema ajv can compile (naming what ajv rejected).
 * @example const Review = jsonSchema<{ score: number }>({ type: "object", properties: { score: { type: "number" } }, required: ["score"] });
 */
export function jsonSchema<T = unknown>(schema: JsonSchema | Record<string, unknown>): JsonSchemaSchema<T> {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
    throw new ConfigurationError(`jsonSchema() takes a JSON Schema object, got ${Array.isArray(schema) ? "an array" : typeof schema}`);
  }
  const json = structuredClone(schema) as JsonSchema;
  delete json.$schema;
  ajv ??= new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  let check: ReturnType<Ajv2020["compile"]>;
  try {
    check = ajv.compile(json);
  } catch (error) {
    throw new ConfigurationError(`jsonSchema(): not a valid JSON Schema: ${(error as Error).message}`, [], { cause: error });
  }
  return {
    jsonSchema: json,
    "~standard": {
      version: 1,
      vendor: "ballast-json-schema",
      validate(value: unknown) {
        if (check(value)) return { value: value as T };
        const issues: ValidationIssue[] = (check.errors ?? []).map((e) => ({ path: issuePath(e), message: e.message ?? e.keyword }));
        return { issues };
      },
      jsonSchema: { input: () => json as Record<string, unknown> },
    },
  };
}
