/**
 * The design rules `lintSchema` applies to each field: what makes models fail (deep nesting, unions without
 * a discriminator, free-form values, unrubricked scores, reasoning after the answer, near-duplicate enums).
 */
import { editDistance, type JsonSchema } from "../../core/index.js";
import type { SchemaNode } from "./schema-nodes.js";
import type { SchemaWarning } from "./lint-types.js";

const REASONING = /^(reasoning|justification|rationale|explanation|thoughts?|thinking|chain_of_thought|analysis)$/i;
const SCORE = /(score|rating|grade|rank|confidence|likelihood|probability|level)$/i;

const isObject = (s: JsonSchema) => s.type === "object" || s.properties !== undefined;
const isNumeric = (s: JsonSchema) =>
  s.type === "number" || s.type === "integer" || (Array.isArray(s.type) && (s.type.includes("number") || s.type.includes("integer")));
const isNull = (s: JsonSchema) => s.type === "null";

export function deepNesting(node: SchemaNode, maxDepth: number): SchemaWarning | null {
  if (!isObject(node.schema) || node.depth !== maxDepth + 1) return null;
  return {
    rule: "deep_nesting",
    severity: "warning",
    path: node.path,
    message: `objects nested ${node.depth} deep: models lose track of deep structure and drop or misplace fields`,
    fix: `flatten: lift this object's fields one level up (e.g. "${node.key ?? "field"}_…") or split the task in two calls`,
  };
}

export function unionWithoutDiscriminator(node: SchemaNode): SchemaWarning | null {
  const branches = (node.schema.anyOf ?? node.schema.oneOf ?? []).filter((b) => !isNull(b));
  const objects = branches.filter(isObject);
  if (objects.length < 2) return null;
  const shared = Object.keys(objects[0]!.properties ?? {}).filter((k) =>
    objects.every((b) => b.properties?.[k]?.const !== undefined || b.properties?.[k]?.enum?.length === 1),
  );
  if (shared.length > 0) return null;
  return {
    rule: "union_without_discriminator",
    severity: "warning",
    path: node.path,
    message: `a union of ${objects.length} object shapes with no literal field telling them apart: the model (and recovery) must guess the branch`,
    fix: 'add a literal tag to every branch and use z.discriminatedUnion("kind", [...]) (see resultUnion)',
  };
}

export function freeForm(node: SchemaNode): SchemaWarning | null {
  const s = node.schema;
  const record = isObject(s) && !s.properties && s.additionalProperties !== false;
  const any =
    !s.type && !s.properties && !s.items && !s.enum && s.const === undefined && !s.anyOf && !s.oneOf && !s.allOf && !s.$ref && !s.not;
  if (!record && !any) return null;
  return {
    rule: "free_form",
    severity: "warning",
    path: node.path,
    message: record
      ? "a free-form record: keys are unconstrained, so strict mode is off and every reply shape is valid"
      : "any value: the model gets no guidance and the validator checks nothing",
    fix: record
      ? "list the keys you expect as an object, or use an array of { key, value } items"
      : "give the field a concrete type (string, enum, object with named fields)",
  };
}

export function missingDescription(node: SchemaNode): SchemaWarning | null {
  if (node.inner || node.key === undefined || node.schema.description) return null;
  if (REASONING.test(node.key)) return null;
  return {
    rule: "missing_description",
    severity: "info",
    path: node.path,
    message: "no description: the model only has the field name to go on",
    fix: `.describe("what ${node.key} holds, its unit or format, and an example")`,
  };
}

export function scoreWithoutRubric(node: SchemaNode): SchemaWarning | null {
  if (node.key === undefined || node.inner || !isNumeric(node.schema) || !SCORE.test(node.key)) return null;
  const d = node.schema.description ?? "";
  // A rubric names what the values mean: at least two anchors such as "1 = …", "5: …" or "0-2 …".
  const anchors = d.match(/\b\d+(\.\d+)?\s*(=|:|-|–|means)/g) ?? [];
  const bounded = node.schema.minimum !== undefined && node.schema.maximum !== undefined;
  if (anchors.length >= 2 && bounded) return null;
  return {
    rule: "score_without_rubric",
    severity: "warning",
    path: node.path,
    message: `a numeric score ${bounded ? "" : "without bounds and "}without a rubric: models drift toward the middle and differ run to run`,
    fix: 'bound it (.min(0).max(5)) and describe each anchor ("0 = missing, 3 = adequate, 5 = excellent"), or use scored({ criteria, scale })',
  };
}

export function reasoningAfterAnswer(node: SchemaNode): SchemaWarning | null {
  const properties = node.schema.properties ?? {};
  const keys = Object.keys(properties);
  const at = keys.findIndex((k) => REASONING.test(k));
  // Literal tags (a union's discriminator) may come first: they pick the shape, they are not the answer.
  const before = keys.slice(0, Math.max(0, at)).filter((k) => properties[k]!.const === undefined && properties[k]!.enum?.length !== 1);
  if (at <= 0 || before.length === 0) return null;
  return {
    rule: "reasoning_after_answer",
    severity: "warning",
    path: node.path === "(root)" ? keys[at]! : `${node.path}.${keys[at]}`,
    message: `"${keys[at]}" comes after ${before.map((k) => `"${k}"`).join(", ")}: the model writes the answer first and then justifies it`,
    fix: `move "${keys[at]}" to the first field (withJustification(schema) does it)`,
  };
}

export function nearDuplicateEnum(node: SchemaNode): SchemaWarning | null {
  const values = (node.schema.enum ?? []).filter((v): v is string => typeof v === "string");
  const pairs: string[] = [];
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) if (similar(values[i]!, values[j]!)) pairs.push(`"${values[i]}" / "${values[j]}"`);
  }
  if (pairs.length === 0) return null;
  return {
    rule: "near_duplicate_enum",
    severity: "warning",
    path: node.path,
    message: `enum values a model will confuse: ${pairs.join(", ")}`,
    fix: "merge them, or rename so each value means one clearly different thing (and describe each)",
  };
}

const fold = (s: string) => s.toLowerCase().replace(/[\s_\-.]+/g, "");

function similar(a: string, b: string): boolean {
  const x = fold(a);
  const y = fold(b);
  if (x === y) return true;
  if (x.replace(/(es|s)$/, "") === y.replace(/(es|s)$/, "")) return true;
  return Math.min(x.length, y.length) >= 5 && editDistance(x, y) <= 1;
}
