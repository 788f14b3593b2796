/**
 * `lintSchema`: design warnings for a schema before it costs you failures in production, each with the field
 * path and a suggested fix. Accepts a zod / Standard Schema or a JSON Schema object.
 */
import type { JsonSchema } from "../../core/index.js";
import { isStandardSchema, type StandardSchemaV1 } from "../standard-schema.js";
import { toJsonSchema } from "../to-json-schema.js";
import {
  deepNesting,
  freeForm,
  missingDescription,
  nearDuplicateEnum,
  reasoningAfterAnswer,
  scoreWithoutRubric,
  unionWithoutDiscriminator,
} from "./lint-rules.js";
import type { LintOptions, SchemaWarning } from "./lint-types.js";
import { providerFindings } from "./provider-limits.js";
import { walkSchema } from "./schema-nodes.js";

/** @example lintSchema(Review, { provider: "openai" }).forEach((w) => console.log(w.path, w.message, w.fix)); */
export function lintSchema(schema: StandardSchemaV1 | JsonSchema, options: LintOptions = {}): SchemaWarning[] {
  const json = isStandardSchema(schema) ? toJsonSchema(schema) : (schema as JsonSchema);
  const walk = walkSchema(json);
  const maxDepth = options.maxDepth ?? 3;
  const out: SchemaWarning[] = [];
  for (const node of walk.nodes) {
    for (const w of [
      deepNesting(node, maxDepth),
      unionWithoutDiscriminator(node),
      freeForm(node),
      missingDescription(node),
      scoreWithoutRubric(node),
      reasoningAfterAnswer(node),
      nearDuplicateEnum(node),
    ]) {
      if (w) out.push(w);
    }
  }
  const provider = typeof options.provider === "string" ? options.provider : options.provider?.provider;
  if (provider) out.push(...providerFindings(provider, walk, json));
  const seen = new Set<string>();
  return out.filter((w) => {
    const key = `${w.rule}|${w.path}|${w.message}`;
    if (seen.has(key) || (options.warningsOnly && w.severity === "info")) return false;
    seen.add(key);
    return true;
  });
}
