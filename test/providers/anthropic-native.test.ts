// Anthropic native structured output through the public API: which models default to it, the schema in the
// dialect Anthropic accepts (closed objects, unsupported keywords moved into descriptions), and those moved
// rules still enforced on the reply (a breach is re-asked).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { ConfigurationError, createBallast } from "ballast";
import { anthropic, supportsNativeOutput } from "ballast/anthropic";
import { type Simulator, startSimulator } from "ballast/testing";

const Product = z.object({
  name: z.string().min(2).max(40).describe("the product name"),
  sku: z.string().regex(/^[A-Z]{3}-\d{4}$/),
  rating: z.number().min(1).max(5),
  tags: z.array(z.string()).min(2).max(4),
});

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 5 });
});
after(() => sim.close());

const bodyOf = (model: string) =>
  sim.requests.filter((r) => (r.body as { model?: string })?.model === model).map((r) => r.body as Record<string, any>);

test("models with native structured output default to it; older ones to a forced tool", () => {
  for (const m of [
    "claude-sonnet-4-5",
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-1",
    "claude-haiku-4-5",
    "anthropic.claude-opus-4-5-v1:0",
    "claude-sonnet-5",
  ]) {
    assert.equal(supportsNativeOutput(m), true, m);
  }
  for (const m of [
    "claude-3-5-haiku-20241022",
    "claude-3-7-sonnet-latest",
    "claude-sonnet-4-20250514",
    "claude-opus-4-20250514",
    "my-proxy-model",
  ]) {
    assert.equal(supportsNativeOutput(m), false, m);
  }
  assert.deepEqual(anthropic("claude-sonnet-4-5", { apiKey: "k" }).modes[0], "json_schema");
  assert.deepEqual(anthropic("claude-3-5-haiku-20241022", { apiKey: "k" }).modes[0], "tool");
  assert.throws(() => anthropic("claude-sonnet-4-5", { apiKey: "k", mode: "strict" as never }), ConfigurationError);
});

test("native output: output_config.format carries a closed schema, unsupported keywords in descriptions", async () => {
  // The simulator does not write strings to a pattern: the reply is scripted, the request is what is checked.
  sim.script("claude-sonnet-4-5", [{ json: { name: "Kettle", sku: "KET-0001", rating: 4, tags: ["home", "kitchen"] } }]);
  const llm = createBallast({ models: [anthropic("claude-sonnet-4-5", { baseURL: sim.url, apiKey: "k" })], traces: false });
  const r = await llm.generate({ schema: Product, input: "Describe the kettle." });
  assert.equal(r.attempts[0]!.outcome, "ok");
  const [body] = bodyOf("claude-sonnet-4-5");
  assert.equal(body!.tools, undefined);
  assert.equal(body!.tool_choice, undefined);
  const schema = body!.output_config.format.schema;
  assert.equal(body!.output_config.format.type, "json_schema");
  assert.equal(schema.additionalProperties, false);
  const { name, sku, rating, tags } = schema.properties;
  assert.deepEqual(name, { type: "string", description: "the product name\n\n{minLength: 2, maxLength: 40}" });
  assert.deepEqual(sku, { type: "string", description: '{pattern: "^[A-Z]{3}-\\\\d{4}$"}' });
  assert.deepEqual(rating, { type: "number", description: "{minimum: 1, maximum: 5}" });
  assert.equal(tags.minItems, undefined);
  assert.equal(tags.description, "{maxItems: 4, minItems: 2}");
});

test("a reply that breaks a rule moved into a description is caught and re-asked", async () => {
  const model = "claude-haiku-4-5-native-reask";
  sim.script(model, [
    { json: { name: "K", sku: "kettle", rating: 9, tags: ["a"] } },
    { json: { name: "Kettle", sku: "KET-0001", rating: 4.5, tags: ["home", "kitchen"] } },
  ]);
  const llm = createBallast({ models: [anthropic(model, { baseURL: sim.url, apiKey: "k" })], traces: false });
  const r = await llm.generate({ schema: Product, input: "Describe the kettle." });
  assert.deepEqual(r.value, { name: "Kettle", sku: "KET-0001", rating: 4.5, tags: ["home", "kitchen"] });
  assert.deepEqual(
    r.attempts.map((a) => [a.kind, a.outcome]),
    [
      ["initial", "invalid"],
      ["reask", "ok"],
    ],
  );
  const issues = JSON.stringify(r.attempts[0]!.error!.issues);
  for (const field of ["name", "sku", "rating", "tags"]) assert.match(issues, new RegExp(field), issues);
});

test("a schema native output cannot express is a configuration error that names the way out", async () => {
  const llm = createBallast({ models: [anthropic("claude-sonnet-4-5", { baseURL: sim.url, apiKey: "k" })], traces: false });
  await assert.rejects(llm.generate({ schema: z.object({ anything: z.unknown() }), input: "x" }), (err: Error) => {
    assert.match(err.message, /mode: "tool"/);
    return true;
  });
});
