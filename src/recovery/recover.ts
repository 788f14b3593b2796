/**
 * recover(): the one-shot pipeline — JSON.parse fast path, extraction, the repair scanner, choosing among
 * several values by schema fit, schema-aligned coercion, then the caller's strictness check. Never throws.
 */
import type { JsonSchema } from "../core/index.js";
import { coerceValue } from "./coerce-hook.js";
import { decodeStrings } from "./decode-strings.js";
import { extractSpans, type Span } from "./extract.js";
import { withoutIncompleteTail, withoutValuelessMember } from "./incomplete-tail.js";
import { RepairError } from "./repair-error.js";
import { NONE, Scanner } from "./scanner.js";
import { expectedKeys, schemaFit } from "./schema-fit.js";
import { refusedStep, type Strictness } from "./strictness.js";
import { unwrapToolCall, WRAPPER_KEYS } from "./tool-call.js";
import { WrittenSpans } from "./written-spans.js";

export interface RecoverOptions {
  /** When known, guides extraction, repair and coercion toward this shape. */
  schema?: JsonSchema | null;
  /** Refuse risky repairs: `true` (the RISKY_STEPS set), a list of refused step kinds, or an allow predicate. */
  strict?: Strictness;
}

export type RecoveryResult = { ok: true; value: unknown; steps: string[] } | { ok: false; error: string; steps: string[] };

interface Reading {
  value: unknown;
  /** Other values found in the reply, in document order (candidates for schema-guided choice). */
  alternatives: unknown[];
  steps: string[];
  /** Where the scanner found each object and array (with a schema only): the text a string field may want. */
  written?: WrittenSpans;
  /** Members written with no value (with a schema only), per object. */
  valueless?: WeakMap<object, Set<string>>;
}

/** Turns what a model wrote into the value it meant. Never throws, whatever the input. */
export function recover(text: string, options: RecoverOptions = {}): RecoveryResult {
  try {
    if (typeof text !== "string") return { ok: false, error: "input is not a string", steps: [] };
    const schema = options.schema ?? null;
    let reading: Reading | null = null;
    try {
      reading = { value: JSON.parse(text), alternatives: [], steps: [] };
    } catch {}
    let error = "no JSON value found";
    if (reading === null) {
      const parsed = repair(text, schema);
      if (parsed.ok) reading = parsed;
      else {
        if (schema === null) return parsed;
        error = parsed.error;
      }
    }
    if (schema === null) return check({ ok: true, value: reading!.value, steps: reading!.steps }, options.strict);
    return check(withSchema(text, reading, schema, error), options.strict);
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    return { ok: false, error: `internal error: ${message}`, steps: [] };
  }
}

/** A value already parsed (by the incremental parser) gets the same schema and strictness tail as recover(). */
export function recoverFromValue(text: string, value: unknown, options: RecoverOptions = {}): RecoveryResult {
  try {
    const schema = options.schema ?? null;
    if (schema === null) return check({ ok: true, value, steps: [] }, options.strict);
    return check(withSchema(text, { value, alternatives: [], steps: [] }, schema, ""), options.strict);
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    return { ok: false, error: `internal error: ${message}`, steps: [] };
  }
}

function check(result: RecoveryResult, strict: Strictness | undefined): RecoveryResult {
  if (!result.ok) return result;
  const refused = refusedStep(result.steps, strict);
  if (refused === null) return result;
  return { ok: false, error: `repair step "${refused}" refused by strict mode`, steps: result.steps };
}

/**
 * Schema known: take a tool call's arguments out of their wrapper, decode JSON written as strings where the
 * schema wants structure, then let coercion pick and reshape among the values. A truncated reply whose last
 * element cannot be completed loses that element rather than the whole value.
 */
function withSchema(text: string, reading: Reading | null, schema: JsonSchema, error: string): RecoveryResult {
  if (reading === null) {
    // no JSON at all: coercion may still read a scalar out of prose ("The answer is TWO")
    const coerced = coerceValue({ value: undefined, alternatives: [], text, repairs: [] }, schema);
    return coerced.ok ? coerced : { ok: false, error: `${error}; ${coerced.error}`, steps: coerced.steps };
  }
  let { value, steps } = reading;
  const written = reading.written;
  const source = written === undefined ? undefined : (node: object) => written.textOf(node);
  const missing = reading.valueless;
  const valueless = missing === undefined ? undefined : (node: object, key: string) => missing.get(node)?.has(key) === true;
  const unwrapped = unwrapToolCall(value, schema, parseText);
  if (unwrapped !== null) {
    value = unwrapped.value;
    steps = [...steps, ...unwrapped.steps];
  }
  const decoded = decodeStrings(value, schema, parseText);
  if (decoded !== null) {
    value = decoded.value;
    steps = [...steps, ...decoded.steps];
  }
  if (steps.includes("truncated")) {
    const shorter = withoutValuelessMember(value, text);
    if (shorter !== null) {
      const retry = coerceValue({ value: shorter, alternatives: reading.alternatives, text, repairs: steps, source, valueless }, schema);
      if (retry.ok) return { ok: true, value: retry.value, steps: [...steps, "drop:valueless", ...retry.steps] };
    }
  }
  const coerced = coerceValue({ value, alternatives: reading.alternatives, text, repairs: steps, source, valueless }, schema);
  if (coerced.ok) return { ok: true, value: coerced.value, steps: [...steps, ...coerced.steps] };
  if (steps.includes("truncated")) {
    for (const shorter of withoutIncompleteTail(value)) {
      const retry = coerceValue({ value: shorter, alternatives: reading.alternatives, text, repairs: steps, source, valueless }, schema);
      if (retry.ok) return { ok: true, value: retry.value, steps: [...steps, "drop:incomplete", ...retry.steps] };
    }
  }
  return { ok: false, error: coerced.error, steps: [...steps, ...coerced.steps] };
}

/** JSON text inside a value (tool-call arguments, double-encoded strings): the fast path, then repair. */
function parseText(text: string): { value: unknown; steps: readonly string[] } | null {
  try {
    return { value: JSON.parse(text), steps: [] };
  } catch {}
  const parsed = repair(text, null);
  return parsed.ok ? parsed : null;
}

/**
 * The keys of tool-call wrappers are real keys too, so that a quote before them is read as a closing one.
 * (An empty set means "any key" to the scanner, and stays empty.)
 */
function withWrapperKeys(keys: Set<string>): Set<string> {
  if (keys.size === 0) return keys;
  for (const key of WRAPPER_KEYS) keys.add(key);
  return keys;
}

/** Extraction plus the scanner, without the JSON.parse fast path. */
export function repair(text: string, schema: JsonSchema | null): ({ ok: true } & Reading) | { ok: false; error: string; steps: string[] } {
  const keys = schema === null ? null : withWrapperKeys(expectedKeys(schema));
  const spans = extractSpans(text);
  const values: unknown[] = [];
  /** Characters each value spans (prose: the longest reading wins without a schema). */
  const lengths: number[] = [];
  const steps = new Set<string>();
  const written = schema === null ? null : new WrittenSpans();
  const valueless = schema === null ? null : new WeakMap<object, Set<string>>();
  let error = "no JSON value found";
  for (const span of spans) {
    for (const step of span.steps) steps.add(step);
    try {
      const found = span.prose ? scanProse(span, keys, written, valueless) : scanDocument(span, keys, written, valueless);
      for (const step of found.steps) steps.add(step);
      // one by one: a spread of a large array as call arguments overflows the stack (150k values)
      for (const value of found.values) values.push(value);
      for (const length of found.lengths) lengths.push(length);
    } catch (caught) {
      if (!(caught instanceof RepairError)) throw caught;
      error = caught.message;
    }
  }
  if (values.length === 0) return { ok: false, error, steps: [...steps] };
  const chosen = choose(values, schema, spans.length === 1 && spans[0]!.prose ? lengths : null);
  const alternatives = values.length > 1 ? values.filter((value) => value !== chosen) : [];
  const reading: { ok: true } & Reading = { ok: true, value: chosen, alternatives, steps: [...steps] };
  if (written !== null) reading.written = written;
  if (valueless !== null) reading.valueless = valueless;
  return reading;
}

interface Found {
  values: unknown[];
  lengths: number[];
  steps: string[];
}

function scanDocument(
  span: Span,
  keys: ReadonlySet<string> | null,
  written: WrittenSpans | null,
  valueless: WeakMap<object, Set<string>> | null,
): Found {
  const scanner = new Scanner(span.text, keys);
  scanner.written = written;
  scanner.valueless = valueless;
  const values = scanner.parseDocument();
  return { values, lengths: values.map(() => span.text.length), steps: scanner.steps };
}

/** Prose around JSON: every `{` or `[` after the previous value is a candidate start. */
function scanProse(
  span: Span,
  keys: ReadonlySet<string> | null,
  written: WrittenSpans | null,
  valueless: WeakMap<object, Set<string>> | null,
): Found {
  const scanner = new Scanner(span.text, keys);
  scanner.written = written;
  scanner.valueless = valueless;
  const values: unknown[] = [];
  const lengths: number[] = [];
  const text = span.text;
  let from = 0;
  // next `{` and `[` at or after `from`, searched again only once passed: a kind absent from the rest of
  // the text would otherwise be searched for to the end once per value (quadratic on many values)
  let brace = -2;
  let bracket = -2;
  while (from < text.length) {
    if (brace !== -1 && brace < from) brace = text.indexOf("{", from);
    if (bracket !== -1 && bracket < from) bracket = text.indexOf("[", from);
    const start = brace < 0 ? bracket : bracket < 0 ? brace : Math.min(brace, bracket);
    if (start < 0) break;
    scanner.i = start;
    try {
      const value = scanner.parseTree(null);
      // an empty container cut off by the end of the text (`see [`) is prose, not data
      const cutEmpty = scanner.i >= text.length && isEmptyContainer(value) && !endsWithCloser(text);
      if (value !== NONE && !cutEmpty) {
        values.push(value);
        lengths.push(scanner.i - start);
      }
    } catch (caught) {
      if (!(caught instanceof RepairError)) throw caught;
    }
    from = Math.max(scanner.i, start + 1);
  }
  if (values.length === 0) throw new RepairError("no JSON value found in prose", 0);
  return { values, lengths, steps: scanner.steps };
}

function endsWithCloser(text: string): boolean {
  const last = text.trimEnd().charCodeAt(text.trimEnd().length - 1);
  return last === 0x7d || last === 0x5d;
}

function isEmptyContainer(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return value !== null && typeof value === "object" && Object.keys(value).length === 0;
}

/** Several top-level values: by schema fit when a schema is known, otherwise the non-empty ones. */
function choose(values: unknown[], schema: JsonSchema | null, proseLengths: number[] | null): unknown {
  if (values.length === 1) return values[0];
  const nonEmpty = values.filter((value) => !isEmptyContainer(value));
  if (schema !== null) {
    const options = nonEmpty.length > 1 ? [...values, nonEmpty] : values;
    let best = options[0];
    let bestFit = -1;
    for (const option of options) {
      const fit = schemaFit(option, schema);
      if (fit > bestFit) {
        best = option;
        bestFit = fit;
      }
    }
    return best;
  }
  if (proseLengths !== null) {
    let best = 0;
    for (let i = 1; i < values.length; i++) if (proseLengths[i]! > proseLengths[best]!) best = i;
    return values[best];
  }
  if (nonEmpty.length === 1) return nonEmpty[0];
  if (nonEmpty.length > 1) return nonEmpty;
  const allObjects = values.every((v) => !Array.isArray(v));
  const allArrays = values.every((v) => Array.isArray(v));
  return allObjects || allArrays ? values : values[0];
}
