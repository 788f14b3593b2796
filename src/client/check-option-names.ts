/**
 * The option names each layer takes (client, task, one-off call, task call, stream) and the check that names
 * an unknown key, suggesting the known name it is closest to: a misspelt option must not be silently dropped.
 */
import { editDistance } from "../core/index.js";
import type { StreamDeadlines } from "../stream/index.js";
import {
  type BallastOptions,
  CALL_OPTION_NAMES,
  type GenerateOptions,
  type PerCallOptions,
  type StreamOptions,
  TASK_FIELD_NAMES,
  type TaskDefinition,
  type TextOptions,
} from "./options.js";

/** The names one layer takes, as a list (for suggestions) and a set (for the check). */
export interface OptionNames {
  readonly list: readonly string[];
  readonly set: ReadonlySet<string>;
}

const namesOf = (list: readonly string[]): OptionNames => ({ list, set: new Set(list) });

const CLIENT_ONLY = ["breaker", "onEvent", "traces", "budget", "redact", "shared", "rateLimits"] as const;
const PER_CALL_ONLY = ["signal", "batch", "privateContext"] as const;
const STREAM_ONLY = ["firstChunkMs", "idleMs", "atomic"] as const;
const TEXT_ONLY = ["name", "instructions", "examples", "sections", "input", "fallback"] as const;

const CLIENT = [...CALL_OPTION_NAMES, ...CLIENT_ONLY] as const satisfies ReadonlyArray<keyof BallastOptions>;
const TASK = ["name", ...TASK_FIELD_NAMES] as const satisfies ReadonlyArray<keyof TaskDefinition<unknown>>;
const PER_CALL = [...CALL_OPTION_NAMES, ...PER_CALL_ONLY] as const satisfies ReadonlyArray<keyof PerCallOptions>;
const TASK_STREAM = [...PER_CALL, ...STREAM_ONLY] as const satisfies ReadonlyArray<keyof PerCallOptions | keyof StreamDeadlines | "atomic">;
const GENERATE = [...TASK, "input", "signal", "batch"] as const satisfies ReadonlyArray<keyof GenerateOptions<unknown>>;
const STREAM = [...GENERATE, ...STREAM_ONLY] as const satisfies ReadonlyArray<keyof StreamOptions<unknown>>;
const TEXT = [...PER_CALL, ...TEXT_ONLY] as const satisfies ReadonlyArray<keyof TextOptions>;

/** True when `List` names every key of `T`. */
type Names<T, List extends readonly string[]> = [Exclude<keyof T, List[number]>] extends [never] ? true : never;
// Compile-time: an option added to one of these types but not to its list fails here.
const everyOptionNamed: [
  Names<BallastOptions, typeof CLIENT>,
  Names<TaskDefinition<unknown>, typeof TASK>,
  Names<PerCallOptions, typeof PER_CALL>,
  Names<PerCallOptions & StreamDeadlines & { atomic?: unknown }, typeof TASK_STREAM>,
  Names<GenerateOptions<unknown>, typeof GENERATE>,
  Names<StreamOptions<unknown>, typeof STREAM>,
  Names<TextOptions, typeof TEXT>,
] = [true, true, true, true, true, true, true];
void everyOptionNamed;

export const CLIENT_OPTIONS = namesOf(CLIENT);
export const TASK_FIELDS = namesOf(TASK);
/** What a task's call (and its replay) takes after the input. */
export const PER_CALL_OPTIONS = namesOf(PER_CALL);
/** What a task's streamed call takes after the input. */
export const TASK_STREAM_OPTIONS = namesOf(TASK_STREAM);
export const GENERATE_OPTIONS = namesOf(GENERATE);
export const STREAM_OPTIONS = namesOf(STREAM);
export const TEXT_OPTIONS = namesOf(TEXT);

/**
 * Why `options` holds a key `names` lacks (naming the first such key, and the known name it most likely
 * meant), or null. Keys set to undefined are ignored, as everywhere else. Visits only the keys present.
 */
export function unknownOptionProblem(options: object, names: OptionNames, what = "option"): string | null {
  for (const key in options) {
    if (names.set.has(key) || (options as Record<string, unknown>)[key] === undefined) continue;
    return unknownName(key, names, what);
  }
  return null;
}

/** The message for a key `names` lacks: the key, and the known name it most likely meant. */
export function unknownName(key: string, names: OptionNames, what = "option"): string {
  const near = closestName(key, names.list);
  return `unknown ${what} \`${key}\`${near === null ? "" : ` (did you mean \`${near}\`?)`}`;
}

/**
 * The known name `key` most likely misspells: the same name in another case, else the nearest within two edits
 * (and no more edits than half the key's length, so a short key is not "corrected" into an unrelated one).
 */
export function closestName(key: string, list: readonly string[]): string | null {
  const lower = key.toLowerCase();
  let best: string | null = null;
  let bestDistance = 3;
  for (const name of list) {
    if (name.toLowerCase() === lower) return name;
    const d = editDistance(key, name);
    if (d < bestDistance && d * 2 <= key.length) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}
