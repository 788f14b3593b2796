// How `ballast repair` reads and writes: stdin redirected from a file (read in one go) and stdin from a
// pipe (streamed) give byte-identical output, non-ASCII text included, and a reply too large for one
// pipe buffer comes out whole on a piped stdout; the byte fast pass prints exactly what recover() would.
// Runs the built dist/, as a user's shell would.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { recover, repairBytes } from "../../src/recovery/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "ballast-repair-io-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** `ballast repair` with stdin either from a pipe fed `input`, or redirected from a file holding it. */
function repair(input: string, stdin: "pipe" | "file"): Promise<Run> {
  const file = join(dir, `input-${Math.random().toString(36).slice(2)}.txt`);
  let fd: number | undefined;
  if (stdin === "file") {
    writeFileSync(file, input);
    fd = openSync(file, "r");
  }
  return new Promise<Run>((resolve, reject) => {
    const { BALLAST_DEV: _dev, ...env } = process.env;
    const child = spawn(process.execPath, [join(root, "bin/ballast.js"), "repair"], {
      cwd: root,
      env,
      stdio: [fd ?? "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let stderr = "";
    const deadline = setTimeout(() => child.kill(), 60_000);
    child.stdout?.on("data", (d: Buffer) => out.push(d));
    child.stderr?.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
    if (fd === undefined) child.stdin?.end(input);
  }).finally(() => {
    if (fd !== undefined) closeSync(fd);
  });
}

const reply = "Voilà :\n```json\n{'café': 'crème brûlée', 'emoji': '🙂 ok', tags: ['naïve', 'Ω',],}\n```";
const meant = { café: "crème brûlée", emoji: "🙂 ok", tags: ["naïve", "Ω"] };

test("repair: stdin from a file and from a pipe print the same bytes, non-ASCII text intact", async () => {
  const [fromFile, fromPipe] = await Promise.all([repair(reply, "file"), repair(reply, "pipe")]);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromPipe.code, 0, fromPipe.stderr);
  assert.deepEqual(JSON.parse(fromFile.stdout.toString("utf8")), meant);
  assert.ok(fromFile.stdout.equals(fromPipe.stdout), "same output whichever way stdin came");
  assert.equal(fromFile.stdout.toString("utf8"), `${JSON.stringify(meant)}\n`);
  assert.equal(fromFile.stderr, fromPipe.stderr);
});

test("repair: an empty file on stdin is unrecoverable, as an empty pipe is", async () => {
  const [fromFile, fromPipe] = await Promise.all([repair("", "file"), repair("", "pipe")]);
  assert.equal(fromFile.code, 1);
  assert.equal(fromPipe.code, 1);
  assert.equal(fromFile.stdout.length, 0);
  assert.equal(fromFile.stderr, fromPipe.stderr);
});

test("repair: a reply far larger than a pipe buffer comes out whole on a piped stdout", async () => {
  const records = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `customer ${i}`, tags: ["a", "b"] }));
  // single quotes and trailing commas throughout, cut before the closing bracket
  const broken = `[${records.map((r) => `{'id': ${r.id}, 'name': '${r.name}', 'tags': ['a', 'b',],},`).join("\n")}`;
  for (const stdin of ["file", "pipe"] as const) {
    const out = await repair(broken, stdin);
    assert.equal(out.code, 0, out.stderr);
    const text = out.stdout.toString("utf8");
    assert.ok(text.endsWith("]\n"), `${stdin}: the output ends with the closing bracket and a newline`);
    assert.deepEqual(JSON.parse(text), records);
    assert.match(out.stderr, /repaired: .*single_quotes.*trailing_comma/);
  }
});

test("repair: with or without the byte fast pass, the output is what recover() gives", async () => {
  const records = Array.from(
    { length: 300 },
    (_, i) => `{'id': ${i}, 'name': 'n° ${i} "quoted"', 'ok': ${i % 2 === 0}, 'xs': [1.50, -2, null,],},`,
  );
  const broken = `[\n${records.join("\n")}`.slice(0, -25);
  // the same document with a comment: outside the fast pass's grammar, so recover() answers it
  const commented = `// data\n${broken}`;
  assert.notEqual(repairBytes(Buffer.from(broken)), null, "the fast pass takes the broken document");
  assert.equal(repairBytes(Buffer.from(commented)), null, "the fast pass leaves the commented one");
  for (const text of [broken, commented]) {
    const expected = recover(text);
    assert.ok(expected.ok);
    for (const stdin of ["file", "pipe"] as const) {
      const out = await repair(text, stdin);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout.toString("utf8"), `${JSON.stringify(expected.value)}\n`);
      assert.equal(out.stderr, `repaired: ${expected.steps.join(", ")}\n`);
    }
  }
});

test("repair: a bare sentence still exits 1, with nothing on stdout", async () => {
  const out = await repair("The model said no.", "file");
  assert.equal(out.code, 1);
  assert.equal(out.stdout.length, 0);
  assert.match(out.stderr, /no JSON in the input/);
});
