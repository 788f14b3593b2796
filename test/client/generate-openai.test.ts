// generate() through the official openai SDK against the loopback simulator: schema on the wire,
// sampling defaults, usage normalisation, recovery, re-ask, fallback and the typed error path.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { AllAttemptsFailedError, ConfigurationError, createBallast, InvalidOutputError } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

const Review = z.object({
  sentiment: z.enum(["positive", "negative", "neutral"]).describe("overall sentiment"),
  score: z.number().int().min(1).max(10),
  topics: z.array(z.string()).max(3),
  note: z.string().optional(),
});
const fallback = { sentiment: "neutral" as const, score: 5, topics: [] };

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 1 });
});
after(() => sim.close());

const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });
const bodiesFor = (name: string) =>
  sim.requests.filter((r) => (r.body as { model?: string })?.model === name).map((r) => r.body as Record<string, any>);

test("a schema-valid answer with the strict schema, defaults and usage on the wire", async () => {
  const llm = createBallast({ models: [model("wire-check")] });
  const r = await llm.generate({ schema: Review, instructions: "Classify the review.", input: "Great battery." });
  assert.equal(r.source, "model");
  assert.equal(r.model, "wire-check");
  assert.equal(Review.safeParse(r.value).success, true);
  assert.equal(r.attempts.length, 1);
  assert.equal(r.attempts[0]!.outcome, "ok");
  assert.ok(r.usage.inputTokens > 10, "input tokens come from the simulator's tokenizer");
  assert.ok(r.usage.outputTokens > 0);
  const [body] = bodiesFor("wire-check");
  assert.equal(body!.temperature, 0);
  assert.equal(body!.frequency_penalty, 0.2);
  assert.deepEqual(
    body!.messages.map((m: { role: string }) => m.role),
    ["system", "user"],
  );
  assert.equal(body!.messages[0].content, "Classify the review.");
  assert.equal(body!.messages[1].content, "Great battery.");
  assert.deepEqual(body!.response_format, {
    type: "json_schema",
    json_schema: {
      name: "generate",
      strict: true,
      schema: {
        type: "object",
        properties: {
          sentiment: { type: "string", enum: ["positive", "negative", "neutral"], description: "overall sentiment" },
          score: { type: "integer", minimum: 1, maximum: 10 },
          topics: { type: "array", items: { type: "string" }, maxItems: 3 },
          note: { type: ["string", "null"] },
        },
        required: ["sentiment", "score", "topics", "note"],
        additionalProperties: false,
      },
    },
  });
});

test("per-client and per-call sampling overrides reach the wire", async () => {
  const llm = createBallast({ models: [model("override-check")], temperature: 0.7 });
  await llm.generate({ schema: Review, input: "x", frequencyPenalty: 0, maxOutputTokens: 300, seed: 9 });
  const [body] = bodiesFor("override-check");
  assert.equal(body!.temperature, 0.7);
  assert.equal(body!.frequency_penalty, 0);
  assert.equal(body!.max_completion_tokens, 300);
  assert.equal(body!.seed, 9);
});

test("a root discriminated union is wrapped for the provider and unwrapped for the caller", async () => {
  const Result = z.discriminatedUnion("status", [
    z.object({ status: z.literal("ok"), answer: z.string() }),
    z.object({ status: z.literal("error"), reason: z.string() }),
  ]);
  const llm = createBallast({ models: [model("union-check")] });
  const r = await llm.generate({ schema: Result, input: "q" });
  assert.ok(r.value.status === "ok" || r.value.status === "error");
  const [body] = bodiesFor("union-check");
  const sent = body!.response_format.json_schema.schema;
  assert.deepEqual(sent.required, ["value"]);
  assert.ok(Array.isArray(sent.properties.value.anyOf), "oneOf is sent as anyOf");
});

test("code-fenced JSON is recovered without a second call", async () => {
  sim.script("fenced", [{ text: '```json\n{"sentiment": "positive", "score": 9, "topics": ["battery"],}\n```' }]);
  const llm = createBallast({ models: [model("fenced")] });
  const r = await llm.generate({ schema: Review, input: "x" });
  assert.equal(r.source, "repaired");
  assert.deepEqual(r.value, { sentiment: "positive", score: 9, topics: ["battery"] });
  assert.equal(r.attempts.length, 1);
  assert.ok(r.attempts[0]!.recoverySteps.length > 0);
});

test("an invalid reply is re-asked once with the validation errors, then accepted", async () => {
  sim.script("reask", [{ json: { sentiment: "great", score: 99, topics: [] } }, { json: { sentiment: "positive", score: 8, topics: [] } }]);
  const llm = createBallast({ models: [model("reask")] });
  const r = await llm.generate({ schema: Review, input: "x" });
  assert.equal(r.value.sentiment, "positive");
  assert.deepEqual(
    r.attempts.map((a) => [a.kind, a.outcome]),
    [
      ["initial", "invalid"],
      ["reask", "ok"],
    ],
  );
  const second = bodiesFor("reask")[1]!;
  const last = second.messages.at(-1).content as string;
  assert.match(last, /sentiment/);
  assert.match(last, /score/);
  assert.equal(second.messages.at(-2).role, "assistant");
});

test("with no fallback, the call rejects with one error carrying every attempt", async () => {
  sim.script("always-bad", [{ text: "not json at all" }, { text: "still not json" }]);
  const llm = createBallast({ models: [model("always-bad")] });
  await assert.rejects(llm.generate({ schema: Review, input: "x" }), (err: unknown) => {
    assert.ok(err instanceof AllAttemptsFailedError);
    assert.equal(err.kind, "all_attempts_failed");
    assert.equal(err.attempts.length, 2);
    assert.ok(err.attempts.every((a) => a.outcome === "invalid"));
    return true;
  });
});

test("with a fallback, bad replies of every kind end in the fallback value", async () => {
  const big = `{"sentiment": "${"x".repeat(10 * 1024 * 1024)}"}`;
  const cases: Array<[string, object[]]> = [
    ["empty", [{ text: "" }, { text: "" }]],
    ["non-json", [{ text: "I think it is positive!" }, { text: "positive" }]],
    ["wrong-shape", [{ json: { sentiment: 1, score: "x" } }, { json: [1, 2, 3] }]],
    ["ten-mb", [{ text: big }, { text: big }]],
  ];
  for (const [name, replies] of cases) {
    sim.script(`bad-${name}`, replies as never);
    const llm = createBallast({ models: [model(`bad-${name}`)] });
    const r = await llm.generate({ schema: Review, input: "x", fallback });
    assert.equal(r.source, "fallback", name);
    assert.equal(r.model, "hardcoded_fallback", name);
    assert.deepEqual(r.value, fallback, name);
    assert.ok(r.errors.length >= 1 && r.errors.every((e) => e?.kind === "invalid_output"), name);
  }
});

test("a fallback function receives the input and the errors; its result is validated", async () => {
  sim.script("fn-fallback", [{ fault: "http500" }, { fault: "http500" }]); // a 5xx survives its one same-model retry
  const llm = createBallast({ models: [model("fn-fallback")] });
  const r = await llm.generate({
    schema: Review,
    input: "the input",
    fallback: (input, errors) => ({ sentiment: "neutral", score: 5, topics: [String(input), errors[0]!.kind] }),
  });
  assert.deepEqual(r.value.topics, ["the input", "provider_http"]);

  sim.script("fn-fallback-bad", [{ fault: "http500" }, { fault: "http500" }]); // a 5xx survives its one same-model retry
  const bad = createBallast({ models: [model("fn-fallback-bad")] });
  await assert.rejects(
    bad.generate({ schema: Review, input: "x", fallback: () => ({ sentiment: "meh" }) as never }),
    (err: Error & { kind?: string }) => err.kind === "fallback_failed" && /sentiment/.test(err.message),
  );
});

test("a fallback function that never answers fails the call with a typed error instead of hanging it", async () => {
  sim.script("fn-fallback-hangs", [{ fault: "http500" }, { fault: "http500" }]); // a 5xx survives its one same-model retry
  const llm = createBallast({ models: [model("fn-fallback-hangs")], deadlineMs: 200, reasks: 0 });
  await assert.rejects(
    llm.generate({ schema: Review, input: "x", fallback: () => new Promise<never>(() => {}) }),
    (err: Error & { kind?: string }) => err.kind === "fallback_failed" && /did not answer within/.test(err.message),
  );

  // A slow one that still answers within its time is used.
  sim.script("fn-fallback-slow", [{ fault: "http500" }, { fault: "http500" }]); // a 5xx survives its one same-model retry
  const slow = createBallast({ models: [model("fn-fallback-slow")], deadlineMs: 200, reasks: 0 });
  const r = await slow.generate({
    schema: Review,
    input: "x",
    fallback: async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { sentiment: "neutral" as const, score: 5, topics: [] };
    },
  });
  assert.equal(r.source, "fallback");
});

test("a fallback that does not fit the schema fails when the task is defined, naming the field", () => {
  const llm = createBallast({ models: [model("x")] });
  assert.throws(
    () => llm.task({ name: "t", schema: Review, fallback: { sentiment: "neutral", score: 50, topics: [] } }),
    (err: unknown) => err instanceof ConfigurationError && /score/.test(err.message) && err.issues[0]!.path[0] === "score",
  );
});

test("a schema that cannot be sent is a clear error naming the field", () => {
  const llm = createBallast({ models: [model("x")] });
  const Bad = z.object({ when: z.object({ at: z.date() }), n: z.number() });
  assert.throws(
    () => llm.task({ name: "t", schema: Bad }),
    (err: unknown) => err instanceof ConfigurationError && /when\.at/.test(err.message),
  );
});

test("bad options are typed errors naming the option", () => {
  assert.throws(
    () => createBallast({ models: [] }),
    (e: unknown) => e instanceof ConfigurationError && /models/.test(e.message),
  );
  assert.throws(
    () => createBallast({ models: [model("x")], timeoutMs: -1 }),
    (e: unknown) => e instanceof ConfigurationError && /timeoutMs/.test(e.message),
  );
});

test("a missing API key surfaces as a configuration error instead of a silent fallback", async () => {
  const saved = process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_API_KEY;
  try {
    const llm = createBallast({ models: [openai("gpt-4o")] });
    await assert.rejects(
      llm.generate({ schema: Review, input: "x", fallback }),
      (e: unknown) => e instanceof ConfigurationError && /OPENAI_API_KEY/.test(e.message),
    );
  } finally {
    if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
  }
});

test("an unreachable base URL is a connection error and falls back", async () => {
  const llm = createBallast({ models: [openai("m", { baseURL: "http://127.0.0.1:9/v1", apiKey: "k" })] });
  const r = await llm.generate({ schema: Review, input: "x", fallback });
  assert.equal(r.source, "fallback");
  assert.equal(r.attempts[0]!.outcome, "connection_error");
  await assert.rejects(llm.generate({ schema: Review, input: "x" }), (e: unknown) => e instanceof AllAttemptsFailedError);
});

test("invalid output keeps the issues on the attempt record", async () => {
  sim.script("issues", [{ json: { sentiment: "positive", score: 0, topics: [] } }]);
  const llm = createBallast({ models: [model("issues")], reasks: 0 });
  const r = await llm.generate({ schema: Review, input: "x", fallback });
  const issue = r.attempts[0]!.error!.issues![0]!;
  assert.deepEqual(issue.path, ["score"]);
  void InvalidOutputError;
});

test("the hardcoded fallback is handed out as a copy: editing one result does not change the next", async () => {
  sim.script("copy-fallback", Array(4).fill({ fault: "http500" })); // two calls, each retried once
  const llm = createBallast({ models: [model("copy-fallback")], traces: false });
  const classify = llm.task({ name: "copy", schema: Review, fallback: { sentiment: "neutral", score: 5, topics: [] } });
  const first = await classify("x");
  first.value.topics.push("mutated");
  const second = await classify("y");
  assert.deepEqual(second.value.topics, []);
});
