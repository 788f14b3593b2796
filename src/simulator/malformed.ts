/**
 * The `malformed` fault: renders a valid value as almost-JSON in the forms real models produce (code
 * fences, prose around it, trailing commas, single quotes, Python literals, unquoted keys, unescaped inner
 * quotes, comments, truncation mid-string). The form is chosen by the seeded Rng; output never parses.
 */
import type { Rng } from "./random.js";

export const MALFORMED_FORMS = [
  "codeFence",
  "prose",
  "trailingComma",
  "singleQuotes",
  "pythonLiterals",
  "unquotedKeys",
  "unescapedQuotes",
  "comments",
  "truncatedString",
] as const;
export type MalformedForm = (typeof MALFORMED_FORMS)[number];

interface RenderOptions {
  quote: '"' | "'";
  quoteKeys: boolean;
  python: boolean;
  trailingComma: boolean;
  comment: boolean;
}

const PLAIN: RenderOptions = { quote: '"', quoteKeys: true, python: false, trailingComma: false, comment: false };

function quoteString(s: string, quote: '"' | "'"): string {
  const json = JSON.stringify(s);
  if (quote === '"') return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** Pretty-prints like JSON.stringify(v, null, 2) but with the requested deviations. */
function render(value: unknown, o: RenderOptions, indent = ""): string {
  const inner = `${indent}  `;
  if (value === null) return o.python ? "None" : "null";
  if (value === true) return o.python ? "True" : "true";
  if (value === false) return o.python ? "False" : "false";
  if (typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") return quoteString(value, o.quote);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => `${inner}${render(v, o, inner)}`);
    return `[\n${items.join(",\n")}${o.trailingComma ? "," : ""}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([k, v], i) => {
    const key = o.quoteKeys ? quoteString(k, o.quote) : /^[A-Za-z_$][\w$]*$/.test(k) ? k : quoteString(k, o.quote);
    const note = o.comment && i === 0 ? `${inner}// ${k} as extracted from the input\n` : "";
    return `${note}${inner}${key}: ${render(v, o, inner)}`;
  });
  return `{\n${lines.join(",\n")}${o.trailingComma ? "," : ""}\n${indent}}`;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Cuts the text inside the last string literal that has at least 2 characters, else near the end. */
function truncateMidString(text: string): string {
  const re = /"((?:[^"\\]|\\.){2,})"/g;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) last = m;
  if (last) return text.slice(0, last.index + 1 + Math.ceil((last[1] as string).length / 2));
  return text.slice(0, Math.max(1, Math.floor(text.length * 0.6)));
}

function unescapedQuotes(value: unknown): string | null {
  const pretty = JSON.stringify(value, null, 2);
  const re = /: "([^"\\]*) ([^"\\]+)"/;
  const m = re.exec(pretty);
  if (!m) return null;
  return pretty.replace(re, `: "${m[1]} "${m[2]}""`);
}

export function renderMalformed(value: unknown, form: MalformedForm): string {
  const pretty = JSON.stringify(value, null, 2);
  switch (form) {
    case "codeFence":
      return `\`\`\`json\n${pretty}\n\`\`\``;
    case "prose":
      return `Sure! Here is the JSON you asked for:\n\n${pretty}\n\nLet me know if you need anything else.`;
    case "trailingComma":
      return render(value, { ...PLAIN, trailingComma: true });
    case "singleQuotes":
      return render(value, { ...PLAIN, quote: "'" });
    case "pythonLiterals":
      return render(value, { ...PLAIN, quote: "'", python: true });
    case "unquotedKeys":
      return render(value, { ...PLAIN, quoteKeys: false });
    case "unescapedQuotes":
      return unescapedQuotes(value) ?? truncateMidString(pretty);
    case "comments":
      return render(value, { ...PLAIN, comment: true });
    case "truncatedString":
      return truncateMidString(pretty);
  }
}

/** Picks a form with the Rng and renders; guarantees the result is not valid JSON. */
export function makeMalformed(value: unknown, rng: Rng): { form: MalformedForm; text: string } {
  const form = rng.pick(MALFORMED_FORMS);
  const text = renderMalformed(value, form);
  if (!parses(text)) return { form, text };
  // e.g. an empty object with trailing commas or a number in single quotes: fall back to a form that always breaks.
  return { form: "prose", text: renderMalformed(value, "prose") };
}
