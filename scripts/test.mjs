// Runs the whole suite: a strict type check, then every *.test.ts under src/ and test/ on node's own
// test runner (through tsx, resolving `ballast/*` to the TypeScript sources via the "source" condition).
// Usage: npm test [-- path/or/filter ...]   (filters keep test files whose path contains one of them)
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
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

const files = ["src", "test"].flatMap((d) => findTests(join(root, d))).sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const typecheck = filters.length === 0
  ? run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"])
  : Promise.resolve(0);
const tests = run(process.execPath, [
  "--conditions=source", "--import", "tsx", "--test", "--test-concurrency=4", "--test-reporter=spec", ...files,
]);
const [tc, tr] = await Promise.all([typecheck, tests]);
if (tc !== 0) console.error("type check failed");
process.exit(tc || tr);
