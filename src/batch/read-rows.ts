/**
 * Reads a JSONL input file line by line (streamed: memory does not grow with the file). Each line yields the
 * parsed value with its line number, or an `UnreadableLine` saying why it is not JSON; the run checks the
 * shape (`{"id", "input"}`) and duplicate ids.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/** A line that is not JSON. */
export class UnreadableLine {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {}
}

/** A parsed line and its 1-based number. */
export interface ParsedLine {
  line: number;
  value: unknown;
}

export async function* readRows(path: string): AsyncGenerator<ParsedLine | UnreadableLine> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() === "") continue;
    try {
      yield { line: n, value: JSON.parse(text) };
    } catch (error) {
      yield new UnreadableLine(n, `not JSON (${(error as Error).message})`);
    }
  }
}

/** Why `value` is not a row (`{"id": <string|number>, "input": <any>}`), or null when it is one. */
export function rowProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const row = value as { id?: unknown; input?: unknown };
  if (!("id" in row)) return 'missing the "id" field';
  if (typeof row.id === "number" ? !Number.isFinite(row.id) : typeof row.id !== "string" || row.id === "")
    return `"id" must be a non-empty string or a number, got ${JSON.stringify(row.id)}`;
  if (!("input" in row)) return 'missing the "input" field';
  return null;
}
