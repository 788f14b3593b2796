/**
 * JSON written as a string where the schema wants structure: `{"item": "{\"kind\": \"b\"}"}` for an item
 * that is an object (or a union of objects), bare or in a code fence. Walks the value along the schema and
 * decodes such strings, at the top level or at any depth, when the decoded value fits the schema better than
 * the string did.
 * Copy on write: the value passed in is never changed.
 */
import type { JsonSchema } from "../core/index.js";
import { resolve, schemaFit } from "./schema-fit.js";

/** Parses one string's text as JSON (the repair pipeline, without schema); null when nothing was found. */
export type ParseText = (text: string) => { value: unknown; steps: readonly string[] } | null;

const MAX_DEPTH = 64;

export interface Decoded {
  value: unknown;
  steps: string[];
}

/** The value with its string-encoded JSON decoded wherever the schema wants structure; null if none was. */
export function decodeStrings(value: unknown, schema: JsonSchema, parse: ParseText): Decoded | null {
  const steps = new Set<string>();
  const out = walk({ value, schema, root: schema, parse, steps, depth: 0 });
  return out === value ? null : { value: out, steps: [...steps] };
}

interface Walk {
  value: unknown;
  schema: JsonSchema;
  root: JsonSchema;
  parse: ParseText;
  steps: Set<string>;
  depth: number;
}

function follow(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let hops = 0; hops < 8 && typeof s.$ref === "string"; hops++) {
    const next = resolve(s, root);
    if (next === s) break;
    s = next;
  }
  return s;
}

function branchesOf(s: JsonSchema): JsonSchema[] | null {
  const branches = s.anyOf ?? s.oneOf;
  return Array.isArray(branches) && branches.length > 0 ? branches : null;
}

/** Could this schema take a string as it is? (No type constraint counts as yes: nothing to decode for.) */
function takesString(schema: JsonSchema, root: JsonSchema, depth: number): boolean {
  if (depth > MAX_DEPTH) return true;
  const s = follow(schema, root);
  const branches = branchesOf(s);
  if (branches !== null) return branches.some((b) => takesString(b, root, depth + 1));
  if (typeof s.const === "string") return true;
  if (Array.isArray(s.enum)) return s.enum.some((e) => typeof e === "string");
  if (s.type === undefined) return s.properties === undefined && s.items === undefined;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return types.includes("string");
}

/** The union branch a value fits best (its first on ties), or the schema itself when it is no union. */
function bestBranch(value: unknown, s: JsonSchema, root: JsonSchema): JsonSchema {
  const branches = branchesOf(s);
  if (branches === null) return s;
  let best = branches[0]!;
  let bestFit = -1;
  for (const branch of branches) {
    const fit = schemaFit(value, branch, root);
    if (fit > bestFit) {
      best = branch;
      bestFit = fit;
    }
  }
  return follow(best, root);
}

/** An own property, even for `__proto__` (as JSON.parse makes it), never the prototype. */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function walk(w: Walk): unknown {
  const { value, root, depth } = w;
  if (depth > MAX_DEPTH) return value;
  const s = follow(w.schema, root);
  if (typeof value === "string") return decodeString(value, s, w);
  if (value === null || typeof value !== "object") return value;
  const target = bestBranch(value, s, root);
  if (Array.isArray(value)) {
    const items = target.items;
    if (items === undefined || items === null || typeof items !== "object") return value;
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const next = walk({ ...w, value: value[i], schema: items, depth: depth + 1 });
      if (next !== value[i]) {
        copy ??= value.slice();
        copy[i] = next;
      }
    }
    return copy ?? value;
  }
  const object = value as Record<string, unknown>;
  const props = target.properties ?? {};
  const extra = target.additionalProperties;
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(object)) {
    const sub = Object.hasOwn(props, key) ? props[key] : extra !== null && typeof extra === "object" ? extra : undefined;
    if (sub === undefined) continue;
    const next = walk({ ...w, value: object[key], schema: sub, depth: depth + 1 });
    if (next !== object[key]) {
      if (copy === null) {
        copy = {};
        for (const k of Object.keys(object)) setOwn(copy, k, object[k]);
      }
      setOwn(copy, key, next);
    }
  }
  return copy ?? value;
}

/** `"```json {...}```"`: a fenced block written as a string value; its body, or null when the text is not one. */
function fencedBody(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length < 6 || !trimmed.endsWith("```")) return null;
  const info = /^```[\w-]*/.exec(trimmed)![0].length;
  return trimmed.slice(info, -3).trim();
}

function decodeString(text: string, s: JsonSchema, w: Walk): unknown {
  if (text.trimStart().startsWith("```")) {
    const body = fencedBody(text);
    if (body === null || w.depth > MAX_DEPTH || takesString(s, w.root, 0)) return text;
    const inner = decodeString(body, s, { ...w, depth: w.depth + 1 });
    if (inner === body) return text;
    w.steps.add("fence");
    return inner;
  }
  const head = text.trimStart().charCodeAt(0);
  if (head !== 0x7b && head !== 0x5b && head !== 0x22) return text;
  if (takesString(s, w.root, 0)) return text;
  if (head === 0x22) {
    // encoded twice: a JSON string literal whose content is the JSON text
    let once: unknown;
    try {
      once = JSON.parse(text);
    } catch {
      return text;
    }
    if (typeof once !== "string" || w.depth > MAX_DEPTH) return text;
    const inner = decodeString(once, s, { ...w, depth: w.depth + 1 });
    return inner === once ? text : inner;
  }
  const inner = w.parse(text);
  if (inner === null || schemaFit(inner.value, s, w.root) <= schemaFit(text, s, w.root)) return text;
  w.steps.add("double_encoded");
  for (const step of inner.steps) w.steps.add(step);
  // the decoded value may itself hold encoded strings (double encoding, twice)
  return walk({ ...w, value: inner.value, schema: s, depth: w.depth + 1 });
}
