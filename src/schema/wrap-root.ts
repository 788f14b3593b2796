/**
 * Providers want an object at the root (OpenAI strict forbids a root anyOf; Anthropic tool input must be an
 * object). A non-object root (a discriminated union, an array, a scalar) is wrapped as `{ value: … }` and
 * unwrapped after parsing.
 */
import type { JsonSchema } from "../core/index.js";

export function needsWrap(schema: JsonSchema): boolean {
  return schema.type !== "object" || "anyOf" in schema || "oneOf" in schema;
}

export function wrapRoot(schema: JsonSchema): JsonSchema {
  const { $defs, ...inner } = schema;
  const rewritten = rewriteRootRefs(inner) as JsonSchema;
  return {
    type: "object",
    properties: { value: rewritten },
    required: ["value"],
    additionalProperties: false,
    ...($defs ? { $defs: rewriteRootRefs($defs) as Record<string, JsonSchema> } : {}),
  };
}

function rewriteRootRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRootRefs);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === "$ref" && value === "#" ? "#/properties/value" : rewriteRootRefs(value);
  }
  return out;
}
