// `ballast simulate`: the base URL is the first stdout line, the config file is applied and validated,
// and SIGTERM shuts the server down gracefully (exit code 0).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";

const root = new URL("../..", import.meta.url).pathname;

function writeConfig(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "ballast-sim-"));
  const file = join(dir, "sim.json");
  writeFileSync(file, JSON.stringify(config));
  return file;
}

test("prints the URL first, serves the configured models, stops on SIGTERM", { timeout: 30_000 }, async () => {
  const file = writeConfig({ seed: 3, models: { "gpt-x": { faults: { http503: 1 } } } });
  const child = spawn(process.execPath, [join(root, "bin/ballast.js"), "simulate", "--port", "0", "--config", file], { cwd: root });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const firstLine = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  assert.match(firstLine, /^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${firstLine}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "gpt-x", messages: [{ role: "user", content: "hi" }] }),
  });
  assert.equal(res.status, 503);
  const models = (await (await fetch(`${firstLine}/v1/models`)).json()) as { data: Array<{ id: string }> };
  assert.deepEqual(
    models.data.map((m) => m.id),
    ["gpt-x"],
  );
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
});

test("an invalid config exits 1 naming the field", { timeout: 30_000 }, async () => {
  const file = writeConfig({ models: { m: { faults: { explode: 1 } } } });
  const child = spawn(process.execPath, [join(root, "bin/ballast.js"), "simulate", "--config", file], { cwd: root });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  assert.equal(code, 1);
  assert.match(stderr, /models\.m\.faults\.explode/);
});
