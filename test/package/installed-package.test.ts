/**
 * The package as a user gets it: the files `npm pack` would publish are copied into a temporary project's
 * node_modules/ballast (its dependencies linked from this checkout's node_modules, so nothing is fetched),
 * then a plain `node` script there imports `ballast`, `ballast/openai` and `ballast/testing` and runs a call
 * against the simulator, and the installed `ballast` command answers. Needs dist/ (`npm test` builds it).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../..", import.meta.url));
const exec = promisify(execFile);
let project = "";
let packed: string[] = [];

/** A user's environment: no dev mode, no source condition. */
const env = (): NodeJS.ProcessEnv => {
  const { BALLAST_DEV: _dev, NODE_OPTIONS: _options, ...rest } = process.env;
  return rest;
};

before(async () => {
  assert.ok(existsSync(join(root, "dist/index.js")), "dist/ is built (npm run build)");
  const { stdout } = await exec("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, env: env(), timeout: 60_000 });
  packed = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);

  project = mkdtempSync(join(tmpdir(), "ballast-user-"));
  const modules = join(project, "node_modules");
  const target = join(modules, "ballast");
  for (const file of packed) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(root, file), join(target, file));
  }
  // every installed package but ballast itself and the optional peers (npm does not install those), linked:
  // an offline stand-in for `npm install`
  const { peerDependenciesMeta } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
  };
  // gpt-tokenizer stays: the simulator (ballast/testing) asks for it, and these scripts run one.
  const optionalPeers = new Set(
    Object.keys(peerDependenciesMeta).filter((name) => peerDependenciesMeta[name]!.optional && name !== "gpt-tokenizer"),
  );
  for (const name of readdirSync(join(root, "node_modules"))) {
    if (name.startsWith(".") || name === "ballast") continue;
    if (name.startsWith("@")) {
      mkdirSync(join(modules, name), { recursive: true });
      for (const sub of readdirSync(join(root, "node_modules", name))) {
        if (!optionalPeers.has(`${name}/${sub}`)) symlinkSync(join(root, "node_modules", name, sub), join(modules, name, sub));
      }
    } else if (!optionalPeers.has(name)) symlinkSync(join(root, "node_modules", name), join(modules, name));
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", type: "module", private: true }));
});
after(() => rmSync(project, { recursive: true, force: true }));

test("the published files hold the compiled code, the command and its data, not the sources", () => {
  for (const file of [
    "package.json",
    "bin/ballast.js",
    "dist/index.js",
    "dist/index.d.ts",
    "dist/cli/main.js",
    "dist/simulator/index.js",
  ]) {
    assert.ok(packed.includes(file), `${file} is published`);
  }
  assert.ok(
    packed.some((f) => f.startsWith("data/")),
    "data/ is published",
  );
  assert.ok(!packed.some((f) => f.startsWith("src/") || f.startsWith("test/")), "no sources or tests");
});

test("a user's script imports ballast, ballast/openai and ballast/testing and gets a schema-valid value", async () => {
  const script = `
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator } from "ballast/testing";

const sim = await startSimulator({ seed: 1 });
try {
  const llm = createBallast({ models: [openai("gpt-4.1-nano", { baseURL: sim.url + "/v1", apiKey: "k" })], traces: false });
  const Review = z.object({ sentiment: z.enum(["positive", "negative"]), score: z.number().int().min(1).max(10) });
  const r = await llm.generate({ schema: Review, input: "Loved it." });
  console.log(JSON.stringify({ source: r.source, ok: Review.safeParse(r.value).success }));
} finally {
  await sim.close();
}
`;
  writeFileSync(join(project, "user.mjs"), script);
  const { stdout } = await exec(process.execPath, ["user.mjs"], { cwd: project, env: env(), timeout: 60_000 });
  assert.deepEqual(JSON.parse(stdout.trim()), { source: "model", ok: true });
});

test("without the optional peers, the entry points that do not need them load", async () => {
  const script = `
const loaded = [];
for (const entry of ["ballast", "ballast/openai", "ballast/testing", "ballast/batch", "ballast/anthropic", "ballast/schema"]) {
  await import(entry);
  loaded.push(entry);
}
console.log(JSON.stringify(loaded));
`;
  writeFileSync(join(project, "entries.mjs"), script);
  const { stdout } = await exec(process.execPath, ["entries.mjs"], { cwd: project, env: env(), timeout: 60_000 });
  assert.equal(JSON.parse(stdout.trim()).length, 6);
});

test("the installed command runs the compiled CLI", async () => {
  const bin = join(project, "node_modules/ballast/bin/ballast.js");
  const version = await exec(process.execPath, [bin, "--version"], { cwd: project, env: env(), timeout: 30_000 });
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  for (const args of [["--help"], ["batch", "--help"], ["worker", "--help"], ["traces", "--help"]]) {
    const help = await exec(process.execPath, [bin, ...args], { cwd: project, env: env(), timeout: 30_000 });
    assert.match(help.stdout, /Usage: ballast/, args.join(" "));
  }
  const child = execFile(process.execPath, [bin, "repair"], { cwd: project, env: env(), timeout: 30_000 });
  child.stdin!.end("Sure! {'name': 'x', 'n': 1,");
  const out = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (d: Buffer) => (text += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))));
  });
  assert.deepEqual(JSON.parse(out), { name: "x", n: 1 });
});
