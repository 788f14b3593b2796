/**
 * What the client-CPU benches share: build dist/ once, then re-run the bench pinned to core 1 (with two or
 * more cores and `taskset`) while `ballast simulate` runs in its own process on core 0, so the client never
 * migrates between cores mid-block and never shares one with the simulator.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const root = new URL("../../", import.meta.url).pathname;

/**
 * Builds dist/ and re-runs this bench pinned to core 1 (exiting with its status) when it can; returns whether
 * this process is the pinned run. `pinEnv` marks the re-run, one name per bench.
 */
export function buildThenPin(pinEnv: string): boolean {
  if (process.env[pinEnv] !== undefined) return process.env[pinEnv] === "1";
  const build = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], {
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error("the build (tsc -p tsconfig.build.json) failed");
  if (cpus().length >= 2 && spawnSync("taskset", ["-c", "1", "true"]).status === 0) {
    const rerun = spawnSync("taskset", ["-c", "1", process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: "inherit",
      env: { ...process.env, [pinEnv]: "1" },
    });
    process.exit(rerun.status ?? 1);
  }
  return false;
}

/** Starts `ballast simulate` in a child process (its CPU is not the client's), on core 0 when `pinned`. */
export async function startSimulatorProcess(pinned: boolean): Promise<{ url: string; stop: () => void }> {
  const command = [process.execPath, join(root, "bin/ballast.js"), "simulate", "--port", "0"];
  const [file, ...args] = pinned ? ["taskset", "-c", "0", ...command] : command;
  const proc = spawn(file as string, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout }).once("line", (line) => resolve(line.trim()));
    proc.once("exit", (code) => reject(new Error(`ballast simulate exited with ${code}: ${stderr}`)));
  });
  return { url, stop: () => proc.kill("SIGTERM") };
}
