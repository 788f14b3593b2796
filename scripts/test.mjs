// Runs the whole suite: a strict type check, then every *.test.ts under src/ and test/ on node's own test
// runner (through tsx, resolving `ballast/*` to the TypeScript sources via the "source" condition).
// Files named *.timing.test.ts assert wall-clock behaviour (deadlines that fire within 50 ms); they run
// afterwards, one at a time, so the rest of the suite cannot steal their CPU. The last line is the total:
// "N passed, N failed".
// Usage: npm test [-- path/or/filter ...]   (filters keep test files whose path contains one of them)
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
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

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const tapDir = mkdtempSync(join(tmpdir(), "ballast-test-"));
function runTests(list, concurrency, tap) {
  if (list.length === 0) return Promise.resolve(0);
  return run(process.execPath, [
    "--conditions=ballast-source",
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${join(tapDir, tap)}`,
    ...list,
  ]);
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

const typecheck =
  filters.length === 0 ? run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"]) : Promise.resolve(0);
const parallelCode = await runTests(parallel, 3, "parallel.tap");
const timingCode = await runTests(timing, 1, "timing.tap");
const typecheckCode = await typecheck;
if (typecheckCode !== 0) console.error("type check failed");

const a = counts("parallel.tap");
const b = counts("timing.tap");
rmSync(tapDir, { recursive: true, force: true });
const failed = a.fail + b.fail + (typecheckCode ? 1 : 0);
console.log(`\n${a.pass + b.pass} passed, ${failed} failed${a.skipped + b.skipped ? `, ${a.skipped + b.skipped} skipped` : ""}`);
process.exit(typecheckCode || parallelCode || timingCode || (failed ? 1 : 0));
