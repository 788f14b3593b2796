// The budget guard and the default trace store, driven through createBallast.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { z } from "zod";
import { BudgetExceededError, createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
const price = { inputPerMTok: 1000, outputPerMTok: 1000 };
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 2 });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k", price });

test("past the spend limit, calls fall back without calling a provider, or reject when there is no fallback", async () => {
  const llm = createBallast({ models: [model("pricey")], budget: { limitUsd: 0.01, windowMs: 60_000 }, traces: false });
  const first = await llm.generate({ schema: S, input: "x" });
  assert.ok(first.costUsd! > 0.01, `the first call spends ${first.costUsd}`);
  const before = sim.requests.length;
  const second = await llm.generate({ schema: S, input: "y", fallback: { label: "a", n: 0 } });
  assert.equal(second.source, "fallback");
  assert.equal(second.errors[0]!.kind, "budget_exceeded");
  assert.equal(second.attempts.length, 0);
  await assert.rejects(llm.generate({ schema: S, input: "z" }), (e: unknown) => e instanceof BudgetExceededError);
  assert.equal(sim.requests.length, before, "no provider was called");
});

test("every call lands in the trace store by default, prompts and responses included", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ballast-traces-"));
  const path = join(dir, "traces.db");
  const llm = createBallast({ models: [model("traced")], traces: path });
  const r = await llm.generate({ name: "trace-me", schema: S, instructions: "Label it.", input: "the input text" });
  llm.close();
  const db = new Database(path, { readonly: true });
  const call = db.prepare("SELECT * FROM calls WHERE id = ?").get(r.callId) as Record<string, unknown>;
  assert.equal(call.task, "trace-me");
  const attempts = db.prepare("SELECT * FROM attempts WHERE call_id = ?").all(r.callId) as Array<Record<string, unknown>>;
  assert.equal(attempts.length, 1);
  assert.equal(attempts[0]!.outcome, "ok");
  const text = JSON.stringify(db.prepare("SELECT * FROM attempts").all()) + JSON.stringify(call);
  assert.match(text, /the input text|Label it/);
  db.close();
});
