#!/usr/bin/env node
// The `ballast` command. Runs the compiled CLI from dist/ (built by `npm install` through the `prepare`
// script, and by `npm pack` through `prepack`). BALLAST_DEV=1 runs the TypeScript sources through tsx
// instead, for working on the CLI without a build; it needs a checkout with tsx installed.
import { existsSync } from "node:fs";

const compiled = new URL("../dist/cli/main.js", import.meta.url);
const source = new URL("../src/cli/main.ts", import.meta.url);
const dev = process.env.BALLAST_DEV === "1" || process.env.BALLAST_DEV === "true";

if (dev && existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  console.error(
    existsSync(source)
      ? "ballast: dist/ is not built. Run `npm run build` (or `npm install`), or set BALLAST_DEV=1 to run the sources."
      : "ballast: this installation has no dist/ folder; reinstall the package.",
  );
  process.exit(2);
}
