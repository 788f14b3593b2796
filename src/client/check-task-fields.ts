/**
 * A task's definition, checked when it is defined (a task, a one-off call, a text call): its field names, and
 * its own prompt fields: instructions, examples (and that their outputs fit the schema), extra sections, private
 * context and promptFeedback. Each problem is a ConfigurationError naming the field, never a later TypeError.
 */
import { ConfigurationError } from "../errors/index.js";
import { type StandardSchemaV1, validateNow } from "../schema/index.js";
import { TASK_FIELDS, unknownOptionProblem } from "./check-option-names.js";
import { describe } from "../core/index.js";
import type { TaskDefinition } from "./options.js";

const ROLES: readonly unknown[] = ["system", "user"];

/** The fields of a schema task or a text call (`text`: examples' outputs are texts, not values of a schema). */
export function checkTaskFields(where: string, definition: TaskDefinition<unknown>, text = false): void {
  const problem =
    instructionsProblem(definition.instructions) ??
    examplesProblem(definition.examples, text ? null : definition.schema) ??
    sectionsProblem(definition.sections) ??
    privateContextProblem(definition.privateContext) ??
    (definition.promptFeedback === undefined || typeof definition.promptFeedback === "boolean"
      ? null
      : `promptFeedback must be true or false, got ${describe(definition.promptFeedback)}`);
  if (problem !== null) throw new ConfigurationError(`${where}: ${problem}`);
}

function instructionsProblem(v: unknown): string | null {
  return v === undefined || typeof v === "string" ? null : `instructions must be a string, got ${describe(v)}`;
}

/** The example lists already checked against a schema (a one-off call passing the same list each time checks it once). */
const checkedExamples = new WeakMap<object, StandardSchemaV1 | null>();

/** Each example is `{ input, output }`; with a schema, each output must fit it; without one (text), it is a string. */
function examplesProblem(v: unknown, schema: StandardSchemaV1<unknown, unknown> | null): string | null {
  if (v === undefined) return null;
  if (!Array.isArray(v)) return `examples must be an array of { input, output }, got ${describe(v)}`;
  if (checkedExamples.get(v) === schema) return null;
  for (let i = 0; i < v.length; i++) {
    const e = v[i] as { input?: unknown; output?: unknown } | null;
    if (e === null || typeof e !== "object" || Array.isArray(e))
      return `examples[${i}] must be an object { input, output }, got ${describe(e)}`;
    if (e.input === undefined) return `examples[${i}].input is missing`;
    if (e.output === undefined) return `examples[${i}].output is missing`;
    if (schema === null) {
      if (typeof e.output !== "string")
        return `examples[${i}].output must be a string (a text call answers in text), got ${describe(e.output)}`;
      continue;
    }
    const problem = outputProblem(schema, e.output);
    if (problem !== null) return `examples[${i}].output does not fit the schema (${problem})`;
  }
  checkedExamples.set(v, schema);
  return null;
}

/** Why `output` does not fit `schema`, or null; a validator that must be awaited, or that throws, is not judged here. */
function outputProblem(schema: StandardSchemaV1<unknown, unknown>, output: unknown): string | null {
  let checked: ReturnType<typeof validateNow>;
  try {
    checked = validateNow(schema, output);
  } catch {
    return null; // the validator's own bug shows on the calls, as a ValidatorError
  }
  if (checked === null || checked.ok) return null;
  return checked.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** Each section is a PromptSection: `{ name, role: "system" | "user", content, stable }`. */
function sectionsProblem(v: unknown): string | null {
  if (v === undefined) return null;
  if (!Array.isArray(v)) return `sections must be an array of { name, role, content, stable }, got ${describe(v)}`;
  for (let i = 0; i < v.length; i++) {
    const s = v[i] as Record<string, unknown> | null;
    const at = `sections[${i}]`;
    if (s === null || typeof s !== "object" || Array.isArray(s))
      return `${at} must be an object { name, role, content, stable }, got ${describe(s)}`;
    if (typeof s.name !== "string") return `${at}.name must be a string, got ${describe(s.name)}`;
    if (!ROLES.includes(s.role)) return `${at}.role must be "system" or "user", got ${describe(s.role)}`;
    if (typeof s.content !== "string") return `${at}.content must be a string, got ${describe(s.content)}`;
    if (typeof s.stable !== "boolean") return `${at}.stable must be true or false, got ${describe(s.stable)}`;
  }
  return null;
}

/** `{ content, secret?, withholdOnLeak? }`: the text must be a string, the secret a non-empty one. */
export function privateContextProblem(v: unknown): string | null {
  if (v === undefined) return null;
  if (v === null || typeof v !== "object" || Array.isArray(v))
    return `privateContext must be an object { content, secret? }, got ${describe(v)}`;
  const p = v as Record<string, unknown>;
  if (typeof p.content !== "string") return `privateContext.content must be a string, got ${describe(p.content)}`;
  if (p.secret !== undefined && (typeof p.secret !== "string" || p.secret === ""))
    return `privateContext.secret must be a non-empty string, got ${describe(p.secret)}`;
  if (p.withholdOnLeak !== undefined && typeof p.withholdOnLeak !== "boolean")
    return `privateContext.withholdOnLeak must be true or false, got ${describe(p.withholdOnLeak)}`;
  return null;
}

/** Throws unless a task's definition is an object holding only the fields a task takes (a misspelt `fallbak` would be lost). */
export function checkTaskDefinition(definition: unknown): void {
  if (definition === null || typeof definition !== "object" || Array.isArray(definition))
    throw new ConfigurationError(`task: the definition must be an object { name, schema, … }, got ${describe(definition)}`);
  const problem = unknownOptionProblem(definition, TASK_FIELDS, "field");
  if (problem !== null) {
    const name = (definition as { name?: unknown }).name;
    throw new ConfigurationError(`${typeof name === "string" ? `task "${name}"` : "task"}: ${problem}`);
  }
}
