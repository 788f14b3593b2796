/**
 * A fallback checked at definition: a value must fit the task's schema now (a validator that throws on it is
 * named as such, its exception the `cause`); a text call's fallback is a text or a function.
 */
import { ConfigurationError } from "../errors/index.js";
import { type Validation, validateNow } from "../schema/index.js";
import { describe } from "../core/index.js";
import type { TaskDefinition } from "./options.js";

/** Throws a ConfigurationError naming `where` unless the task's fallback value fits its schema (a function is checked when it answers). */
export function checkFallback(where: string, definition: TaskDefinition<unknown>): void {
  const fallback = definition.fallback;
  if (fallback === undefined || typeof fallback === "function") return;
  let checked: Validation<unknown> | null;
  try {
    checked = validateNow(definition.schema, fallback);
  } catch (error) {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ConfigurationError(`${where}: the schema's validator threw while checking the fallback: ${what}`, [], { cause: error });
  }
  if (checked === null)
    throw new ConfigurationError(`${where}: async validators cannot check the fallback at definition; pass a fallback function`);
  if (!checked.ok) {
    const fields = checked.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new ConfigurationError(`${where}: the fallback does not fit the schema (${fields})`, checked.issues);
  }
}

/** Throws unless a text call's fallback is a string or a function (which returns one when called). */
export function checkTextFallback(where: string, fallback: unknown): void {
  if (fallback === undefined || typeof fallback === "string" || typeof fallback === "function") return;
  throw new ConfigurationError(
    `${where}: fallback must be a string (the text to answer with) or a function returning one, got ${describe(fallback)}`,
  );
}
