// llm.text(): free text through the same cascade, with no schema on the wire.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AllAttemptsFailedError, createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 8 });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });

test("prose comes back as the value, with no response_format sent, and falls down the cascade", async () => {
  sim.script("prose-a", [{ fault: "http503" }, { fault: "http503" }]); // a 5xx survives its one same-model retry
  const llm = createBallast({ models: [model("prose-a"), model("prose-b")], traces: false });
  const r = await llm.text({ instructions: "Think it through.", input: "Why?" });
  assert.equal(r.model, "prose-b");
  assert.ok(r.value.length > 0);
  const body = sim.requests.at(-1)!.body as Record<string, unknown>;
  assert.equal("response_format" in body, false);
  assert.equal(body.temperature, 0);
});

test("an empty reply is not an answer; no model answering rejects, or gives the text fallback", async () => {
  sim.script("prose-empty", [{ text: "   " }, { text: "" }]);
  const llm = createBallast({ models: [model("prose-empty")], traces: false });
  await assert.rejects(llm.text({ input: "x" }), (e: unknown) => e instanceof AllAttemptsFailedError);
  sim.script("prose-empty", [{ text: "" }, { text: "" }]);
  const r = await llm.text({ input: "x", fallback: "no thoughts" });
  assert.equal(r.value, "no thoughts");
  assert.equal(r.source, "fallback");
});
