/**
 * `ballast repair`: recovers the JSON a model meant from a reply on stdin (`--schema` guides it: a JSON Schema
 * file, or a .ts/.js module exporting a zod or Standard Schema), or with `--jsonl` one `{"input", "schema"}`
 * line per reply, answering one result line each, in order. Without a schema, a reply that holds no JSON
 * structure (a bare sentence) is unrecoverable: exit 1, or `ok: false` in batch mode. Without a schema the
 * reply is first offered, as bytes, to the byte fast pass (repairBytes), which prints a broken document
 * without building it as a JS value; what that pass does not take goes through recover() as before.
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { recover, repairBytes } from "../../recovery/index.js";
import type { JsonSchema } from "../../schema/index.js";
import { readStdinBytes, reportSteps, writeLineBytes } from "../stdio-bytes.js";

/** A module path for --schema (loaded with the schema converters only then, so plain repairs start fast). */
const MODULE_FILE = /\.(c|m)?(t|j)sx?$/;

const NO_STRUCTURE = "no JSON in the input: it holds no object, array or JSON value";

/**
 * Does the text hold something JSON-shaped: an object or array opener, or a whole JSON value (`42`, `"x"`,
 * `true`)? A bare sentence does not, so it is not turned into a JSON string. Only used without a schema: a
 * schema that asks for a string or an enum may rightly take free text.
 */
export function holdsJson(text: string): boolean {
  if (text.includes("{") || text.includes("[")) return true;
  const trimmed = text.trim();
  const first = trimmed.charCodeAt(0);
  if (first === 0x22 || first === 0x27) return true; // a quoted string, maybe broken
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

/** The `--schema` argument as JSON Schema: a JSON file, or a module's schema (`file.ts` or `file.ts#Name`). */
async function readSchema(spec: string): Promise<JsonSchema> {
  const hash = spec.lastIndexOf("#");
  const file = hash > 0 && MODULE_FILE.test(spec.slice(0, hash)) ? spec.slice(0, hash) : spec;
  const wanted = file === spec ? undefined : spec.slice(hash + 1);
  if (!MODULE_FILE.test(file)) return JSON.parse(readFileSync(file, "utf8")) as JsonSchema;
  const { exportedSchemas, loadModule } = await import("../load-module.js");
  const { toJsonSchema } = await import("../../schema/index.js");
  const found = exportedSchemas(await loadModule(file));
  const named = wanted === undefined ? found : found.filter((s) => s.name === wanted);
  const names = found.map((s) => s.name).join(", ");
  if (named.length === 0) {
    throw new Error(
      wanted === undefined
        ? "the module exports no zod or Standard Schema"
        : `no exported schema "${wanted}" (exports: ${names || "none"})`,
    );
  }
  const chosen = named.find((s) => s.name === "default") ?? (named.length === 1 ? named[0] : undefined);
  if (!chosen) throw new Error(`the module exports several schemas (${names}): pick one with ${file}#Name`);
  return toJsonSchema(chosen.schema);
}

/** Past this length a line and its newline are written apart rather than copied into one string. */
const COPY_LIMIT = 64 * 1024;

/** Writes `line` and a newline (one write for a short line), resolving once stdout can take more. */
function write(line: string): Promise<void> {
  let more: boolean;
  if (line.length > COPY_LIMIT) {
    process.stdout.write(line);
    more = process.stdout.write("\n");
  } else more = process.stdout.write(`${line}\n`);
  return more ? Promise.resolve() : new Promise((resolve) => process.stdout.once("drain", resolve));
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
  const guided = schema && typeof schema === "object" ? schema : null;
  const result = recover(input, { schema: guided });
  if (!result.ok) return JSON.stringify({ ok: false, error: result.error });
  if (!guided && !holdsJson(input)) return JSON.stringify({ ok: false, error: NO_STRUCTURE });
  return (
    print({ ok: true, value: result.value, steps: result.steps }) ??
    JSON.stringify({ ok: false, error: "value too deeply nested to print" })
  );
}

async function repairJsonl(): Promise<void> {
  const { createInterface } = await import("node:readline");
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    await write(answerLine(line));
  }
}

/**
 * One reply without a schema, as read from stdin: the byte fast pass first (unless the caller has tried it
 * already), then recover(). Sets the exit code for an unrecoverable reply.
 */
export async function repairReply(input: Buffer, bytesTried = false): Promise<void> {
  if (!bytesTried) {
    const steps: string[] = [];
    const repaired = repairBytes(input, steps);
    if (repaired !== null) {
      await writeLineBytes(repaired);
      reportSteps(steps);
      return;
    }
  }
  await repairText(input.toString("utf8"), null);
}

/** One reply through recover(), printed; exit 1 when unrecoverable. */
async function repairText(text: string, schema: JsonSchema | null): Promise<void> {
  const result = recover(text, { schema });
  if (!result.ok || (!schema && !holdsJson(text))) {
    process.stderr.write(`ballast repair: ${result.ok ? NO_STRUCTURE : result.error}\n`);
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
  reportSteps(result.steps);
}

export const command = new Command("repair")
  .description("recover the JSON a model meant from a reply on stdin (exit 1 when unrecoverable)")
  .option("-s, --schema <file>", "JSON Schema file, or a .ts/.js module exporting a zod schema (file.ts#Name picks one)")
  .option("--jsonl", 'batch mode: stdin lines {"input": "...", "schema": {...}|null}, one result line each')
  .action(async (opts: { schema?: string; jsonl?: boolean }) => {
    if (opts.jsonl) {
      await repairJsonl();
      return;
    }
    let schema: JsonSchema | null = null;
    if (opts.schema) {
      try {
        schema = await readSchema(opts.schema);
      } catch (error) {
        process.stderr.write(`ballast repair: cannot use schema ${opts.schema}: ${(error as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
    }
    const input = await readStdinBytes();
    if (schema === null) await repairReply(input);
    else await repairText(input.toString("utf8"), schema);
  });
