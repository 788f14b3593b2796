/**
 * Finds the schema a prompt describes, as a model reads it: a JSON Schema pasted into the system or user
 * text (instructor's JSON / MD_JSON modes, LangChain's jsonMode) or a TypeScript-like shape such as
 * `{ name: string; tags: string[]; age?: number }`. Used for `json_object`, and for plain text requests
 * that ask for JSON. Scans a bounded tail of the prompt, so its cost does not grow with the prompt.
 */
import type { JsonSchema } from "../core/index.js";
import type { OutputRequest, PromptSegment } from "./chat-request.js";

const SCAN_CHARS = 64 * 1024;
const MAX_CANDIDATES = 64;

/** The output to produce: `output` itself, or JSON fitting the schema the prompt embeds. */
export function withEmbeddedSchema(output: OutputRequest, segments: PromptSegment[]): OutputRequest {
  if (output.kind !== "json_object" && output.kind !== "text") return output;
  const text = segments
    .filter((s) => s.role === "system" || s.role === "user")
    .map((s) => s.text)
    .join("\n");
  const tail = text.length > SCAN_CHARS ? text.slice(-SCAN_CHARS) : text;
  if (output.kind === "text" && !/\bjson\b/i.test(tail)) return output;
  const schema = findEmbeddedSchema(tail);
  if (!schema) return output;
  return { kind: "json_object", schema, name: "json_object" };
}

export function findEmbeddedSchema(text: string): JsonSchema | null {
  return jsonSchemaIn(text) ?? typeShapeIn(text);
}

/** The end index (exclusive) of the balanced `{...}` starting at `start`, strings respected; -1 if none. */
function balancedEnd(text: string, start: number, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length && i < start + limit; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i + 1;
  }
  return -1;
}

function looksLikeSchema(value: unknown): value is JsonSchema {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (typeof v.properties === "object" && v.properties !== null) || (v.type === "object" && "properties" in v);
}

/** The last top-level JSON object in the text that is a JSON Schema (has `properties`). */
function jsonSchemaIn(text: string): JsonSchema | null {
  let found: JsonSchema | null = null;
  let candidates = 0;
  for (let i = text.indexOf("{"); i >= 0 && candidates < MAX_CANDIDATES; ) {
    if (!/^\{\s*"/.test(text.slice(i, i + 40))) {
      i = text.indexOf("{", i + 1);
      continue;
    }
    candidates++;
    const end = balancedEnd(text, i, SCAN_CHARS);
    if (end < 0) break;
    try {
      const parsed = JSON.parse(text.slice(i, end)) as unknown;
      const schema = looksLikeSchema(parsed) ? parsed : unwrap(parsed);
      if (schema) found = schema;
    } catch {
      // Not JSON: keep looking.
    }
    i = text.indexOf("{", end);
  }
  return found;
}

/** `{"name": ..., "parameters"|"schema"|"input_schema": {...}}` wrappers around a schema. */
function unwrap(value: unknown): JsonSchema | null {
  if (value === null || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  for (const key of ["schema", "parameters", "input_schema", "json_schema"]) {
    if (looksLikeSchema(v[key])) return v[key] as JsonSchema;
    const inner = unwrap(v[key]);
    if (inner) return inner;
  }
  return null;
}

/** A TypeScript-like object shape: `{ key: type; key?: type }` with string, number, boolean, arrays, literals, nesting. */
function typeShapeIn(text: string): JsonSchema | null {
  const start = text.search(/\{\s*\w+\??\s*:\s*(string|number|boolean|integer|\{|"|\w+\[\]|Array<)/);
  if (start < 0) return null;
  const parser = new ShapeParser(text, start);
  try {
    return parser.object();
  } catch {
    return null;
  }
}

class ShapeParser {
  constructor(
    private readonly text: string,
    private i: number,
  ) {}

  private skip() {
    while (this.i < this.text.length && /[\s,;]/.test(this.text[this.i] as string)) this.i++;
  }

  private expect(ch: string) {
    this.skip();
    if (this.text[this.i] !== ch) throw new Error(`expected ${ch}`);
    this.i++;
  }

  object(): JsonSchema {
    this.expect("{");
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (let guard = 0; guard < 500; guard++) {
      this.skip();
      if (this.text[this.i] === "}") {
        this.i++;
        return { type: "object", properties, required, additionalProperties: false };
      }
      const m = /^"?(\w+)"?(\?)?\s*:/.exec(this.text.slice(this.i, this.i + 200));
      if (!m) throw new Error("expected a key");
      this.i += m[0].length;
      properties[m[1] as string] = this.type();
      if (!m[2]) required.push(m[1] as string);
    }
    throw new Error("shape too long");
  }

  private type(): JsonSchema {
    let schema = this.single();
    const options: JsonSchema[] = [schema];
    for (;;) {
      while (this.text[this.i] === " ") this.i++;
      if (this.text[this.i] !== "|") break;
      this.i++;
      options.push(this.single());
    }
    if (options.length > 1) {
      const literals = options.filter((o) => o.const !== undefined).map((o) => o.const);
      schema = literals.length === options.length ? { enum: literals } : { anyOf: options };
    }
    return schema;
  }

  private single(): JsonSchema {
    this.skip();
    let schema: JsonSchema;
    if (this.text[this.i] === "{") schema = this.object();
    else {
      const m = /^(?:"([^"]*)"|'([^']*)'|Array<(\w+)>|(\w+))/.exec(this.text.slice(this.i, this.i + 200));
      if (!m) throw new Error("expected a type");
      this.i += m[0].length;
      if (m[1] !== undefined || m[2] !== undefined) schema = { type: "string", const: m[1] ?? m[2] };
      else schema = primitive((m[3] ?? m[4]) as string, m[3] !== undefined);
    }
    while (this.text.startsWith("[]", this.i)) {
      this.i += 2;
      schema = { type: "array", items: schema };
    }
    return schema;
  }
}

function primitive(name: string, array: boolean): JsonSchema {
  const map: Record<string, JsonSchema> = {
    string: { type: "string" },
    number: { type: "number" },
    integer: { type: "integer" },
    boolean: { type: "boolean" },
    null: { type: "null" },
  };
  const schema = map[name] ?? { type: "string" };
  return array ? { type: "array", items: schema } : schema;
}
