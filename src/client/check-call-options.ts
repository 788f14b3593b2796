/**
 * The options object of one call (a task's call, its stream or replay; a one-off generate, stream or text):
 * that it is an object, holds only names the call takes, and that its per-call fields (signal, batch, private
 * context) are what they claim. Cheap on the hot path: only the keys present are read, nothing is allocated
 * when all is well. The options shared with tasks are checked as they are layered (`resolve-options.ts`).
 */
import { ConfigurationError } from "../errors/index.js";
import {
  GENERATE_OPTIONS,
  type OptionNames,
  PER_CALL_OPTIONS,
  STREAM_OPTIONS,
  TASK_STREAM_OPTIONS,
  TEXT_OPTIONS,
  unknownName,
} from "./check-option-names.js";
import { privateContextProblem } from "./check-task-fields.js";
import { describe } from "../core/index.js";

/** One kind of call: the names it takes, how errors name it, and the shape it expects. */
export interface CallShape {
  readonly names: OptionNames;
  /** Names the call in errors when no task does ("generate"), or the options of a task's call ("call options"). */
  readonly where: string;
  readonly expects: string;
}

export const TASK_CALL: CallShape = { names: PER_CALL_OPTIONS, where: "call options", expects: "{ signal, timeoutMs, … }" };
export const TASK_STREAM_CALL: CallShape = { names: TASK_STREAM_OPTIONS, where: "stream options", expects: "{ signal, idleMs, … }" };
export const GENERATE_CALL: CallShape = { names: GENERATE_OPTIONS, where: "generate", expects: "{ schema, input, … }" };
export const STREAM_CALL: CallShape = { names: STREAM_OPTIONS, where: "stream", expects: "{ schema, input, … }" };
export const TEXT_CALL: CallShape = { names: TEXT_OPTIONS, where: "text", expects: "{ instructions, input, … }" };

/**
 * The caller's mistake in `options`, as the error to reject with, or null. `task` names the task whose call it
 * is (its options are then prefixed with the task's name).
 */
export function callOptionsMistake(options: unknown, shape: CallShape, task?: string): ConfigurationError | null {
  const problem = callOptionsProblem(options, shape);
  if (problem === null) return null;
  return new ConfigurationError(task === undefined ? `${shape.where}: ${problem}` : `task "${task}": ${shape.where}: ${problem}`);
}

/** Throws `callOptionsMistake`'s error, if any. */
export function checkCallOptions(options: unknown, shape: CallShape, task?: string): void {
  const mistake = callOptionsMistake(options, shape, task);
  if (mistake !== null) throw mistake;
}

function callOptionsProblem(options: unknown, shape: CallShape): string | null {
  if (options === null || typeof options !== "object" || Array.isArray(options))
    return `options must be an object ${shape.expects}, got ${describe(options)}`;
  // One pass over the keys present: a call's options usually hold one or two.
  for (const key in options) {
    const v = (options as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (!shape.names.set.has(key)) return unknownName(key, shape.names);
    const problem =
      key === "signal" ? signalProblem(v) : key === "batch" ? batchProblem(v) : key === "privateContext" ? privateContextProblem(v) : null;
    if (problem !== null) return problem;
  }
  return null;
}

function signalProblem(v: unknown): string | null {
  return v instanceof AbortSignal
    ? null
    : `signal must be an AbortSignal (e.g. from an AbortController, or AbortSignal.timeout(ms)), got ${describe(v)}`;
}

function batchProblem(v: unknown): string | null {
  const b = v as { id?: unknown; row?: unknown } | null;
  return b !== null && typeof b === "object" && typeof b.id === "string" && typeof b.row === "string"
    ? null
    : `batch must be { id: string, row: string }, got ${describe(v)}`;
}
