/**
 * `npm run bench -- cli-repair`: `ballast repair` end to end (a fresh process running the built dist/, stdin
 * from a file, stdout to /dev/null) against recover() in-process, on the recovery bench's 10 MB broken
 * document (single quotes, trailing commas, cut at 97%). The peer row is jsonrepair's own command on a 1 MB
 * slice (it is quadratic on trailing commas, so 10 MB would take minutes). Needs `npm run build` first.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { recover } from "../../src/recovery/index.js";
import { brokenDocument, makeRecords } from "../recovery/documents.js";

const MB = 1024 * 1024;
const root = fileURLToPath(new URL("../..", import.meta.url));
if (!existsSync(join(root, "dist/cli/main.js"))) {
  console.error("cli-repair: dist/ is not built; run `npm run build` first");
  process.exit(2);
}

const full = brokenDocument(makeRecords(10 * MB));
const doc = full.slice(0, Math.floor(full.length * 0.97));
const slice = brokenDocument(makeRecords(MB));
const dir = mkdtempSync(join(tmpdir(), "ballast-cli-repair-"));
const file = join(dir, "broken.txt");
const small = join(dir, "broken-1mb.txt");
writeFileSync(file, doc);
writeFileSync(small, slice.slice(0, Math.floor(slice.length * 0.97)));

function best(runs: number, fn: () => void): number {
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - started);
  }
  return ms;
}

/** Wall time of one command with stdin from `input` and stdout discarded; throws on a non-zero exit. */
function command(args: string[], input: string): void {
  const stdin = openSync(input, "r");
  const stdout = openSync("/dev/null", "w");
  try {
    const { BALLAST_DEV: _dev, ...env } = process.env;
    const r = spawnSync(process.execPath, args, { stdio: [stdin, stdout, "pipe"], env, cwd: dir });
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  } finally {
    closeSync(stdin);
    closeSync(stdout);
  }
}

recover(doc); // warm-up
const inProcessMs = best(3, () => recover(doc));
const cliMs = best(3, () => command([join(root, "bin/ballast.js"), "repair"], file));
const startupMs = best(3, () => command([join(root, "bin/ballast.js"), "repair"], join(root, "package.json")));
const jsonrepairBin = join(root, "node_modules/jsonrepair/bin/cli.js");
const peerMs = existsSync(jsonrepairBin) ? best(1, () => command([jsonrepairBin], small)) : Number.NaN;
rmSync(dir, { recursive: true, force: true });

const mb = doc.length / MB;
const rows: Array<[string, number, number]> = [
  ["recover() in-process", mb, inProcessMs],
  ["ballast repair (dist/, new process)", mb, cliMs],
  ["ballast repair on a 2 KB file (start-up)", 0, startupMs],
  ["jsonrepair command, 1 MB slice", 0.97, peerMs],
];
console.log(`${"run".padEnd(42)}${"MB".padStart(8)}${"ms".padStart(10)}${"MB/s".padStart(10)}`);
for (const [name, size, ms] of rows) {
  console.log(
    `${name.padEnd(42)}${size.toFixed(2).padStart(8)}${ms.toFixed(0).padStart(10)}${(size ? size / (ms / 1000) : 0).toFixed(1).padStart(10)}`,
  );
}
const ratio = cliMs / inProcessMs;
console.log(`\nballast repair end to end takes ${ratio.toFixed(2)}x the in-process time (target: within 1.3x)`);
console.log(
  `RESULT cli-repair ${JSON.stringify({
    mb: Number(mb.toFixed(2)),
    inProcessMs: Math.round(inProcessMs),
    cliMs: Math.round(cliMs),
    startupMs: Math.round(startupMs),
    ratio: Number(ratio.toFixed(2)),
    jsonrepairCli1MbMs: Math.round(peerMs),
  })}`,
);
