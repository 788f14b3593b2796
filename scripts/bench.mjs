// Runs one benchmark: `npm run bench -- <name> [args]` executes bench/<name>/index.ts (or bench/<name>.ts).
// Each bench prints a readable table and ends with one line `RESULT <name> {json}`.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const [name, ...rest] = process.argv.slice(2);
const candidates = name ? [join(root, "bench", name, "index.ts"), join(root, "bench", `${name}.ts`)] : [];
const file = candidates.find((f) => existsSync(f));
if (!file) {
  const names = readdirSync(join(root, "bench"))
    .filter((n) => n !== "shared")
    .map((n) => n.replace(/\.ts$/, ""))
    .join(", ");
  console.error(`usage: npm run bench -- <name>   (available: ${names || "none"})`);
  process.exit(2);
}
const child = spawn(process.execPath, ["--conditions=ballast-source", "--import", "tsx", "--expose-gc", file, ...rest], {
  cwd: root,
  stdio: "inherit",
});
child.on("exit", (code) => process.exit(code ?? 1));
