// The public surface stays small and documented: the root entry's runtime exports, a doc comment with an
// example on every subpath entry, and the layer table in docs/ARCHITECTURE.md matching the one
// .dependency-cruiser.cjs enforces (so the map a newcomer reads is the map the machine checks).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { exports: Record<string, Record<string, string>> };

test("the root entry exports at most 20 runtime values, the client and the errors a call throws", async () => {
  const entry = await import("ballast");
  const names = Object.keys(entry).sort();
  assert.ok(names.length <= 20, `${names.length} runtime exports: ${names.join(", ")}`);
  for (const name of [
    "createBallast",
    "isBallastError",
    "BallastError",
    "AllAttemptsFailedError",
    "FallbackFailedError",
    "ConfigurationError",
  ])
    assert.ok(names.includes(name), `missing ${name}`);
  for (const internal of ["admitCall", "settleCall", "combineValues", "textSimilarity", "stableJson", "buildPrompt"])
    assert.ok(!names.includes(internal), `${internal} should live on a subpath, not the root`);
});

test("every subpath entry opens with a doc comment that has an example", () => {
  for (const [subpath, targets] of Object.entries(pkg.exports)) {
    const source = readFileSync(`${root}${targets["ballast-source"]}`, "utf8");
    assert.ok(source.startsWith("/**"), `${subpath}: ${targets["ballast-source"]} has no doc comment first`);
    const doc = source.slice(0, source.indexOf("*/"));
    assert.match(doc, /@example/, `${subpath}: the doc comment has no @example`);
  }
});

test("docs/ARCHITECTURE.md's layer table is the one the dependency check enforces, and covers every folder", () => {
  const { LEVELS } = createRequire(import.meta.url)(`${root}.dependency-cruiser.cjs`) as { LEVELS: Record<string, number> };
  const doc = readFileSync(`${root}docs/ARCHITECTURE.md`, "utf8");
  const documented: Record<string, number> = {};
  for (const line of doc.split("\n")) {
    const m = /^\s*(\d+)\s{2,}(.+?)(?:\s{2,}|$)/.exec(line);
    if (!m) continue;
    for (const word of m[2]!.split(/\s+/)) {
      if (word === "src/index.ts") documented["(entry)"] = Number(m[1]);
      else if (word.endsWith("/")) documented[word.slice(0, -1)] = Number(m[1]);
    }
  }
  assert.deepEqual(documented, LEVELS);
  const folders = readdirSync(`${root}src`, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  for (const folder of folders) assert.ok(folder in LEVELS, `src/${folder}/ has no level`);
});
