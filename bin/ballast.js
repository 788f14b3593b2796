#!/usr/bin/env node
// The `ballast` command. Runs the compiled CLI from dist/ when the package is installed; inside a checkout
// (src/ present, tsx installed) it runs the TypeScript sources directly so no build step is needed.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import(new URL("../dist/cli/main.js", import.meta.url).href);
}
