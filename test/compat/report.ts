// `npm run compat`: runs every compatibility scenario against a fresh simulator and rewrites
// docs/COMPATIBILITY.md with the result table (client x scenario kind). Exits 1 when any scenario fails.
import { readFileSync, writeFileSync } from "node:fs";
import { startSimulator } from "../../src/simulator/index.js";
import { NOT_COVERED, SCENARIOS } from "./index.js";
import { SCENARIO_KINDS } from "./scenario.js";

const sim = await startSimulator({ seed: 11 });
const results: Array<{ client: string; kind: string; detail: string; error?: string }> = [];
for (const s of SCENARIOS) {
  try {
    await s.run(sim);
    results.push({ client: s.client, kind: s.kind, detail: s.detail });
  } catch (error) {
    results.push({
      client: s.client,
      kind: s.kind,
      detail: s.detail,
      error: String(error instanceof Error ? error.message : error).split("\n")[0],
    });
  }
}
await sim.close();

const PACKAGES = [
  "openai",
  "@anthropic-ai/sdk",
  "ai",
  "@ai-sdk/openai",
  "@ai-sdk/anthropic",
  "@langchain/openai",
  "@langchain/anthropic",
  "@langchain/core",
  "@instructor-ai/instructor",
];
const versions = PACKAGES.map((name) => {
  const manifest = JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), "utf8")) as {
    version: string;
  };
  return `${name} ${manifest.version}`;
});

const clients = [...new Set(results.map((r) => r.client))];
const cell = (client: string, kind: string) => {
  const rows = results.filter((r) => r.client === client && r.kind === kind);
  if (rows.length === 0) return "n/a";
  return rows.every((r) => !r.error) ? "pass" : "**FAIL**";
};
const lines = [
  "# Compatibility with third-party clients",
  "",
  "Each client, unchanged, against `ballast/testing`'s simulator over loopback HTTP. Regenerate with `npm run compat`;",
  "the same scenarios run in `npm test` (test/compat/).",
  "",
  `Versions: ${versions.join(", ")}; Node ${process.versions.node}.`,
  "",
  `| client | ${SCENARIO_KINDS.join(" | ")} |`,
  `| --- | ${SCENARIO_KINDS.map(() => "---").join(" | ")} |`,
  ...clients.map((c) => `| ${c} | ${SCENARIO_KINDS.map((k) => cell(c, k)).join(" | ")} |`),
  "",
  "## What each cell runs",
  "",
  ...results.map((r) => `- ${r.client}, ${r.kind}: ${r.detail}${r.error ? ` (**failed**: ${r.error})` : ""}`),
  "",
  "## Not covered",
  "",
  ...NOT_COVERED.map((n) => `- ${n.client}: ${n.reason}`),
  "",
];
writeFileSync(new URL("../../docs/COMPATIBILITY.md", import.meta.url), lines.join("\n"));
const failed = results.filter((r) => r.error).length;
console.log(`${results.length - failed} of ${results.length} compatibility scenarios pass; docs/COMPATIBILITY.md written`);
process.exit(failed > 0 ? 1 : 0);
