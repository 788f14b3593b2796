/**
 * The task a batch runs: a Ballast task (from `llm.task(...)`), checked, or loaded from a module whose default
 * export is one. Loading fails before any request when the module does not load or its export is not a task
 * (a fallback that does not fit the schema already fails inside `llm.task`, at import).
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { Task } from "../client/index.js";
import { ConfigurationError } from "../errors/index.js";

export type BatchTask<T = unknown> = Task<T>;

export function isTask(value: unknown): value is BatchTask {
  const t = value as { taskName?: unknown; definition?: unknown; models?: unknown } | null;
  return (
    typeof value === "function" && !!t && typeof t.taskName === "string" && typeof t.definition === "object" && Array.isArray(t.models)
  );
}

/** Imports `path` and returns its default export, a Ballast task; a ConfigurationError names what is wrong. */
export async function loadTask(path: string): Promise<BatchTask> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError(`task module ${path} failed to load: ${why}`, [], { cause: error });
  }
  if (!isTask(mod.default)) {
    throw new ConfigurationError(`task module ${path}: the default export must be a Ballast task (from llm.task({...}))`);
  }
  return mod.default;
}
