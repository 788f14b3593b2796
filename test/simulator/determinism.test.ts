// Determinism with a seed: two simulators with the same config answer the same request sequence with the
// same faults and contents; another seed gives another run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type SimulatorConfig, startSimulator } from "../../src/simulator/index.js";
import { openaiFor, reviewSchema } from "./helpers.js";

async function run(config: SimulatorConfig): Promise<string[]> {
  const sim = await startSimulator(config);
  try {
    const client = openaiFor(sim);
    const out: string[] = [];
    for (let i = 0; i < 24; i++) {
      const r = await client.chat.completions
        .create({
          model: "mix",
          messages: [{ role: "user", content: `item ${i % 5}` }],
          response_format: { type: "json_schema", json_schema: { name: "r", strict: true, schema: reviewSchema } },
          temperature: 0.7,
          seed: i,
        })
        .then((x) => `${x.choices[0]?.finish_reason}:${x.choices[0]?.message.content ?? x.choices[0]?.message.refusal}`)
        .catch((e: unknown) => `error:${(e as { status?: number }).status ?? "connection"}`);
      out.push(r);
    }
    return out;
  } finally {
    await sim.close();
  }
}

test("same seed, same sequence: identical faults and answers; a different seed differs", async () => {
  const models = { mix: { faults: { http500: 0.15, malformed: 0.15, truncate: 0.1, refusal: 0.05, wrongShape: 0.1 } } };
  const a = await run({ seed: 42, models });
  const b = await run({ seed: 42, models });
  assert.deepEqual(a, b);
  assert.ok(a.some((x) => x.startsWith("error:500")) && a.some((x) => x.startsWith("length:")), "the mix shows up");
  const c = await run({ seed: 43, models });
  assert.notDeepEqual(a, c);
});

test("without stream_options.include_usage no usage chunk is sent", async () => {
  const sim = await startSimulator();
  try {
    const res = await fetch(`${sim.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "m", stream: true, messages: [{ role: "user", content: "x" }] }),
    });
    const text = await res.text();
    assert.ok(!text.includes('"usage"'));
    assert.ok(text.trimEnd().endsWith("data: [DONE]"));
  } finally {
    await sim.close();
  }
});
