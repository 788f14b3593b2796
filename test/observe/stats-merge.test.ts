// `ballast stats --db a.db --db b.db`: the trace stores of two processes read as one. Two clients (one per
// file, as two workers would be) make real calls against the simulator, some of them rows of one batch run;
// the merged figures are the sums of the two stores', `--batch` finds the run's rows in both files, and a
// file given twice or missing is refused with its name.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const root = new URL("../..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "ballast-stats-merge-"));
const files = [join(dir, "worker-1.db"), join(dir, "worker-2.db")];
const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
let sim: Simulator;

const stats = (...args: string[]) =>
  promisify(execFile)(process.execPath, [join(root, "bin/ballast.js"), "stats", ...args, "--json"], { cwd: root }).then(
    (r) => ({ code: 0, json: JSON.parse(r.stdout) as Record<string, any>, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, json: null, stderr: e.stderr }),
  );

before(async () => {
  sim = await startSimulator({ seed: 12, models: { "flaky-primary": { faults: { http500: 0.5 } } } });
  // worker 1: 6 calls, 4 of them rows of batch b_fleet; worker 2: 9 calls, 3 of them rows of b_fleet
  for (const [i, path] of files.entries()) {
    const llm = createBallast({
      models: [
        openai("flaky-primary", { baseURL: `${sim.url}/v1`, apiKey: "k", price: { inputPerMTok: 2, outputPerMTok: 8 } }),
        openai("steady", { baseURL: `${sim.url}/v1`, apiKey: "k", price: { inputPerMTok: 1, outputPerMTok: 4 } }),
      ],
      traces: path,
      retry: { limit: 0 },
      breaker: false,
    });
    const classify = llm.task({ name: "classify", schema: S });
    const calls = i === 0 ? 6 : 9;
    const rows = i === 0 ? 4 : 3;
    for (let n = 0; n < calls; n++) await classify(`worker ${i} call ${n}`, n < rows ? { batch: { id: "b_fleet", row: `${i}-${n}` } } : {});
    llm.close();
  }
});
after(() => sim.close());

test("two workers' trace stores merged: calls, spend, outcomes and models add up", async () => {
  const [one, two] = await Promise.all(files.map((f) => stats("--db", f)));
  const merged = await stats("--db", files[0]!, "--db", files[1]!);
  assert.equal(merged.code, 0, merged.stderr);
  const a = one!.json!;
  const b = two!.json!;
  const m = merged.json!;
  assert.equal(a.calls, 6);
  assert.equal(b.calls, 9);
  assert.equal(m.calls, 15);
  assert.ok(Math.abs(m.spend_usd - (a.spend_usd + b.spend_usd)) < 1e-12, `${m.spend_usd} vs ${a.spend_usd} + ${b.spend_usd}`);
  const count = (s: Record<string, any>, share: string) => Math.round(s[share] * s.calls);
  for (const share of ["success_share", "fallback_share", "hardcoded_share"])
    assert.equal(count(m, share), count(a, share) + count(b, share), share);
  const attempts = (s: Record<string, any>, model: string) => s.models.find((x: { model: string }) => x.model === model)?.attempts ?? 0;
  for (const model of ["flaky-primary", "steady"]) assert.equal(attempts(m, model), attempts(a, model) + attempts(b, model), model);
  assert.ok(attempts(m, "steady") > 0, "the flaky primary sent some calls to the second model");
});

test("--batch finds the run's rows in every merged file", async () => {
  const merged = await stats("--db", files[0]!, "--db", files[1]!, "--batch", "b_fleet");
  assert.equal(merged.code, 0, merged.stderr);
  assert.equal(merged.json!.calls, 7);
});

test("a store given twice, or missing, is refused by name", async () => {
  const alias = join(dir, "alias.db");
  symlinkSync(files[0]!, alias);
  const twice = await stats("--db", files[0]!, "--db", alias);
  assert.notEqual(twice.code, 0);
  assert.match(twice.stderr, /alias\.db is given twice/);
  const missing = await stats("--db", files[0]!, "--db", join(dir, "nope.db"));
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /nope\.db/);
});
