/**
 * `ballast/schema`: schemas in and out. Any Standard Schema (zod 3 or 4, valibot, arktype) or a plain JSON
 * Schema through `jsonSchema()`; conversion to JSON Schema and to OpenAI's strict dialect; and the design
 * kit: `lintSchema` (warnings with fixes), `withJustification` (reasoning before the answer), `scored`
 * (broken-down scores, total computed in code) and `resultUnion` (the answer or a typed "I can't").
 * `compileSchema`, `withExtraFields` and `FREE_TEXT` are the client's plumbing, exported for the other folders.
 *
 * @example
 * import { lintSchema, resultUnion, scored, withJustification } from "ballast/schema";
 * const rubric = scored({ criteria: { clarity: "0 = unreadable, 5 = crisp", accuracy: "0 = wrong, 5 = exact" }, scale: [0, 5] });
 * const Grade = resultUnion(withJustification(z.object({ scores: rubric.schema })), { errors: { not_an_essay: "not an essay" } });
 * for (const w of lintSchema(Grade, { provider: "openai" })) console.warn(w.path, w.message, w.fix);
 */
export type { JsonSchema } from "../core/index.js";
export { compileSchema, withExtraFields, type CompiledSchema } from "./compile-schema.js";
export { toJsonSchema } from "./to-json-schema.js";
export { toOpenAIStrict } from "./openai-strict.js";
export { isStandardSchema, validate, validateNow, type InferOutput, type StandardSchemaV1, type Validation } from "./standard-schema.js";
export { jsonSchema, type JsonSchemaSchema } from "./from-json-schema.js";
export { assertSchema, SUPPORTED_SCHEMAS } from "./to-json-schema.js";
export * from "./kit/index.js";
export { FREE_TEXT } from "./compile-schema.js";
