// Script mode (an exact queue of replies per model, across protocols) and config validation with errors
// that name the bad field; unknown models are fault-free with zero latency.
import assert from "node:assert/strict";
import { test } from "node:test";
import OpenAI from "openai";
import { SimulatorConfigError, startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, openaiFor } from "./helpers.js";

test("scripted replies are consumed in order on either protocol, then normal behaviour resumes", async () => {
  const sim = await startSimulator({ models: { m: { script: [{ text: "raw ```not json" }] } } });
  try {
    sim.script("m", [
      { json: { a: 1 } },
      { status: 429, retryAfterMs: 2500 },
      { refusal: "No." },
      { fault: "reset" },
      { json: { b: 2 }, finishReason: "length", usage: { outputTokens: 99 } },
    ]);
    const oa = openaiFor(sim);
    const send = () => oa.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    assert.equal((await send()).choices[0]?.message.content, "raw ```not json");
    const anth = await anthropicFor(sim).messages.create({ model: "m", max_tokens: 50, messages: [{ role: "user", content: "x" }] });
    assert.deepEqual(anth.content, [{ type: "text", text: '{"a":1}' }]);
    const limited = (await send().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    assert.ok(limited instanceof OpenAI.RateLimitError);
    assert.equal(limited.headers?.get("retry-after-ms"), "2500");
    assert.equal(limited.headers?.get("retry-after"), "3");
    const refused = await send();
    assert.equal(refused.choices[0]?.message.refusal, "No.");
    assert.ok((await send().catch((e: unknown) => e)) instanceof OpenAI.APIConnectionError);
    const cut = await send();
    assert.equal(cut.choices[0]?.finish_reason, "length");
    assert.equal(cut.usage?.completion_tokens, 99);
    const normal = await send();
    assert.equal(normal.choices[0]?.finish_reason, "stop");
    assert.ok((normal.choices[0]?.message.content ?? "").length > 0);
  } finally {
    await sim.close();
  }
});

test("config validation names the bad field", async () => {
  const bad: Array<[unknown, string]> = [
    [{ seed: "x" }, "seed"],
    [{ models: { m: { faults: { hangg: 0.1 } } } }, "models.m.faults.hangg"],
    [{ models: { m: { faults: { hang: 2 } } } }, "models.m.faults.hang"],
    [{ models: { m: { tokensPerSecond: -1 } } }, "models.m.tokensPerSecond"],
    [{ models: { m: { accuracy: 1.5 } } }, "models.m.accuracy"],
    [{ models: { m: { ttft: 5 } } }, "models.m.ttft"],
    [{ models: { m: { script: [{ fault: "nope" }] } } }, "models.m.script[0].fault"],
    [{ groundTruth: [{ match: "", answer: {} }] }, "groundTruth[0].match"],
    [{ model: {} }, "model"],
  ];
  for (const [config, field] of bad) {
    await assert.rejects(
      startSimulator(config as never),
      (e: unknown) => e instanceof SimulatorConfigError && e.field === field && e.message.includes(field),
    );
  }
  const sim = await startSimulator();
  assert.throws(() => sim.script("m", [{ status: 99 }]), SimulatorConfigError);
  await sim.close();
});

test("an unconfigured model is fault-free", async () => {
  const sim = await startSimulator({ models: { flaky: { faults: { http500: 1 }, ttftMs: 1000 } } });
  try {
    const client = openaiFor(sim);
    await client.chat.completions.create({ model: "other", messages: [{ role: "user", content: "warm up" }] });
    for (let i = 0; i < 10; i++) {
      const r = await client.chat.completions.create({ model: "other", messages: [{ role: "user", content: `x${i}` }] });
      assert.equal(r.choices[0]?.finish_reason, "stop");
    }
    assert.deepEqual(sim.stats().byModel.other?.faults ?? {}, {}, "no fault on the unconfigured model");
    assert.ok(
      (await openaiFor(sim)
        .chat.completions.create({ model: "flaky", messages: [{ role: "user", content: "x" }] })
        .catch((e: unknown) => e)) instanceof OpenAI.InternalServerError,
    );
    assert.equal(sim.stats().byModel.flaky?.faults.http500, 1);
  } finally {
    await sim.close();
  }
});
