// Ground truth for accuracy tests: fields right with probability `accuracy`, plausible wrong values
// otherwise (spread over several), identical at temperature 0, varying with seed and choice index above it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startSimulator } from "../../src/simulator/index.js";
import { openaiFor } from "./helpers.js";

const schema = {
  type: "object",
  properties: {
    label: { type: "string", enum: ["bug", "feature", "question", "docs", "spam"] },
    priority: { type: "integer", minimum: 1, maximum: 5 },
    urgent: { type: "boolean" },
    owner: { type: "string" },
  },
  required: ["label", "priority", "urgent", "owner"],
  additionalProperties: false,
};
const answer = { label: "bug", priority: 3, urgent: true, owner: "platform team" };
const format = { type: "json_schema" as const, json_schema: { name: "ticket", strict: true, schema } };

test("accuracy 1: always the right answer when the last user message matches", async () => {
  const sim = await startSimulator({ models: { exact: { accuracy: 1 } }, groundTruth: [{ match: "TICKET-17", answer }] });
  try {
    const r = await openaiFor(sim).chat.completions.create({
      model: "exact",
      messages: [{ role: "user", content: "Triage TICKET-17 please" }],
      response_format: format,
      n: 4,
      temperature: 1,
    });
    for (const c of r.choices) assert.deepEqual(JSON.parse(c.message.content ?? ""), answer);
    const unmatched = await openaiFor(sim).chat.completions.create({
      model: "exact",
      messages: [{ role: "user", content: "Triage TICKET-99" }],
      response_format: format,
      temperature: 0,
    });
    assert.notDeepEqual(JSON.parse(unmatched.choices[0]?.message.content ?? ""), answer);
  } finally {
    await sim.close();
  }
});

test("accuracy 0: every field wrong but plausible, spread over several wrong values", async () => {
  const sim = await startSimulator({ models: { wrong: { accuracy: 0 } }, groundTruth: [{ match: "TICKET-17", answer }] });
  try {
    const r = await openaiFor(sim).chat.completions.create({
      model: "wrong",
      messages: [{ role: "user", content: "TICKET-17" }],
      response_format: format,
      n: 40,
      temperature: 1,
      seed: 3,
    });
    const labels = new Set<string>();
    const priorities = new Set<number>();
    for (const c of r.choices) {
      const v = JSON.parse(c.message.content ?? "") as typeof answer;
      assert.notEqual(v.label, answer.label);
      assert.ok(schema.properties.label.enum.includes(v.label), "another enum value");
      assert.notEqual(v.priority, answer.priority);
      assert.ok(Number.isInteger(v.priority) && v.priority >= 1 && v.priority <= 5, `priority ${v.priority} stays in range`);
      assert.equal(v.urgent, false);
      assert.notEqual(v.owner, answer.owner);
      labels.add(v.label);
      priorities.add(v.priority);
    }
    assert.ok(labels.size >= 3, `wrong labels spread: ${[...labels]}`);
    assert.ok(priorities.size >= 2);
  } finally {
    await sim.close();
  }
});

test("accuracy p: about p of the fields are right; temperature 0 repeats, seeds and choices vary", async () => {
  const sim = await startSimulator({ seed: 11, models: { p70: { accuracy: 0.7 } }, groundTruth: [{ match: "TICKET-17", answer }] });
  try {
    const client = openaiFor(sim);
    const messages = [{ role: "user" as const, content: "TICKET-17" }];
    let right = 0;
    let total = 0;
    for (let seed = 0; seed < 10; seed++) {
      const r = await client.chat.completions.create({ model: "p70", messages, response_format: format, n: 20, temperature: 0.8, seed });
      for (const c of r.choices) {
        const v = JSON.parse(c.message.content ?? "") as Record<string, unknown>;
        for (const [k, correct] of Object.entries(answer)) {
          total++;
          if (v[k] === correct) right++;
        }
      }
    }
    const share = right / total;
    assert.ok(share > 0.63 && share < 0.77, `share right ${share}`);
    const cold = await client.chat.completions.create({ model: "p70", messages, response_format: format, n: 5, temperature: 0 });
    assert.equal(new Set(cold.choices.map((c) => c.message.content)).size, 1);
    const hot = await client.chat.completions.create({ model: "p70", messages, response_format: format, n: 8, temperature: 1, seed: 5 });
    assert.ok(new Set(hot.choices.map((c) => c.message.content)).size > 1, "choices differ at temperature > 0");
    const parallel = await Promise.all(
      [1, 2, 3, 4].map((seed) => client.chat.completions.create({ model: "p70", messages, response_format: format, temperature: 1, seed })),
    );
    assert.ok(new Set(parallel.map((r) => r.choices[0]?.message.content)).size > 1, "parallel samples with different seeds differ");
  } finally {
    await sim.close();
  }
});
