/**
 * What each provider's strict structured-output mode cannot express, as lint findings: OpenAI strict
 * (documented limits: nesting, property and enum counts, dropped keywords, free-form records) and Anthropic
 * strict tools (no recursion, numeric or string-length constraints, minItems above 1).
 */
import type { JsonSchema } from "../../core/index.js";
import type { SchemaWarning } from "./lint-types.js";
import type { Walk } from "./schema-nodes.js";

const OPENAI_DROPPED = [
  "minLength",
  "maxLength",
  "minProperties",
  "maxProperties",
  "patternProperties",
  "uniqueItems",
  "contains",
  "not",
  "if",
  "default",
];
const OPENAI_FORMATS = new Set(["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"]);
const ANTHROPIC_DROPPED = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength"];

const warn = (path: string, message: string, fix: string): SchemaWarning => ({
  rule: "provider_unsupported",
  severity: "warning",
  path,
  message,
  fix,
});

export function providerFindings(provider: string, walk: Walk, root: JsonSchema): SchemaWarning[] {
  if (provider === "openai") return openaiFindings(walk, root);
  if (provider === "anthropic") return anthropicFindings(walk);
  return [];
}

function openaiFindings(walk: Walk, root: JsonSchema): SchemaWarning[] {
  const out: SchemaWarning[] = [];
  let properties = 0;
  let enumValues = 0;
  let deepest = 0;
  for (const { schema, path, depth } of walk.nodes) {
    properties += Object.keys(schema.properties ?? {}).length;
    enumValues += schema.enum?.length ?? 0;
    deepest = Math.max(deepest, depth);
    const dropped = OPENAI_DROPPED.filter((k) => schema[k] !== undefined);
    if (dropped.length)
      out.push(
        warn(
          path,
          `OpenAI strict mode ignores ${dropped.join(", ")}: the model is not held to it (Ballast still validates after)`,
          "state the constraint in the description, or accept a re-ask when it is broken",
        ),
      );
    if (schema.format && !OPENAI_FORMATS.has(schema.format))
      out.push(
        warn(
          path,
          `format "${schema.format}" is not supported by OpenAI strict mode`,
          "describe the format in the description (with an example)",
        ),
      );
    const isRecord =
      (schema.type === "object" || schema.properties === undefined) &&
      schema.additionalProperties !== undefined &&
      schema.additionalProperties !== false &&
      !schema.properties;
    if (isRecord)
      out.push(
        warn(
          path,
          "a free-form record cannot be strict: the whole schema is sent with strict: false",
          "use an object with named fields or an array of { key, value }",
        ),
      );
    const allOf = schema.allOf?.length ?? 0;
    if (allOf > 1)
      out.push(warn(path, "allOf with several branches is not supported by OpenAI strict mode", "merge the branches into one object"));
  }
  if (root.type !== "object" || root.anyOf || root.oneOf)
    out.push({
      ...warn(
        "(root)",
        "the root is not a plain object: OpenAI strict requires one, so Ballast wraps it as { value }",
        "fine as is; make the root an object to avoid the wrapper",
      ),
      severity: "info",
    });
  if (deepest > 10) out.push(warn("(root)", `nesting depth ${deepest} exceeds OpenAI's limit of 10`, "flatten the schema"));
  if (properties > 5000) out.push(warn("(root)", `${properties} properties exceed OpenAI's limit of 5000`, "split the task"));
  if (enumValues > 1000)
    out.push(
      warn("(root)", `${enumValues} enum values exceed OpenAI's limit of 1000`, "use fewer values, or a string with a described format"),
    );
  for (const ref of walk.recursiveRefs)
    out.push({
      ...warn(
        ref.split(" -> ")[0]!,
        `recursive schema (${ref}): supported by OpenAI strict, but models often stop recursing early`,
        "bound the depth with explicit levels if you rely on it",
      ),
      severity: "info",
    });
  return out;
}

function anthropicFindings(walk: Walk): SchemaWarning[] {
  const out: SchemaWarning[] = [];
  for (const { schema, path } of walk.nodes) {
    const dropped = ANTHROPIC_DROPPED.filter((k) => schema[k] !== undefined);
    if (dropped.length)
      out.push(
        warn(
          path,
          `Anthropic strict tools do not support ${dropped.join(", ")}`,
          "state the range in the description; Ballast validates after parsing",
        ),
      );
    if ((schema.minItems ?? 0) > 1)
      out.push(warn(path, `minItems ${schema.minItems}: Anthropic strict mode supports only 0 or 1`, "describe the minimum count instead"));
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false)
      out.push(
        warn(path, "additionalProperties other than false is not supported by Anthropic strict mode", "use an object with named fields"),
      );
  }
  for (const ref of walk.recursiveRefs)
    out.push(
      warn(
        ref.split(" -> ")[0]!,
        `recursive schema (${ref}) is not supported by Anthropic strict mode`,
        "unroll the recursion to a fixed depth",
      ),
    );
  return out;
}
