/** Schema handling: Standard Schema validation, JSON Schema conversion and the provider dialects. */
export type { JsonSchema } from "./json-schema.js";
export { compileSchema, withExtraFields, type CompiledSchema } from "./compile-schema.js";
export { toJsonSchema } from "./to-json-schema.js";
export { toOpenAIStrict } from "./openai-strict.js";
export { isStandardSchema, validate, type InferOutput, type StandardSchemaV1, type Validation } from "./standard-schema.js";
export { jsonSchema, type JsonSchemaSchema } from "./from-json-schema.js";
export { assertSchema, SUPPORTED_SCHEMAS } from "./to-json-schema.js";
