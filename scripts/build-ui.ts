// Part of `npm run build`: bundles the dashboard's front end (src/ui/front, uPlot included) with esbuild into
// dist/ui/public, where an installed package's `ballast ui` serves it from (no build step for the user).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleFrontEnd } from "../src/ui/index.js";

const out = new URL("../dist/ui/public", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const files = await bundleFrontEnd();
for (const [name, body] of files) writeFileSync(join(out, name), body);
const kb = [...files.values()].reduce((s, b) => s + b.length, 0) / 1024;
console.log(`dashboard front end: ${[...files.keys()].join(", ")} (${kb.toFixed(1)} KB) -> ${out}`);
