/**
 * `npm run bench -- cli-repair`: `ballast repair` end to end (a fresh process running the built dist/, stdin
 * from a file, stdout to /dev/null) against recover() in-process, on the recovery bench's 10 MB broken
 * document (single quotes, trailing commas, cut at 97%). Wall time and CPU time (user + system, helper
 * threads included) for each. Two yardsticks beside the in-process figure: a bare `node -e 0`, and the same
 * work as the command (read stdin, recover, JSON.stringify, write) in a plain script in a fresh process, so
 * the command's own cost shows apart from what any Node program pays. The peer row is jsonrepair's own
 * command on a 1 MB slice (it is quadratic on trailing commas, so 10 MB would take minutes). The command
 * answers this document with the byte fast pass (repairBytesInPlace on the file it reads, no JS values
 * built); the rows of repairBytes in-process (warm) and in a plain script in a new process (cold, with its
 * own output buffer) show that pass apart from the command's start-up.
 * Needs `npm run build` first.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { recover, repairBytes } from "../../src/recovery/index.js";
import { brokenDocument, makeRecords } from "../recovery/documents.js";
import { childCpu, childCpuResolutionMs } from "./child-cpu.js";

const MB = 1024 * 1024;
const root = fileURLToPath(new URL("../..", import.meta.url));
if (!existsSync(join(root, "dist/cli/main.js"))) {
  console.error("cli-repair: dist/ is not built; run `npm run build` first");
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const full = brokenDocument(makeRecords(10 * MB));
const doc = full.slice(0, Math.floor(full.length * 0.97));
const slice = brokenDocument(makeRecords(MB));
const dir = mkdtempSync(join(tmpdir(), "ballast-cli-repair-"));
const file = join(dir, "broken.txt");
const small = join(dir, "broken-1mb.txt");
const floorScript = join(dir, "same-work.mjs");
const byteScript = join(dir, "byte-pass.mjs");
writeFileSync(file, doc);
writeFileSync(small, slice.slice(0, Math.floor(slice.length * 0.97)));
writeFileSync(
  floorScript,
  [
    'import { readFileSync, writeSync } from "node:fs";',
    `import { recover } from ${JSON.stringify(pathToFileURL(join(root, "dist/recovery/index.js")).href)};`,
    'const result = recover(readFileSync(0).toString("utf8"));',
    "if (!result.ok) process.exit(1);",
    'writeSync(1, JSON.stringify(result.value)); writeSync(1, "\\n");',
  ].join("\n"),
);
writeFileSync(
  byteScript,
  [
    'import { readFileSync, writeSync } from "node:fs";',
    `import { repairBytes } from ${JSON.stringify(pathToFileURL(join(root, "dist/recovery/byte-repair.js")).href)};`,
    "const bytes = repairBytes(readFileSync(0));",
    "if (bytes === null) process.exit(1);",
    'writeSync(1, bytes); writeSync(1, "\\n");',
  ].join("\n"),
);
const docBytes = Buffer.from(doc);

interface Cost {
  wallMs: number;
  /** User + system CPU time; null where a child's CPU time cannot be read (not Linux). */
  cpuMs: number | null;
  /** The system part of cpuMs (page faults of fresh memory weigh here). */
  sysMs: number | null;
}

/** The best wall time and the best CPU time (each the minimum over `runs`, taken separately). */
function best(runs: number, measure: () => Cost): Cost {
  let wallMs = Number.POSITIVE_INFINITY;
  let cpu: Cost | null = null;
  for (let i = 0; i < runs; i++) {
    const cost = measure();
    wallMs = Math.min(wallMs, cost.wallMs);
    if (cost.cpuMs !== null && (cpu?.cpuMs == null || cost.cpuMs < cpu.cpuMs)) cpu = cost;
  }
  return { wallMs, cpuMs: cpu?.cpuMs ?? null, sysMs: cpu?.sysMs ?? null };
}

function inProcess(): Cost {
  gc();
  const cpu = process.cpuUsage();
  const started = performance.now();
  recover(doc);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, sysMs: used.system / 1000 };
}

function bytePass(): Cost {
  gc();
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (repairBytes(docBytes) === null) throw new Error("the byte fast pass did not take the bench document");
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, sysMs: used.system / 1000 };
}

/** One command with stdin from `input` and stdout discarded; throws on a non-zero exit. */
function command(args: string[], input: string): Cost {
  const stdin = openSync(input, "r");
  const stdout = openSync("/dev/null", "w");
  try {
    const { BALLAST_DEV: _dev, ...env } = process.env;
    const before = childCpu();
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: [stdin, stdout, "pipe"], env, cwd: dir });
    const wallMs = performance.now() - started;
    const after = childCpu();
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    if (before === null || after === null) return { wallMs, cpuMs: null, sysMs: null };
    const sysMs = after.system - before.system;
    return { wallMs, cpuMs: after.user - before.user + sysMs, sysMs };
  } finally {
    closeSync(stdin);
    closeSync(stdout);
  }
}

const bin = join(root, "bin/ballast.js");
const firstCall = inProcess(); // the first call also compiles the engine, as a fresh process must
const warm = best(3, inProcess);
const cli = best(3, () => command([bin, "repair"], file));
const sameWork = best(3, () => command([floorScript], file));
const byteWarm = best(3, bytePass);
const byteCold = best(3, () => command([byteScript], file));
const startup = best(5, () => command([bin, "repair"], join(root, "package.json")));
const nodeBoot = best(5, () => command(["-e", "0"], join(root, "package.json")));
const jsonrepairBin = join(root, "node_modules/jsonrepair/bin/cli.js");
const peer = existsSync(jsonrepairBin) ? best(1, () => command([jsonrepairBin], small)) : { wallMs: Number.NaN, cpuMs: null, sysMs: null };
rmSync(dir, { recursive: true, force: true });

const mb = doc.length / MB;
const rows: Array<[string, number, Cost]> = [
  ["recover() in-process, warm (best of 3)", mb, warm],
  ["recover() in-process, first call", mb, firstCall],
  ["same work, plain script, new process", mb, sameWork],
  ["repairBytes() in-process, warm (best of 3)", mb, byteWarm],
  ["repairBytes(), plain script, new process", mb, byteCold],
  ["ballast repair (dist/, new process)", mb, cli],
  ["ballast repair on a 2 KB file (start-up)", 0, startup],
  ["node -e 0 (bare Node start-up)", 0, nodeBoot],
  ["jsonrepair command, 1 MB slice", 0.97, peer],
];
const fmt = (x: number | null, digits = 0) => (x === null || !Number.isFinite(x) ? "-" : x.toFixed(digits));
console.log(
  `${"run".padEnd(42)}${"MB".padStart(7)}${"wall ms".padStart(9)}${"cpu ms".padStart(9)}${"of it sys".padStart(11)}${"MB/s cpu".padStart(10)}`,
);
for (const [name, size, cost] of rows) {
  const rate = size && cost.cpuMs ? size / (cost.cpuMs / 1000) : null;
  console.log(
    `${name.padEnd(42)}${size.toFixed(2).padStart(7)}${fmt(cost.wallMs).padStart(9)}${fmt(cost.cpuMs).padStart(9)}${fmt(cost.sysMs).padStart(11)}${fmt(rate, 1).padStart(10)}`,
  );
}
const ratio = cli.wallMs / warm.wallMs;
const cpuRatio = cli.cpuMs === null || warm.cpuMs === null ? null : cli.cpuMs / warm.cpuMs;
const overSameWork = cli.cpuMs === null || sameWork.cpuMs === null ? null : cli.cpuMs / sameWork.cpuMs;
const load = loadavg().map((x) => x.toFixed(2));
console.log(
  `\nballast repair end to end: ${ratio.toFixed(2)}x the warm in-process wall time, ${fmt(cpuRatio, 2)}x its CPU time` +
    ` (target: within 1.3x); ${fmt(overSameWork, 2)}x the CPU time of the same work in a plain script.` +
    `\nCPU time from /proc (resolution ${childCpuResolutionMs} ms); load average ${load.join(" ")} on ${availableParallelism()} cores.`,
);
console.log(
  `RESULT cli-repair ${JSON.stringify({
    mb: Number(mb.toFixed(2)),
    inProcessMs: Math.round(warm.wallMs),
    cliMs: Math.round(cli.wallMs),
    startupMs: Math.round(startup.wallMs),
    ratio: Number(ratio.toFixed(2)),
    inProcessCpuMs: Math.round(warm.cpuMs ?? Number.NaN),
    firstCallCpuMs: Math.round(firstCall.cpuMs ?? Number.NaN),
    sameWorkCpuMs: sameWork.cpuMs === null ? null : Math.round(sameWork.cpuMs),
    cliCpuMs: cli.cpuMs === null ? null : Math.round(cli.cpuMs),
    cliSysMs: cli.sysMs === null ? null : Math.round(cli.sysMs),
    startupCpuMs: startup.cpuMs === null ? null : Math.round(startup.cpuMs),
    nodeBootCpuMs: nodeBoot.cpuMs === null ? null : Math.round(nodeBoot.cpuMs),
    cpuRatio: cpuRatio === null ? null : Number(cpuRatio.toFixed(2)),
    cpuOverSameWork: overSameWork === null ? null : Number(overSameWork.toFixed(2)),
    jsonrepairCli1MbMs: Math.round(peer.wallMs),
    bytePassMs: Math.round(byteWarm.wallMs),
    bytePassScriptMs: Math.round(byteCold.wallMs),
    loadavg1: Number(load[0]),
  })}`,
);
