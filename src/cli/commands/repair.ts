/**
 * `ballast repair`: recovers the JSON a model meant from a reply on stdin (`--schema` guides it), or with
 * `--jsonl` one `{"input", "schema"}` line per reply, answering one result line each, in order.
 */
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Command } from "commander";
import { recover } from "../../recovery/index.js";
import type { JsonSchema } from "../../schema/json-schema.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function write(line: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(`${line}\n`)) resolve();
    else process.stdout.once("drain", resolve);
  });
}

/** JSON.stringify, or null when the value cannot be printed (e.g. nested deeper than the stack allows). */
function print(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return null;
  }
}

function answerLine(line: string): string {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return JSON.stringify({ ok: false, error: `input line is not JSON: ${(error as Error).message}` });
  }
  if (request === null || typeof request !== "object" || typeof (request as { input?: unknown }).input !== "string") {
    return JSON.stringify({ ok: false, error: 'input line needs a string "input" field' });
  }
  const { input, schema } = request as { input: string; schema?: JsonSchema | null };
  const result = recover(input, { schema: schema && typeof schema === "object" ? schema : null });
  if (!result.ok) return JSON.stringify({ ok: false, error: result.error });
  return (
    print({ ok: true, value: result.value, steps: result.steps }) ??
    JSON.stringify({ ok: false, error: "value too deeply nested to print" })
  );
}

async function repairJsonl(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    await write(answerLine(line));
  }
}

export const command = new Command("repair")
  .description("recover the JSON a model meant from a reply on stdin (exit 1 when unrecoverable)")
  .option("-s, --schema <file>", "JSON Schema file guiding recovery and coercion")
  .option("--jsonl", 'batch mode: stdin lines {"input": "...", "schema": {...}|null}, one result line each')
  .action(async (opts: { schema?: string; jsonl?: boolean }) => {
    if (opts.jsonl) {
      await repairJsonl();
      return;
    }
    let schema: JsonSchema | null = null;
    if (opts.schema) {
      try {
        schema = JSON.parse(await readFile(opts.schema, "utf8")) as JsonSchema;
      } catch (error) {
        process.stderr.write(`ballast repair: cannot read schema ${opts.schema}: ${(error as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
    }
    const result = recover(await readStdin(), { schema });
    if (!result.ok) {
      process.stderr.write(`ballast repair: ${result.error}\n`);
      process.exitCode = 1;
      return;
    }
    const printed = print(result.value);
    if (printed === null) {
      process.stderr.write("ballast repair: value too deeply nested to print\n");
      process.exitCode = 1;
      return;
    }
    await write(printed);
    if (result.steps.length > 0) process.stderr.write(`repaired: ${result.steps.join(", ")}\n`);
  });
