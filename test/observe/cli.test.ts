import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { promisify } from "node:util";
import type { AttemptRecord } from "../../src/core/results.js";
import { attemptCost } from "../../src/observe/cost.js";
import { createTraceStore } from "../../src/observe/trace-store/index.js";
import { attempt, callEvents, usage } from "./helpers.js";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const db = join(mkdtempSync(join(tmpdir(), "ballast-cli-")), "traces.db");
const ballast = (...args: string[]) => run(process.execPath, [join(root, "bin/ballast.js"), ...args], { cwd: root });

const now = Date.now() - 60_000;
const costs: number[] = [];
let input = 0;
let cached = 0;

function priced(a: Partial<AttemptRecord> & Pick<AttemptRecord, "id">): AttemptRecord {
  const r = attempt(a);
  r.costUsd = attemptCost(r.provider, r.model, r.usage);
  costs.push(r.costUsd!);
  input += r.usage.inputTokens;
  cached += r.usage.cachedInputTokens;
  return r;
}

before(() => {
  const store = createTraceStore({ path: db });
  // 10 calls with latencies 100..1000 ms: 8 answered by the primary, 1 by the fallback model, 1 hardcoded
  for (let i = 0; i < 10; i++) {
    const ts = now + i * 1000;
    const latency = (i + 1) * 100;
    const u = usage({ inputTokens: 1000, cachedInputTokens: i * 100, outputTokens: 50 });
    let attempts: AttemptRecord[];
    let extra: Parameters<typeof callEvents>[0]["extra"] = [];
    let source: "model" | "fallback" = "model";
    let model: string | undefined;
    if (i < 8) attempts = [priced({ id: `c${i}-a1`, startedAt: ts, latencyMs: latency - 1, usage: u, responseText: `{"n":${i}}` })];
    else if (i === 8) {
      attempts = [
        priced({
          id: "c8-a1",
          startedAt: ts,
          latencyMs: 50,
          usage: usage(),
          outcome: "timeout",
          error: { kind: "timeout", message: "slow" },
        }),
        priced({
          id: "c8-a2",
          startedAt: ts + 50,
          latencyMs: latency - 51,
          usage: u,
          model: "claude-haiku-4-5",
          provider: "anthropic",
          rung: 1,
        }),
      ];
      extra = [{ type: "breaker", callId: "c8", ts: ts + 50, model: "gpt-4o-mini", from: "closed", to: "open" }];
    } else {
      attempts = [
        priced({ id: "c9-a1", startedAt: ts, latencyMs: 10, usage: usage(), outcome: "skipped_breaker" }),
        priced({
          id: "c9-a2",
          startedAt: ts + 10,
          latencyMs: latency - 11,
          usage: u,
          model: "claude-haiku-4-5",
          provider: "anthropic",
          rung: 1,
          outcome: "invalid",
          error: { kind: "invalid_output", message: "bad" },
        }),
      ];
      source = "fallback";
      model = "hardcoded_fallback";
    }
    for (const e of callEvents({ callId: `c${i}`, ts, attempts, source, model, extra, prompt: `document number ${i}` })) store.listener(e);
  }
  store.close();
});

test("ballast stats --json prints one object with the seeded figures", async () => {
  const { stdout } = await ballast("stats", "--db", db, "--json");
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1);
  const s = JSON.parse(lines[0]!);
  assert.equal(s.calls, 10);
  assert.ok(Math.abs(s.spend_usd - costs.reduce((a, b) => a + b, 0)) < 1e-12);
  assert.equal(s.p50_ms, 500);
  assert.equal(s.p95_ms, 1000);
  assert.equal(s.p99_ms, 1000);
  assert.equal(s.fallback_share, 0.2);
  assert.equal(s.hardcoded_share, 0.1);
  assert.equal(s.success_share, 0.9);
  assert.equal(s.cached_input_share, cached / input);
  assert.equal(s.breaker_openings, 1);
  const primary = s.models.find((m: { model: string }) => m.model === "gpt-4o-mini");
  // 10 attempts on the primary: 8 ok, 1 timeout, 1 skipped by the breaker (not counted as run)
  assert.equal(primary.attempts, 10);
  assert.equal(primary.uptime, 8 / 9);
  assert.equal(primary.breaker_openings, 1);
  const haiku = s.models.find((m: { model: string }) => m.model === "claude-haiku-4-5");
  assert.equal(haiku.uptime, 0.5);
});

test("ballast stats --by day / --by model and the human table", async () => {
  const [byModel, human] = await Promise.all([
    ballast("stats", "--db", db, "--json", "--by", "model", "--since", "24h"),
    ballast("stats", "--db", db, "--by", "day"),
  ]);
  const s = JSON.parse(byModel.stdout);
  assert.deepEqual(
    s.groups.map((g: { key: string; calls: number }) => [g.key, g.calls]),
    [
      ["gpt-4o-mini", 8],
      ["claude-haiku-4-5", 1],
      ["hardcoded_fallback", 1],
    ],
  );
  assert.match(human.stdout, /calls\s+spend\s+p50/);
  assert.match(human.stdout, /gpt-4o-mini\s+openai\s+10\s+88\.9%\s+1/);
  assert.match(human.stdout, new RegExp(new Date(now).toISOString().slice(0, 10)));
});

test("ballast traces --failed and --model; ballast trace <id> shows attempts, prompt and responses", async () => {
  const [failed, byModel, one, oneJson, all] = await Promise.all([
    ballast("traces", "--db", db, "--failed", "--json"),
    ballast("traces", "--db", db, "--model", "claude-haiku-4-5"),
    ballast("trace", "c8", "--db", db),
    ballast("trace", "c3", "--db", db, "--json"),
    ballast("traces", "--db", db, "--json"),
  ]);
  assert.deepEqual(
    JSON.parse(failed.stdout).map((c: { id: string }) => c.id),
    ["c9"],
  );
  // one vocabulary with the API result: source model | repaired | fallback (the hardcoded value), plus the rung
  assert.match(byModel.stdout, /c9 .*fallback/);
  assert.match(byModel.stdout, /c8 .*model \(rung 1\)/);
  const rows = new Map((JSON.parse(all.stdout) as Array<{ id: string; source: string; rung: number | null }>).map((r) => [r.id, r]));
  assert.deepEqual([rows.get("c9")!.source, rows.get("c9")!.rung], ["fallback", null]);
  assert.deepEqual([rows.get("c8")!.source, rows.get("c8")!.rung], ["model", 1]);
  assert.deepEqual([rows.get("c3")!.source, rows.get("c3")!.rung], ["model", 0]);
  assert.match(one.stdout, /source model \(rung 1\)/);
  assert.equal(JSON.parse(oneJson.stdout).call.rung, 0);
  assert.doesNotMatch(byModel.stdout, /c3 /);
  assert.match(one.stdout, /timeout: slow/);
  assert.match(one.stdout, /claude-haiku-4-5\s+initial\s+1\s+ok/);
  assert.match(one.stdout, /document number 8/);
  const t = JSON.parse(oneJson.stdout);
  assert.equal(t.attempts[0].response_text, '{"n":3}');
  assert.equal(t.call.prompt[1].content, "document number 3");
});

test("ballast trace: an ambiguous prefix lists the candidates; an unknown id says so", async () => {
  const unique = await ballast("trace", "c", "--db", db).catch((e: { stderr: string; code: number }) => e);
  assert.equal((unique as { code: number }).code, 1);
  assert.match((unique as { stderr: string }).stderr, /c matches several calls; give more of the id:/);
  assert.match((unique as { stderr: string }).stderr, /^ {2}c9$/m);
  assert.match((unique as { stderr: string }).stderr, /^ {2}c0$/m);
  const none = await ballast("trace", "zz", "--db", db).catch((e: { stderr: string; code: number }) => e);
  assert.match((none as { stderr: string }).stderr, /no call with id zz/);
});

test("a missing store is a clear error, not a crash", async () => {
  await assert.rejects(
    ballast("stats", "--db", join(tmpdir(), "nope-ballast.db")),
    (e: { stderr: string; code: number }) => /no trace store/.test(e.stderr) && e.code === 1,
  );
});
