// The README's test command. Without filters it runs, in order: the strict type check, `biome lint`, the
// `biome format` check, the layer map (dependency-cruiser over src/, rules in .dependency-cruiser.cjs), the
// build of dist/ (the package test imports it as a user would), then every
// *.test.ts under src/ and test/ on node's own test runner (through tsx, resolving `ballast/*` to the
// TypeScript sources via the "ballast-source" condition). Files named *.timing.test.ts assert deadline
// behaviour; they run afterwards, one at a time, so the rest of the suite cannot steal their CPU.
// The compatibility suite's Mastra lives in its own package, test/compat/mastra/ (its own lock file, apart
// from the root tree): when compat tests are selected and that folder's install is missing or older than its
// lock file, it is installed first with `npm ci`.
// Tests run with a temporary working directory, so anything written relative to it (the default trace
// store `.ballast/traces.db`) never lands in the checkout. The last line is "N passed, N failed"; the exit
// code is non-zero when any step or test failed.
// Usage: npm test [-- path/or/filter ...]   (filters keep test files whose path contains one of them and
// skip the checks; the build still runs when dist/ is missing)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const filters = process.argv.slice(2);

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith(".test.ts")) out.push(relative(root, full));
  }
  return out;
}

const files = ["src", "test"]
  .flatMap((d) => findTests(join(root, d)))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const timing = files.filter((f) => f.endsWith(".timing.test.ts"));
const parallel = files.filter((f) => !timing.includes(f));

/** Whether test/compat/mastra/node_modules holds the versions its lock file names (direct dependencies). */
function nestedInstalled(dir) {
  try {
    const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));
    return Object.keys(lock.packages[""].dependencies ?? {}).every((name) => {
      const installed = JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8"));
      return installed.version === lock.packages[`node_modules/${name}`]?.version;
    });
  } catch {
    return false;
  }
}

const mastraDir = join(root, "test/compat/mastra");
if (files.some((f) => f.startsWith(join("test", "compat"))) && !nestedInstalled(mastraDir)) {
  console.log("\n> npm ci --prefix test/compat/mastra (the compatibility suite's Mastra)");
  const started = Date.now();
  const npm = process.env.npm_execpath;
  const code = await run(npm ? process.execPath : "npm", [...(npm ? [npm] : []), "ci", "--prefix", mastraDir, "--no-audit", "--no-fund"]);
  console.log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0) console.error("the Mastra install failed: its compatibility tests will fail");
}

const workDir = mkdtempSync(join(tmpdir(), "ballast-test-"));
const tapDir = join(workDir, "tap");
const cwd = join(workDir, "cwd");
mkdirSync(tapDir);
mkdirSync(cwd);

function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit", ...options });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const bin = (path) => join(root, "node_modules", path);
const checks = [
  ["type check", [bin("typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit"]],
  ["biome lint", [bin("@biomejs/biome/bin/biome"), "lint", "--diagnostic-level=error"]],
  ["biome format", [bin("@biomejs/biome/bin/biome"), "format", "--diagnostic-level=error"]],
  [
    "layer map",
    [bin("dependency-cruiser/bin/dependency-cruise.mjs"), "src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
  ],
  ["build", [bin("typescript/bin/tsc"), "-p", "tsconfig.build.json"]],
];
const failedSteps = [];
for (const [name, args] of checks) {
  const needed = filters.length === 0 || (name === "build" && !existsSync(join(root, "dist/index.js")));
  if (!needed) continue;
  console.log(`\n> ${name}`);
  if ((await run(process.execPath, args)) !== 0) {
    console.error(`${name} failed`);
    failedSteps.push(name);
    if (name === "build") break;
  }
}

function runTests(list, concurrency, tap) {
  if (list.length === 0 || failedSteps.includes("build")) return Promise.resolve(0);
  return run(
    process.execPath,
    [
      "--conditions=ballast-source",
      "--import",
      import.meta.resolve("tsx"),
      "--test",
      `--test-concurrency=${concurrency}`,
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${join(tapDir, tap)}`,
      ...list.map((f) => join(root, f)),
    ],
    // BALLAST_DEV: CLI tests run the sources they test; test/package runs dist/ as an installed package
    { cwd, env: { ...process.env, BALLAST_DEV: "1", TSX_TSCONFIG_PATH: join(root, "tsconfig.json") } },
  );
}

function counts(tap) {
  try {
    const text = readFileSync(join(tapDir, tap), "utf8");
    const read = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
    return { pass: read("pass"), fail: read("fail"), skipped: read("skipped") + read("todo") };
  } catch {
    return { pass: 0, fail: 0, skipped: 0 };
  }
}

const parallelCode = await runTests(parallel, 3, "parallel.tap");
const timingCode = await runTests(timing, 1, "timing.tap");

const a = counts("parallel.tap");
const b = counts("timing.tap");
rmSync(workDir, { recursive: true, force: true });
const failed = a.fail + b.fail + failedSteps.length;
const skipped = a.skipped + b.skipped;
if (failedSteps.length > 0) console.error(`\nfailed steps: ${failedSteps.join(", ")}`);
console.log(`\n${a.pass + b.pass} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failedSteps.length || parallelCode || timingCode || failed ? 1 : 0);
