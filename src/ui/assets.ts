/**
 * The dashboard's front end: index.html, app.js (with uPlot) and app.css. An installed package serves the files
 * `npm run build` bundled into dist/ui/public; a checkout bundles src/ui/front with esbuild in memory at start.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Asset {
  type: string;
  body: Buffer;
}

/** Path -> file, e.g. "/app.js". */
export type Assets = Map<string, Asset>;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};
const typeOf = (name: string): string => TYPES[name.slice(name.lastIndexOf("."))] ?? "application/octet-stream";

const here = dirname(fileURLToPath(import.meta.url));
export const FRONT_DIR = join(here, "front");
export const BUILT_DIR = join(here, "public");
export const ASSET_NAMES = ["index.html", "app.js", "app.css"] as const;

/** Bundles the front end (minified, no source map): the files `npm run build` ships. */
export async function bundleFrontEnd(): Promise<Map<string, Buffer>> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [join(FRONT_DIR, "app.ts")],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2022",
    write: false,
    outdir: "/out",
    logLevel: "silent",
  });
  const files = new Map<string, Buffer>();
  for (const f of result.outputFiles) files.set(f.path.slice(f.path.lastIndexOf("/") + 1), Buffer.from(f.contents));
  files.set("index.html", readFileSync(join(FRONT_DIR, "index.html")));
  return files;
}

export async function loadAssets(): Promise<Assets> {
  let files: Map<string, Buffer>;
  if (ASSET_NAMES.every((n) => existsSync(join(BUILT_DIR, n)))) {
    files = new Map(ASSET_NAMES.map((n) => [n, readFileSync(join(BUILT_DIR, n))]));
  } else if (existsSync(join(FRONT_DIR, "app.ts"))) {
    files = await bundleFrontEnd();
  } else {
    throw new Error(`the dashboard's front end is missing (${BUILT_DIR}): run npm run build`);
  }
  const assets: Assets = new Map();
  for (const [name, body] of files) assets.set(`/${name}`, { type: typeOf(name), body });
  return assets;
}
