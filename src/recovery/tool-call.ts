/**
 * Tool-call wrappers around the value the schema wants: a model asked for JSON sometimes answers with the
 * call it would have made instead, `{"name": "f", "arguments": {...}}` (or `arguments` as a JSON string),
 * OpenAI `tool_calls` / `function_call`, Anthropic `tool_use` blocks, Gemini `functionCall`, a list of
 * those. The payload is taken out only when it fits the schema better than the wrapper does, so a schema
 * that really wants `{name, arguments}` keeps it.
 */
import type { JsonSchema } from "../core/index.js";
import type { ParseText } from "./decode-strings.js";
import { schemaFit } from "./schema-fit.js";

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
export function unwrapToolCall(value: unknown, schema: JsonSchema, parse: ParseText): Unwrapped | null {
  if (value === null || typeof value !== "object") return null;
  const own = schemaFit(value, schema);
  let best: Unwrapped | null = null;
  let bestFit = Math.max(own, MIN_FIT - Number.EPSILON);
  const queue: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  let visited = 0;
  const consider = (candidate: unknown, steps: readonly string[]) => {
    const fit = schemaFit(candidate, schema);
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
