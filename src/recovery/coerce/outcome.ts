/** The result type every coercion rule returns, the shared context, and small helpers for paths and steps.
 * A success carries its cost (see costs.ts) so callers can rank alternative readings. */
import type { JsonSchema } from "../../core/index.js";
import type { Resolved } from "./schema-refs.js";

export type Outcome = { ok: true; value: unknown; cost: number; steps: string[] } | { ok: false; error: string };

export interface AlignContext {
  root: JsonSchema;
  /** Partial values allowed: a missing required field becomes null instead of a failure. */
  partial: boolean;
  maxDepth: number;
  /** Remaining rule applications before giving up (bounds pathological union nesting). */
  budget: number;
  refs: Map<object, Resolved>;
  /** Above zero while trying alternatives (union branches, reshapings): only then can work repeat. */
  exploring: number;
  /** Results per (schema node, value object), one table per flag combination; used while exploring. */
  memo: Map<object, WeakMap<object, Outcome>>[];
  patterns: Map<string, RegExp | null>;
  /** Where an object or array was written in the reply (see CoerceOptions.source). */
  source: ((node: object) => string | undefined) | undefined;
  /** Whether a member was written with no value (see CoerceOptions.valueless). */
  valueless: ((node: object, key: string) => boolean) | undefined;
}

/** Set after an unwrap so that unwrapping cannot chain ({"a": {"b": 1}} is not 1). */
export const NO_UNWRAP = 1;
/** Set after a wrap so that wrapping cannot chain (1 is not [[1]], nor {"a": {"b": 1}}). */
export const NO_WRAP = 2;
/** Both: the value was already reshaped once. */
export const RESHAPED = NO_UNWRAP | NO_WRAP;

const NO_STEPS: string[] = [];

/** Success; the default step list is shared, so outcome step lists are never mutated after return. */
export function ok(value: unknown, cost = 0, steps: string[] = NO_STEPS): Outcome {
  return { ok: true, value, cost, steps };
}

export function fail(error: string): Outcome {
  return { ok: false, error };
}

const MAX_INNER_ERROR = 240;

/** A failure at `path` caused by `inner`: the deepest path is kept once, and nesting cannot grow the message. */
export function failAt(path: Path, inner: string): Outcome {
  const where = showPath(path);
  if (where !== "" && inner.startsWith(where)) return fail(inner);
  return fail(where === "" ? inner : `${where}: ${inner}`);
}

/** Bounds a message that is about to be wrapped in another. */
export function brief(error: string): string {
  return error.length > MAX_INNER_ERROR ? `${error.slice(0, MAX_INNER_ERROR)}…` : error;
}

/** Where a value lands in the output (unwrapping keeps the path), as a linked list to the root; rendered only when a step names it. */
export type Path = { up: Path; key: string | number } | null;

/** `@path` suffix for a step label (`@items[0].score`); empty at the root. */
export function at(path: Path): string {
  if (path === null) return "";
  const parts: string[] = [];
  for (let p: Path = path; p !== null; p = p.up) parts.push(typeof p.key === "number" ? `[${p.key}]` : p.up === null ? p.key : `.${p.key}`);
  return `@${parts.reverse().join("")}`;
}

/** The path without the leading `@`, for error messages. */
export function showPath(path: Path): string {
  return at(path).slice(1);
}

export function childPath(path: Path, key: string): Path {
  return { up: path, key };
}

export function indexPath(path: Path, index: number): Path {
  return { up: path, key: index };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Appends without spreading (child step lists can be long). */
export function appendSteps(target: string[], source: readonly string[]): void {
  for (const s of source) target.push(s);
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Structural equality for JSON values, key order ignored. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b as object, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
