// `npm run compat`: runs every compatibility scenario against a fresh simulator and rewrites
// docs/COMPATIBILITY.md with the result table (client x scenario kind). Exits 1 when any scenario fails.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { startSimulator } from "../../src/simulator/index.js";
import { NOT_COVERED, SCENARIOS } from "./index.js";
import { MASTRA_DIR, MASTRA_INSTALL } from "./mastra.js";
import { SCENARIO_KINDS } from "./scenario.js";

if (!existsSync(new URL("node_modules/@mastra/core/package.json", MASTRA_DIR))) {
  console.error(`Mastra is not installed for the compatibility suite: run \`${MASTRA_INSTALL}\` first`);
  process.exit(1);
}

const sim = await startSimulator({ seed: 11 });
const results: Array<{ client: string; kind: string; detail: string; clientIssue?: string; error?: string }> = [];
for (const s of SCENARIOS) {
  const row = { client: s.client, kind: s.kind, detail: s.detail, clientIssue: s.clientIssue };
  try {
    await s.run(sim);
    results.push(row);
  } catch (error) {
    results.push({ ...row, error: String(error instanceof Error ? error.message : error).split("\n")[0] });
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
// Mastra's own tree (test/compat/mastra/): its AI SDK 5 and AI SDK 4 OpenAI providers and zod 3
const MASTRA_PACKAGES = ["@mastra/core", "@ai-sdk/openai", "@ai-sdk/openai-v1", "zod"];
const versionIn = (modules: URL, name: string) => {
  const manifest = JSON.parse(readFileSync(new URL(`${name}/package.json`, modules), "utf8")) as { name: string; version: string };
  return `${manifest.name} ${manifest.version}${manifest.name === name ? "" : ` (as ${name})`}`;
};
const versions = PACKAGES.map((name) => versionIn(new URL("../../node_modules/", import.meta.url), name));
const mastraVersions = MASTRA_PACKAGES.map((name) => versionIn(new URL("node_modules/", MASTRA_DIR), name));

const clients = [...new Set(results.map((r) => r.client))];
const cell = (client: string, kind: string) => {
  const rows = results.filter((r) => r.client === client && r.kind === kind);
  if (rows.length === 0) return "n/a";
  if (rows.some((r) => r.error)) return "**FAIL**";
  return rows.some((r) => r.clientIssue) ? "pass (client issue)" : "pass";
};
const lines = [
  "# Compatibility with third-party clients",
  "",
  "Each client, unchanged, against `ballast/testing`'s simulator over loopback HTTP. Regenerate with `npm run compat`;",
  "the same scenarios run in `npm test` (test/compat/).",
  "",
  `Versions: ${versions.join(", ")}; for Mastra, installed apart in test/compat/mastra/: ${mastraVersions.join(", ")};`,
  `Node ${process.versions.node}.`,
  "",
  `| client | ${SCENARIO_KINDS.join(" | ")} |`,
  `| --- | ${SCENARIO_KINDS.map(() => "---").join(" | ")} |`,
  ...clients.map((c) => `| ${c} | ${SCENARIO_KINDS.map((k) => cell(c, k)).join(" | ")} |`),
  "",
  "## What each cell runs",
  "",
  ...results.map((r) => `- ${r.client}, ${r.kind}: ${r.detail}${r.error ? ` (**failed**: ${r.error})` : ""}`),
  "",
  "## Client issues",
  "",
  "What a client gets wrong against the real API itself; its cell passes because the simulator answers as the API does.",
  "",
  ...results.filter((r) => r.clientIssue).map((r) => `- ${r.client}, ${r.kind}: ${r.clientIssue}`),
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
