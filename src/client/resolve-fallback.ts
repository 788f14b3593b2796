/** The hardcoded rung: the caller's fallback value (handed out as a copy) or function, validated against the schema. */
import { FallbackFailedError } from "../errors/fallback-failed-error.js";
import { validate } from "../schema/standard-schema.js";
import type { Fallback, TaskDefinition } from "./options.js";
import type { AttemptRecord } from "./types.js";

export async function resolveFallback<T>(
  definition: TaskDefinition<T>,
  input: unknown,
  errors: NonNullable<AttemptRecord["error"]>[],
): Promise<T> {
  const fallback = definition.fallback as Fallback<T>;
  // A copy: a caller editing r.value must not change the default every later call gets.
  if (typeof fallback !== "function") return structuredClone(fallback);
  let value: unknown;
  try {
    value = await (fallback as (input: unknown, errors: NonNullable<AttemptRecord["error"]>[]) => unknown)(input, errors);
  } catch (err) {
    throw new FallbackFailedError(`task "${definition.name}": the fallback function threw: ${String(err)}`, [], { cause: err });
  }
  const checked = await validate(definition.schema, value);
  if (!checked.ok) {
    const fields = checked.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new FallbackFailedError(`task "${definition.name}": the fallback function returned a value that does not fit the schema (${fields})`, checked.issues);
  }
  return checked.value;
}
