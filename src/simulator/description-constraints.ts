/**
 * Reads schema constraints written into a `description`, as a model reads them. SDKs whose provider
 * rejects a keyword move it there: Anthropic's SDK appends `{minLength: 3, pattern: "^a"}`, the AI SDK's
 * Anthropic provider appends `min length: 3; pattern: ^a.`; plain prose says "at least 3 items".
 */
import type { JsonSchema } from "../core/index.js";

const NUMERIC_KEYS = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
]);
const KNOWN_KEYS = new Set([...NUMERIC_KEYS, "pattern", "uniqueItems", "format"]);

/** The schema with the constraints its description states merged in (keywords already present win). */
export function withDescribedConstraints(schema: JsonSchema): JsonSchema {
  if (typeof schema.description !== "string" || schema.description.length === 0) return schema;
  const found = describedConstraints(schema.description);
  if (Object.keys(found).length === 0) return schema;
  return { ...found, ...schema } as JsonSchema;
}

export function describedConstraints(description: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Descriptions are user text of any size; only the tail, where SDKs append constraints, is read.
  const text = description.length > 4000 ? description.slice(-4000) : description;
  readBraced(text, out);
  readSemicolonList(text, out);
  readProse(text, out);
  return out;
}

function keep(out: Record<string, unknown>, key: string, value: unknown) {
  if (!KNOWN_KEYS.has(key) || key in out) return;
  if (NUMERIC_KEYS.has(key)) {
    const n = typeof value === "number" ? value : Number(value);
    if (Number.isFinite(n)) out[key] = n;
  } else if (key === "uniqueItems") out[key] = value === true || value === "true";
  else if (typeof value === "string" && value.length > 0) out[key] = value;
}

/** `{minLength: 3, pattern: "^[a-z]+$"}` (values are JSON). */
function readBraced(text: string, out: Record<string, unknown>) {
  const start = text.lastIndexOf("{");
  if (start < 0 || !text.trimEnd().endsWith("}")) return;
  const inner = text.slice(start, text.trimEnd().length);
  const json = inner.replace(/([{,]\s*)([A-Za-z]+)\s*:/g, '$1"$2":');
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    for (const [k, v] of Object.entries(parsed)) keep(out, k, v);
  } catch {
    // Not a constraint block: prose with braces.
  }
}

/** `min length: 3; max length: 10; pattern: ^[A-Z]+$.` (one line, names spelled with spaces). */
function readSemicolonList(text: string, out: Record<string, unknown>) {
  const line = text.split("\n").pop()?.trim() ?? "";
  if (!/^(min|max|exclusive|multiple|pattern|unique|format)/.test(line)) return;
  const body = line.endsWith(".") ? line.slice(0, -1) : line;
  for (const part of body.split("; ")) {
    const colon = part.indexOf(": ");
    if (colon < 0) continue;
    const key = part.slice(0, colon).replace(/ ([a-z])/g, (_m, c: string) => c.toUpperCase());
    keep(out, key, part.slice(colon + 2));
  }
}

/** "at least 3 items", "at most 20 characters", "between 1 and 5". */
function readProse(text: string, out: Record<string, unknown>) {
  const unit = /(characters?|chars?|letters?)/.source;
  const items = /(items?|elements?|entries|values?)/.source;
  const atLeast = (what: string) => new RegExp(`(?:at least|minimum of|no fewer than)\\s+(\\d+)\\s+${what}`, "i");
  const atMost = (what: string) => new RegExp(`(?:at most|maximum of|no more than|up to)\\s+(\\d+)\\s+${what}`, "i");
  const exact = (what: string) => new RegExp(`exactly\\s+(\\d+)\\s+${what}`, "i");
  const pairs: Array<[RegExp, string[]]> = [
    [exact(unit), ["minLength", "maxLength"]],
    [exact(items), ["minItems", "maxItems"]],
    [atLeast(unit), ["minLength"]],
    [atMost(unit), ["maxLength"]],
    [atLeast(items), ["minItems"]],
    [atMost(items), ["maxItems"]],
  ];
  for (const [re, keys] of pairs) {
    const m = re.exec(text);
    if (m) for (const k of keys) keep(out, k, Number(m[1]));
  }
  const between = /between\s+(-?\d+(?:\.\d+)?)\s+and\s+(-?\d+(?:\.\d+)?)(?!\s*(?:characters?|items?))/i.exec(text);
  if (between) {
    keep(out, "minimum", Number(between[1]));
    keep(out, "maximum", Number(between[2]));
  }
}
