// Hostile options and inputs get a ConfigurationError naming the field, before any request: millisecond
// options a Node timer can honour, sampling parameters in the providers' ranges, models that are models,
// schemas that are schemas, inputs that can be serialised, trace paths that cannot hang.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type BallastOptions, createBallast, type LanguageModel } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { expectConfigurationError } from "./config-error.js";

const Answer = z.object({ answer: z.string() });
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 3 });
});
after(() => sim.close());

const model = (name = "boundary") => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });
const requestsTo = (name: string) => sim.requests.filter((r) => (r.body as { model?: string })?.model === name).length;

const rejects = async (run: () => unknown, field: RegExp, label: string): Promise<void> => {
  await expectConfigurationError(run, field, label);
};

test("millisecond options beyond 2^31 - 1 (a Node timer overflows to ~1 ms) or below 1 are refused", async () => {
  for (const key of ["deadlineMs", "timeoutMs", "maxRetryWaitMs"] as const) {
    for (const bad of [2 ** 31, Number.POSITIVE_INFINITY, 0, -5, Number.NaN, "1000"]) {
      await rejects(() => createBallast({ models: [model()], [key]: bad } as BallastOptions), new RegExp(key), `${key}: ${String(bad)}`);
    }
  }
  await rejects(() => createBallast({ models: [model()], hedge: { afterMs: 2 ** 31 } }), /hedge\.afterMs/, "hedge.afterMs");
  await rejects(() => createBallast({ models: [model()], breaker: { cooldownMs: 2 ** 32 } }), /breaker\.cooldownMs/, "breaker");
  await rejects(() => createBallast({ models: [model()], traces: { flushMs: 2 ** 31 } }), /traces\.flushMs/, "traces.flushMs");
  const llm = createBallast({ models: [model()], traces: false });
  await rejects(() => llm.generate({ schema: Answer, input: "x", deadlineMs: 2 ** 31 }), /deadlineMs/, "per call");
  await rejects(() => llm.stream({ schema: Answer, input: "x", idleMs: 2 ** 31 }).result, /idleMs/, "stream idleMs");
  // the largest valid value still works: the call answers instead of falling back within a millisecond
  const r = await llm.generate({ name: "max-deadline", schema: Answer, input: "x", deadlineMs: 2 ** 31 - 1, timeoutMs: 2 ** 31 - 1 });
  assert.equal(r.source, "model");
});

test("sampling parameters outside the providers' ranges and unknown modes are refused before any request", async () => {
  const llm = createBallast({ models: [model("sampling")], traces: false });
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ frequencyPenalty: Number.NaN }, /frequencyPenalty/],
    [{ frequencyPenalty: 3 }, /frequencyPenalty/],
    [{ temperature: -0.1 }, /temperature/],
    [{ temperature: Number.NaN }, /temperature/],
    [{ topP: -3 }, /topP/],
    [{ topP: 1.5 }, /topP/],
    [{ maxOutputTokens: -10 }, /maxOutputTokens/],
    [{ maxOutputTokens: 1.5 }, /maxOutputTokens/],
    [{ seed: "abc" }, /seed/],
    [{ seed: 1.5 }, /seed/],
    [{ mode: "bogus" }, /mode must be one of json_schema, json_object, tool, prompt/],
    [{ n: 0 }, /\bn\b/],
    [{ reasks: -1 }, /reasks/],
    [{ headers: { "x-a": 1 } }, /headers/],
  ];
  for (const [options, field] of cases) {
    await rejects(() => llm.generate({ schema: Answer, input: "x", ...options }), field, JSON.stringify(options));
    await rejects(() => llm.task({ name: "t", schema: Answer, ...options }), field, `task ${JSON.stringify(options)}`);
  }
  assert.equal(requestsTo("sampling"), 0, "no request was sent");
});

test("models must be LanguageModels: null, {}, a model name string and an empty list are named", async () => {
  const cases: Array<[unknown, RegExp]> = [
    [[null], /models\[0\] must be a model/],
    [[{}], /models\[0\] is not a LanguageModel/],
    [["gpt-4o"], /models\[0\] is the string "gpt-4o": pass a model, e\.g\. openai\("gpt-4o"\)/],
    [[model(), 42], /models\[1\]/],
    [[], /models must be a non-empty array/],
    [null, /models must be a non-empty array/],
  ];
  for (const [models, field] of cases) {
    await rejects(() => createBallast({ models: models as LanguageModel[] }), field, `client ${JSON.stringify(models)}`);
  }
  const llm = createBallast({ models: [model()], traces: false });
  await rejects(() => llm.generate({ schema: Answer, input: "x", models: [null as unknown as LanguageModel] }), /models\[0\]/, "per call");
});

test("schemas must be schemas; inputs must be serialisable; the name must be a string", async () => {
  const llm = createBallast({ models: [model("inputs")], traces: false });
  for (const schema of [{}, null, "string", 42, { type: "object" }]) {
    await rejects(() => llm.generate({ schema: schema as never, input: "x" }), /schema/, `schema ${JSON.stringify(schema)}`);
  }
  await rejects(
    () => llm.task({ name: "t", schema: {} as never }),
    /task "t": schema must be a zod 4 or zod 3 schema.*got an object that is not a schema/,
    "task schema {}",
  );
  await rejects(() => llm.task({ name: 42 as unknown as string, schema: Answer }), /name must be a non-empty string/, "name");

  const circular: Record<string, unknown> = { a: { list: [1] } };
  (circular.a as Record<string, unknown>).back = circular;
  const inputs: Array<[unknown, RegExp]> = [
    [undefined, /input is undefined/],
    [circular, /input\.a\.back refers back to one of its parents \(a circular reference\)/],
    [{ id: 10n }, /input\.id is a BigInt/],
    [[1, [2, 3n]], /input\[1\]\[1\] is a BigInt/],
    [() => 1, /input is a function/],
    [Symbol("s"), /input is a symbol/],
  ];
  for (const [input, field] of inputs) {
    await rejects(() => llm.generate({ schema: Answer, input }), field, `input ${String(typeof input)}`);
    await rejects(() => llm.text({ input }), field, `text input ${String(typeof input)}`);
  }
  const task = llm.task({ name: "inputs", schema: Answer });
  await rejects(() => task(circular), /task "inputs": input\.a\.back/, "task input");
  assert.equal(requestsTo("inputs"), 0, "no request was sent");
  // what JSON can hold still goes through (a Date, nested undefined dropped, a shared but not circular object)
  const shared = { k: 1 };
  const r = await task({ when: new Date(0), skip: undefined, a: shared, b: shared });
  assert.equal(r.source, "model");
});

test("client options: redact, breaker, budget and traces are checked; a trace path under /proc or /sys is refused", async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ redact: { secrets: ["ab"] } }, /redact\.secrets/],
    [{ redact: { secrets: "abcd" } }, /redact\.secrets must be an array/],
    [{ redact: { patterns: ["sk-"] } }, /redact\.patterns must be an array of RegExp/],
    [{ redact: { patterns: [/x*/] } }, /matches the empty string/],
    [{ redact: { privateContext: "plain" } }, /redact\.privateContext/],
    [{ breaker: { threshold: 2 } }, /breaker\.threshold/],
    [{ budget: { limitUsd: -1 } }, /budget\.limitUsd/],
    [{ onEvent: "log" }, /onEvent must be a function/],
    [{ traces: "/proc/self/traces.db" }, /under \/proc, a kernel file system/],
    [{ traces: { path: "/sys/kernel/x/traces.db" } }, /under \/sys/],
    [{ traces: { content: "all" } }, /traces\.content/],
  ];
  for (const [options, field] of cases) {
    await rejects(
      () => createBallast({ models: [model()], ...options } as BallastOptions),
      field,
      JSON.stringify(String(Object.keys(options))),
    );
  }
  await rejects(() => createBallast(null as unknown as BallastOptions), /options must be an object/, "null options");
});
