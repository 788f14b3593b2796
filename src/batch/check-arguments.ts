/**
 * Checks the arguments of `runBatch` and `enqueueBatch` before anything runs: a Ballast task, rows to iterate
 * and an options object, else a ConfigurationError naming the argument and what was given instead.
 */
import { ConfigurationError } from "../errors/index.js";
import { isTask } from "./task.js";

/** A short description of a value that was not what an argument needs. */
export function shown(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "string") return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === "function") return "a function that is not a task";
  if (typeof value !== "object") return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return "an array";
  if (typeof (value as { task?: unknown }).task === "function") return "the client (createBallast(...)), not one of its tasks";
  return "an object";
}

/**
 * Checks the three arguments of `runBatch` / `enqueueBatch` (`layer` names the function in messages): a Ballast
 * task, rows to iterate, and an options object. Fields of the options are checked by `checkBatchOptions`.
 */
export function checkBatchArguments(layer: string, task: unknown, rows: unknown, options: unknown): void {
  if (!isTask(task)) throw new ConfigurationError(`${layer}: task must be a Ballast task (from llm.task({...})), got ${shown(task)}`);
  const iterable =
    rows !== null &&
    (typeof rows === "object" || typeof rows === "function") &&
    (typeof (rows as Iterable<unknown>)[Symbol.iterator] === "function" ||
      typeof (rows as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function");
  if (!iterable) {
    const hint = typeof rows === "string" ? `; to read a file, pass readRows(${JSON.stringify(rows)})` : "";
    throw new ConfigurationError(
      `${layer}: rows must be an array or an (async) iterable of {"id", "input"} rows, such as readRows("in.jsonl"), got ${shown(rows)}${hint}`,
    );
  }
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new ConfigurationError(
      `${layer}: options must be an object with at least the journal path, e.g. { journal: "out.journal.db" }, got ${shown(options)}`,
    );
}
