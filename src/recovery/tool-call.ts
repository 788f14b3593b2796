/**
 * Tool-call wrappers around the value the schema wants: a model asked for JSON sometimes answers with the
 * call it would have made instead, `{"name": "f", "arguments": {...}}` (or `arguments` as a JSON string),
 * OpenAI `tool_calls` / `function_call`, Anthropic `tool_use` blocks, Gemini `functionCall`, a list of
 * those. The payload is taken out only when it fits the schema better than the wrapper does, so a schema
 * that really wants `{name, arguments}` keeps it.
 */
import type { JsonSchema } from "../core/index.js";
import type { ParseText } from "./decode-strings.js";
import { resolve, schemaFit } from "./schema-fit.js";

/** Keys a wrapper object may hold; an object with any other key is data, not a wrapper. */
export const WRAPPER_KEYS: ReadonlySet<string> = new Set([
  "name",
  "arguments",
  "parameters",
  "input",
  "args",
  "id",
  "type",
  "call_id",
  "index",
  "role",
  "content",
  "refusal",
  "function",
  "function_call",
  "functionCall",
  "tool_calls",
  "tool_call",
  "tool_use",
  "toolUse",
]);
/** Keys holding the payload itself (an object, or its JSON text). */
const PAYLOAD_KEYS = ["arguments", "parameters", "input", "args", "content"];
/** Keys holding a further wrapper (or a list of them). */
const NESTED_KEYS = ["function", "function_call", "functionCall", "tool_calls", "tool_call", "tool_use", "toolUse", "content"];

const MAX_NODES = 64;
const MAX_DEPTH = 5;
/** Elements of a list looked into (a list of calls: the first ones that fit). */
const MAX_ITEMS = 8;
/** The payload must fit at least this well to replace the wrapper. */
const MIN_FIT = 0.6;
/** Longest list of calls read as a list of payloads (one call per element). */
const MAX_CALLS = 64;

export interface Unwrapped {
  value: unknown;
  steps: string[];
}

function isWrapper(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length === 0) return false;
  let payload = false;
  for (const key of keys) {
    if (!WRAPPER_KEYS.has(key)) return false;
    if (PAYLOAD_KEYS.includes(key) || NESTED_KEYS.includes(key)) payload = true;
  }
  return payload;
}

/** The payload of a tool-call wrapper when it fits the schema better than the value itself; else null. */
export function unwrapToolCall(value: unknown, schema: JsonSchema, parse: ParseText, root: JsonSchema = schema): Unwrapped | null {
  if (value === null || typeof value !== "object") return null;
  const own = schemaFit(value, schema, root);
  let best: Unwrapped | null = null;
  let bestFit = Math.max(own, MIN_FIT - Number.EPSILON);
  const itemsSchema = listItems(schema, root);
  const queue: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  let visited = 0;
  const consider = (candidate: unknown, steps: readonly string[]) => {
    const fit = schemaFit(candidate, schema, root);
    if (fit > bestFit) {
      bestFit = fit;
      best = { value: candidate, steps: ["tool_call", ...steps] };
    }
  };
  while (queue.length > 0 && visited < MAX_NODES) {
    const { node, depth } = queue.shift()!;
    visited++;
    if (depth > MAX_DEPTH) continue;
    if (Array.isArray(node)) {
      const payloads = itemsSchema === null ? null : payloadList(node, itemsSchema, parse, root);
      if (payloads !== null) consider(payloads.value, payloads.steps);
      for (let i = 0; i < node.length && i < MAX_ITEMS; i++) queue.push({ node: node[i], depth: depth + 1 });
      continue;
    }
    if (!isWrapper(node)) continue;
    for (const key of PAYLOAD_KEYS) {
      const payload = node[key];
      if (payload === undefined || payload === null) continue;
      if (typeof payload === "string") {
        const head = payload.trimStart().charCodeAt(0);
        if (head !== 0x7b && head !== 0x5b) continue;
        const parsed = parse(payload);
        if (parsed !== null) consider(parsed.value, ["double_encoded", ...parsed.steps]);
      } else if (typeof payload === "object") consider(payload, []);
    }
    for (const key of NESTED_KEYS) {
      const nested = node[key];
      if (nested !== null && typeof nested === "object") queue.push({ node: nested, depth: depth + 1 });
    }
  }
  return best;
}

/** The item schema when the schema wants a list (of tool-call payloads, possibly); else null. */
function listItems(schema: JsonSchema, root: JsonSchema): JsonSchema | null {
  const s = resolve(schema, root);
  const items = s.items;
  const wantsList =
    s.type === "array" || (Array.isArray(s.type) && s.type.includes("array")) || (s.type === undefined && items !== undefined);
  return wantsList && items !== null && typeof items === "object" && !Array.isArray(items) ? (items as JsonSchema) : null;
}

/**
 * A list of calls where the schema wants a list of payloads (`[{"name": "f", "arguments": {...}}, ...]`):
 * each element's own payload, in order; null unless every element is a wrapper with one that fits.
 */
function payloadList(list: unknown[], items: JsonSchema, parse: ParseText, root: JsonSchema): Unwrapped | null {
  if (list.length === 0 || list.length > MAX_CALLS) return null;
  const values: unknown[] = [];
  const steps = new Set<string>();
  for (const element of list) {
    if (!isWrapper(element)) return null;
    const inner = unwrapToolCall(element, items, parse, root);
    if (inner === null) return null;
    values.push(inner.value);
    for (const step of inner.steps) if (step !== "tool_call") steps.add(step);
  }
  return { value: values, steps: [...steps] };
}
