/**
 * `ballast repair` end to end: spawns `node bin/ballast.js repair` with a reply (or JSONL batch) on stdin.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const root = new URL("../../", import.meta.url).pathname;

function ballast(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/ballast.js", "repair", ...args], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

// each spawn pays the TypeScript loader start-up, so all of them start at once and the tests await them
const dir = mkdtempSync(join(tmpdir(), "ballast-repair-"));
const schemaFile = join(dir, "schema.json");
writeFileSync(schemaFile, JSON.stringify({ type: "object", properties: { score: { type: "number" } }, required: ["score"] }));
const batch = [
  { input: "{a: 1,}", schema: null, id: "ignored" },
  { input: "", schema: null },
  { input: '["1", "2"]', schema: { type: "array", items: { type: "integer" } } },
];
const runs = {
  reply: ballast([], "Here you go:\n```json\n{'name': 'Ada', langs: ['en', 'fr',],}\n```"),
  blank: ballast([], "   "),
  schema: ballast(["--schema", schemaFile], 'noise {"other": 1} then {"score": "8.5"}'),
  jsonl: ballast(["--jsonl"], `${batch.map((l) => JSON.stringify(l)).join("\n")}\n`),
};

test("repair: a broken reply on stdin prints the recovered JSON", async () => {
  const out = await runs.reply;
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), { name: "Ada", langs: ["en", "fr"] });
});

test("repair: unrecoverable input exits 1 with the reason on stderr", async () => {
  const out = await runs.blank;
  assert.equal(out.code, 1);
  assert.equal(out.stdout, "");
  assert.match(out.stderr, /no JSON value/);
});

test("repair --schema: the schema guides the result", async () => {
  const out = await runs.schema;
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), { score: 8.5 });
});

test("repair --jsonl: one answer line per input line, in order", async () => {
  const out = await runs.jsonl;
  assert.equal(out.code, 0, out.stderr);
  const answers = out.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(answers.length, 3);
  assert.deepEqual(answers[0], { ok: true, value: { a: 1 }, steps: ["unquoted_key", "trailing_comma"] });
  assert.equal(answers[1].ok, false);
  assert.equal(typeof answers[1].error, "string");
  assert.equal(answers[2].ok, true);
  assert.deepEqual(answers[2].value, [1, 2]);
});
