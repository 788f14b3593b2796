/**
 * The hardcoded rung: the caller's fallback value (handed out as a copy) or function, validated against the
 * schema. A function gets until the call's deadline, and at least FALLBACK_GRACE_MS (it usually starts when
 * the models ran out of time): one that has not answered by then fails the call, so nothing hangs on it.
 */
import { FallbackFailedError } from "../errors/index.js";
import { validate } from "../schema/index.js";
import type { Fallback, TaskDefinition } from "./options.js";
import type { AttemptRecord } from "../core/index.js";

/** The least time a fallback function gets, even when it starts at or past the deadline. */
export const FALLBACK_GRACE_MS = 1_000;

export async function resolveFallback<T>(
  definition: TaskDefinition<T>,
  input: unknown,
  errors: NonNullable<AttemptRecord["error"]>[],
  deadlineAt: number,
): Promise<T> {
  const fallback = definition.fallback as Fallback<T>;
  // A copy: a caller editing r.value must not change the default every later call gets.
  if (typeof fallback !== "function") return structuredClone(fallback);
  let value: unknown;
  const waitMs = Math.max(FALLBACK_GRACE_MS, deadlineAt - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new FallbackFailedError(
            `task "${definition.name}": the fallback function did not answer within ${waitMs} ms (the call's deadline)`,
          ),
        ),
      waitMs,
    );
  });
  try {
    const fn = fallback as (input: unknown, errors: NonNullable<AttemptRecord["error"]>[]) => unknown;
    value = await Promise.race([Promise.resolve().then(() => fn(input, errors)), late]);
  } catch (err) {
    if (err instanceof FallbackFailedError) throw err;
    throw new FallbackFailedError(`task "${definition.name}": the fallback function threw: ${String(err)}`, [], { cause: err });
  } finally {
    clearTimeout(timer);
  }
  const checked = await validate(definition.schema, value);
  if (!checked.ok) {
    const fields = checked.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new FallbackFailedError(
      `task "${definition.name}": the fallback function returned a value that does not fit the schema (${fields})`,
      checked.issues,
    );
  }
  return checked.value;
}
