// The budget reserves each call's worst case before it starts: 50 calls started at once spend at most the
// limit plus one call's worst case (without reservations every one of them would start, and spend). Unknown
// prices are warned about once per model and can be given an assumed price.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type BallastEvent, createBallast } from "ballast";
import { createBudget } from "../../src/observe/index.js";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
const fallback = { label: "a" as const, n: 0 };
const price = { inputPerMTok: 1000, outputPerMTok: 1000 };
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 31, models: { steady: { ttftMs: 30 } } });
});
after(() => sim.close());
const model = (name: string, withPrice = true) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k", ...(withPrice ? { price } : {}) });
const options = { maxOutputTokens: 100, reasks: 0, retry: { limit: 0 }, traces: false as const };

test("50 concurrent calls overshoot the limit by at most one call's worst case", async () => {
  const probe = await createBallast({ models: [model("steady")], ...options }).generate({ schema: S, input: "call 0" });
  const one = probe.costUsd!;
  assert.ok(one > 0);
  const limitUsd = 5 * one;
  const llm = createBallast({ models: [model("steady")], ...options, budget: { limitUsd } });
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => llm.generate({ schema: S, input: `call ${i}`, fallback })));
  const spent = results.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  const answered = results.filter((r) => r.source === "model").length;
  const refused = results.filter((r) => r.errors[0]?.kind === "budget_exceeded").length;
  // One call's worst case: its prompt plus a re-ask's worth in, the 100-token cap out (a few times `one`).
  const worstCase = 5 * one;
  assert.ok(spent <= limitUsd + worstCase, `spent $${spent.toFixed(4)} against a $${limitUsd.toFixed(4)} limit`);
  assert.ok(answered >= 1 && refused >= 40, `${answered} answered, ${refused} refused by the budget`);
  assert.equal(answered + refused, 50);
});

test("a released reservation frees the budget: calls one after another run until the spend itself reaches the limit", async () => {
  const llm = createBallast({ models: [model("steady")], ...options, budget: { limitUsd: 1 } });
  const first = await llm.generate({ schema: S, input: "a", fallback });
  const second = await llm.generate({ schema: S, input: "b", fallback });
  assert.deepEqual([first.source, second.source], ["model", "model"]);
});

test("budget.admit: reservations block at the limit and release exactly once", () => {
  const b = createBudget({ limitUsd: 1 });
  const releases = [b.admit(0.4), b.admit(0.4), b.admit(0.4)];
  assert.throws(() => b.admit(0.4), { name: "BudgetExceededError" });
  assert.ok(Math.abs(b.reserved() - 1.2) < 1e-9);
  releases[0]!();
  releases[0]!();
  assert.ok(Math.abs(b.reserved() - 0.8) < 1e-9);
  b.admit(0.1);
  assert.ok(Math.abs(b.remaining() - 0.1) < 1e-9);
});

test("unknown prices: one warning per model at client creation; the budget counts such calls, or prices them as told", async () => {
  const events: BallastEvent[] = [];
  const llm = createBallast({
    models: [model("no-price-1", false), model("no-price-2", false)],
    traces: false,
    budget: { limitUsd: 0.5, assumePrice: price },
    onEvent: (e) => events.push(e),
  });
  await new Promise((r) => setImmediate(r));
  const r = await llm.generate({ schema: S, input: "x" });
  await llm.generate({ schema: S, input: "y" });
  const warnings = events
    .filter((e) => e.type === "warning" && /price unknown/.test(e.message))
    .map((e) => (e as { message: string }).message);
  assert.equal(warnings.length, 2, warnings.join("\n"));
  assert.match(warnings[0]!, /openai:no-price-1/);
  assert.match(warnings[0]!, /assumePrice/);
  assert.equal(r.costUsd, null, "the result stays honest: the price is unknown");

  const counted = createBudget({ limitUsd: 1, assumePrice: price });
  const attempt = {
    id: "c.1",
    model: "m",
    provider: "openai",
    rung: 0,
    kind: "initial" as const,
    outcome: "ok" as const,
    startedAt: 0,
    latencyMs: 1,
    costUsd: null,
    recoverySteps: [],
  };
  counted.listener({
    type: "attempt_end",
    callId: "c",
    ts: 1,
    attempt: { ...attempt, usage: { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
  });
  assert.equal(counted.unknownCosts, 1);
  assert.ok(Math.abs(counted.spent() - 1) < 1e-9, "priced at the assumed $1000 per million tokens");
});
