/** How the schema is sent: strict JSON Schema, JSON mode, a forced tool, or only described in the prompt. */
export type OutputMode = "json_schema" | "json_object" | "tool" | "prompt";
