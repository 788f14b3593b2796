/**
 * The task a batch runs: a Ballast task (from `llm.task(...)`), checked, or loaded from a module whose default
 * export is one. Loading fails before any request when the module does not load or its export is not a task
 * (a fallback that does not fit the schema already fails inside `llm.task`, at import). A TypeScript module
 * that this Node cannot import says what to do about it.
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

/** What to do when Node cannot import a TypeScript task by itself (Node 20 has no type stripping). */
const TYPESCRIPT_HINT =
  'this Node cannot import TypeScript by itself: run ballast under a TypeScript loader (NODE_OPTIONS="--import tsx" ballast ..., with tsx installed), or compile the task to JavaScript, or write it as .mjs';

/** True when `error` is Node refusing a .ts/.mts/.cts file (the task, or a module it imports) for its extension. */
function typeScriptRefused(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === "ERR_UNKNOWN_FILE_EXTENSION" && /"\.[cm]?ts"/.test(String(e.message));
}

/** Imports `path` and returns its default export, a Ballast task; a ConfigurationError names what is wrong. */
export async function loadTask(path: string): Promise<BatchTask> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const hint = typeScriptRefused(error) ? `; ${TYPESCRIPT_HINT}` : "";
    throw new ConfigurationError(`task module ${path} failed to load: ${why}${hint}`, [], { cause: error });
  }
  if (!isTask(mod.default)) {
    throw new ConfigurationError(`task module ${path}: the default export must be a Ballast task (from llm.task({...}))`);
  }
  return mod.default;
}
