// The caller's own mistakes are a ConfigurationError naming what was wrong, thrown (or rejected) before any
// request, even with a fallback: bad headers, a task's ill-typed fields, options of the wrong kind, a call
// with no options, misspelt option names (with the name meant), a text fallback that is not a text, and a
// validator that throws while the fallback is checked.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type BallastOptions, createBallast, type TaskDefinition, type TextOptions } from "ballast";
import { openai } from "ballast/openai";
import { localRateLimiter, memoryBreakerStore, type SharedState } from "ballast/shared-state";
import { type Simulator, startSimulator } from "ballast/testing";
import { expectConfigurationError } from "./config-error.js";

const Answer = z.object({ answer: z.string() });
const fallback = { answer: "fallback" };
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 5 });
});
after(() => sim.close());

const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });
const requestsTo = (name: string) => sim.requests.filter((r) => (r.body as { model?: string })?.model === name).length;

const mistake = expectConfigurationError;

test("headers: names that are not HTTP tokens and values with CR, LF or NUL are refused at every level, before any request", async () => {
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ "X-Trace Id": "abc" }, /headers\["X-Trace Id"\]: "X-Trace Id" is not a valid HTTP header name/],
    [{ "x-a:b": "abc" }, /headers\["x-a:b"\].*not a valid HTTP header name/],
    [{ "": "abc" }, /headers\[""\].*not a valid HTTP header name/],
    [{ "x-trace": "abc\r\nX-Injected: 1" }, /headers\["x-trace"\]: the value holds a CR, LF or NUL/],
    [{ "x-trace": "abc\n" }, /headers\["x-trace"\]: the value holds a CR, LF or NUL/],
    [{ "x-trace": "a\0b" }, /headers\["x-trace"\]: the value holds a CR, LF or NUL/],
    [{ "x-trace": "a\u0001b" }, /headers\["x-trace"\]: the value holds a control character/],
    [{ "x-trace": "€" }, /headers\["x-trace"\]: .*beyond Latin-1/],
    [{ "x-trace": 7 }, /headers\["x-trace"\] must be a string, got 7/],
  ];
  const llm = createBallast({ models: [model("headers")], traces: false, breaker: { consecutiveFailures: 2 } });
  const task = llm.task({ name: "headers", schema: Answer, fallback });
  for (const [headers, field] of bad) {
    const label = JSON.stringify(headers);
    await mistake(
      () => createBallast({ models: [model("headers")], headers: headers as Record<string, string> }),
      field,
      `client ${label}`,
    );
    await mistake(
      () => llm.task({ name: "t", schema: Answer, fallback, headers: headers as Record<string, string> }),
      field,
      `task ${label}`,
    );
    await mistake(() => task("x", { headers: headers as Record<string, string> }), field, `task call ${label}`);
    await mistake(
      () => llm.generate({ schema: Answer, input: "x", fallback, headers: headers as Record<string, string> }),
      field,
      `generate ${label}`,
    );
    await mistake(() => llm.text({ input: "x", fallback: "f", headers: headers as Record<string, string> }), field, `text ${label}`);
  }
  await mistake(() => createBallast({ models: [model("headers")], headers: ["x"] as never }), /headers must be an object/, "array");
  assert.equal(requestsTo("headers"), 0, "no request was sent");
  assert.deepEqual(llm.health(), [], "the breaker saw no failure");
  // valid names and values (a tab, Latin-1) still go out
  const ok = await task("x", { headers: { "X-Trace-Id": "abc", "x-tab": "a\tb", "x-latin": "café" } });
  assert.equal(ok.source, "model");
  const sent = sim.requests.at(-1)!.headers;
  assert.equal(sent["x-trace-id"], "abc");
  assert.equal(sent["x-tab"], "a\tb");
});

test("a task's own fields are checked when it is defined, fallback or not", async () => {
  const llm = createBallast({ models: [model("fields")], traces: false });
  const cases: Array<[Partial<TaskDefinition<unknown>>, RegExp]> = [
    [{ instructions: 5 as never }, /task "t": instructions must be a string, got 5/],
    [{ examples: "x" as never }, /task "t": examples must be an array of \{ input, output \}, got "x"/],
    [{ examples: [null] as never }, /examples\[0\] must be an object \{ input, output \}/],
    [{ examples: [{ output: { answer: "a" } }] as never }, /examples\[0\]\.input is missing/],
    [{ examples: [{ input: "q", output: { answer: 5 } }] as never }, /examples\[0\]\.output does not fit the schema \(answer: /],
    [{ sections: 5 as never }, /task "t": sections must be an array/],
    [{ sections: [null] as never }, /sections\[0\] must be an object \{ name, role, content, stable \}/],
    [
      { sections: [{ name: "s", role: "assistant", content: "c", stable: true }] as never },
      /sections\[0\]\.role must be "system" or "user"/,
    ],
    [{ sections: [{ name: "s", role: "user", content: 5, stable: true }] as never }, /sections\[0\]\.content must be a string/],
    [{ privateContext: { content: "c", secret: 5 } as never }, /privateContext\.secret must be a non-empty string, got 5/],
    [{ privateContext: { content: "c", secret: "" } }, /privateContext\.secret must be a non-empty string/],
    [{ privateContext: { content: 5 } as never }, /privateContext\.content must be a string/],
    [{ privateContext: "c" as never }, /privateContext must be an object/],
    [{ promptFeedback: "yes" as never }, /promptFeedback must be true or false/],
  ];
  for (const [fields, field] of cases) {
    const label = JSON.stringify(fields);
    await mistake(() => llm.task({ name: "t", schema: Answer, fallback, ...fields }), field, `task ${label}`);
    await mistake(() => llm.generate({ name: "t", schema: Answer, input: "x", fallback, ...fields }), field, `generate ${label}`);
  }
  await mistake(() => llm.task(undefined as never), /task: the definition must be an object/, "no definition");
  // a text call's fields: its examples answer in text
  const text: Array<[Partial<TextOptions>, RegExp]> = [
    [{ instructions: 5 as never }, /text "text": instructions must be a string/],
    [{ examples: [{ input: "q", output: { a: 1 } }] as never }, /examples\[0\]\.output must be a string/],
    [{ sections: [null] as never }, /sections\[0\] must be an object/],
    [{ privateContext: { content: "c", secret: 5 } as never }, /privateContext\.secret/],
  ];
  for (const [fields, field] of text)
    await mistake(() => llm.text({ input: "x", fallback: "f", ...fields }), field, `text ${JSON.stringify(fields)}`);
  assert.equal(requestsTo("fields"), 0, "no request was sent");
  // well-formed fields still work, examples that fit included
  const good = llm.task({
    name: "good-fields",
    schema: Answer,
    instructions: "Answer.",
    examples: [{ input: "q", output: { answer: "a" } }],
    sections: [{ name: "notes", role: "system", content: "Be brief.", stable: true }],
    privateContext: { content: "code 1234", secret: "open-sesame" },
    promptFeedback: true,
  });
  assert.equal((await good("x")).source, "model");
});

test("options of the wrong kind and calls without options are typed errors, not TypeErrors", async () => {
  const m = model("kinds");
  const client: Array<[Record<string, unknown>, RegExp]> = [
    [{ shared: 5 }, /createBallast: shared must be shared state.*got 5/],
    [{ shared: {} }, /shared is not shared state: it has no onOutage\(\) method/],
    [{ shared: { onOutage: () => () => {}, breakerStore: memoryBreakerStore() } }, /shared\.rateLimiter must be a rate limiter/],
    [{ cache: 5 }, /createBallast: cache must be an object/],
    [{ cache: { ttl: "2h" } }, /cache\.ttl must be "5m" or "1h"/],
    [{ cache: { tll: "1h" } }, /cache\.tll is not an option/],
    [{ rateLimits: 5 }, /createBallast: rateLimits must map model keys/],
    [{ breaker: { store: 5 } }, /createBallast: breaker\.store must be a breaker store/],
    [{ breaker: { store: {} } }, /breaker\.store is not a breaker store: it has no acquire\(\) method/],
  ];
  for (const [options, field] of client) {
    await mistake(() => createBallast({ models: [m], ...options } as BallastOptions), field, JSON.stringify(Object.keys(options)));
  }
  const llm = createBallast({ models: [m], traces: false });
  const task = llm.task({ name: "kinds", schema: Answer, fallback });
  const signal = /signal must be an AbortSignal.*got "x"/;
  await mistake(() => llm.generate({ schema: Answer, input: "x", fallback, signal: "x" as never }), signal, "generate signal");
  await mistake(() => llm.stream({ schema: Answer, input: "x", fallback, signal: "x" as never }).result, signal, "stream signal");
  await mistake(() => llm.text({ input: "x", fallback: "f", signal: "x" as never }), signal, "text signal");
  await mistake(() => task("x", { signal: "x" as never }), signal, "task call signal");
  await mistake(() => task.stream("x", { signal: "x" as never }).result, signal, "task stream signal");
  await mistake(() => task("x", { batch: "b" as never }), /batch must be \{ id: string, row: string \}/, "batch");
  await mistake(() => task("x", { cache: { ttl: 5 } as never }), /cache\.ttl/, "per-call cache");
  await mistake(() => task("x", null as never), /task "kinds": call options: options must be an object/, "null call options");
  await mistake(
    () => (llm.generate as () => unknown)(),
    /generate: options must be an object \{ schema, input, … \}, got undefined/,
    "generate()",
  );
  await mistake(() => (llm.text as () => unknown)(), /text: options must be an object/, "text()");
  const stream = (llm.stream as unknown as () => { result: Promise<unknown> })();
  await mistake(() => stream.result, /stream: options must be an object/, "stream()");
  await mistake(() => task.stream("x", null as never).result, /options must be an object/, "task.stream(input, null)");
  // a promise-returning call rejects rather than throwing
  const rejected = (llm.generate as () => Promise<unknown>)();
  assert.ok(rejected instanceof Promise);
  await rejected.catch(() => {});
  assert.equal(requestsTo("kinds"), 0, "no request was sent");
});

test("unknown option names are refused at every layer, with the name meant when one is close", async () => {
  const m = model("names");
  await mistake(
    () => createBallast({ models: [m], timeout: 1000 } as BallastOptions),
    /createBallast: unknown option `timeout` \(did you mean `timeoutMs`\?\)/,
    "client",
  );
  await mistake(() => createBallast({ Models: [m] } as never), /unknown option `Models` \(did you mean `models`\?\)/, "client case");
  const llm = createBallast({ models: [m], traces: false });
  const lost = { name: "typo", schema: Answer, fallbak: fallback } as unknown as TaskDefinition<unknown>;
  await mistake(() => llm.task(lost), /task "typo": unknown field `fallbak` \(did you mean `fallback`\?\)/, "task");
  const task = llm.task({ name: "names", schema: Answer, fallback });
  await mistake(
    () => task("x", { timeout: 1 } as never),
    /task "names": call options: unknown option `timeout` \(did you mean `timeoutMs`\?\)/,
    "call",
  );
  await mistake(() => task("x", { input: "y" } as never), /unknown option `input`/, "call: the input is the first argument");
  await mistake(() => task.stream("x", { idle: 5 } as never).result, /unknown option `idle`/, "task stream");
  await mistake(
    () => llm.generate({ schema: Answer, input: "x", temprature: 0 } as never),
    /generate: unknown option `temprature` \(did you mean `temperature`\?\)/,
    "generate",
  );
  await mistake(
    () => llm.stream({ schema: Answer, input: "x", idelMs: 5 } as never).result,
    /stream: unknown option `idelMs` \(did you mean `idleMs`\?\)/,
    "stream",
  );
  await mistake(() => llm.text({ input: "x", schema: Answer } as never), /text: unknown option `schema`/, "text takes no schema");
  const far = await mistake(() => createBallast({ models: [m], verbose: true } as never), /unknown option `verbose`/, "no close name");
  assert.doesNotMatch(far.message, /did you mean/);
  assert.equal(requestsTo("names"), 0, "no request was sent");
});

test("every option of every layer is still accepted", async () => {
  const shared: SharedState = {
    breakerStore: memoryBreakerStore(),
    rateLimiter: localRateLimiter(),
    onOutage: () => () => {},
    close: async () => {},
  };
  const call = {
    models: [model("all")],
    timeoutMs: 10_000,
    deadlineMs: 20_000,
    reasks: 1,
    temperature: 0,
    frequencyPenalty: 0,
    topP: 1,
    maxOutputTokens: 500,
    seed: 1,
    n: 1,
    hedge: false as const,
    maxRetryWaitMs: 1_000,
    mode: "json_schema" as const,
    headers: { "x-all": "1" },
    cache: { key: "all", breakpoints: "auto" as const, ttl: "5m" as const },
    retry: { limit: 1, backoffMs: 10, models: { all: 1 } },
  };
  const llm = createBallast({
    ...call,
    breaker: { store: memoryBreakerStore(), consecutiveFailures: 5 },
    onEvent: () => {},
    traces: false,
    budget: { limitUsd: 100 },
    redact: { secrets: ["a-secret-value"] },
    shared,
    rateLimits: { "*": { requests: 10_000 } },
  });
  const fields = { schema: Answer, instructions: "Answer.", examples: [{ input: "q", output: { answer: "a" } }], sections: [], fallback };
  const task = llm.task({ name: "all", ...fields, promptFeedback: false, privateContext: { content: "c" }, ...call });
  const perCall = { ...call, signal: new AbortController().signal, batch: { id: "b", row: "1" }, privateContext: { content: "c" } };
  assert.equal((await task("x", perCall)).source, "model");
  assert.equal((await task.stream("x", { ...perCall, firstChunkMs: 10_000, idleMs: 10_000, atomic: ["/answer"] }).result).source, "model");
  const usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  const replayed = await task.replay("x", { model: call.models[0]!, text: '{"answer":"r"}', usage }, perCall);
  assert.deepEqual(replayed.value, { answer: "r" });
  const oneOff = { name: "all-once", input: "x", ...fields, promptFeedback: false, ...perCall };
  assert.equal((await llm.generate(oneOff)).source, "model");
  assert.equal((await llm.stream({ ...oneOff, firstChunkMs: 10_000, idleMs: 10_000, atomic: ["/answer"] }).result).source, "model");
  const { schema: _schema, promptFeedback: _feedback, examples: _examples, fallback: _fallback, ...textOptions } = oneOff;
  assert.equal((await llm.text({ ...textOptions, examples: [{ input: "q", output: "a" }], fallback: "f" })).source, "model");
});

test("a text call's fallback must be a text or a function", async () => {
  const llm = createBallast({ models: [model("text-fallback")], traces: false });
  for (const bad of [5, { text: "x" }, null]) {
    await mistake(
      () => llm.text({ input: "x", fallback: bad as never }),
      /text "text": fallback must be a string \(the text to answer with\) or a function returning one, got/,
      JSON.stringify(bad),
    );
  }
  assert.equal(requestsTo("text-fallback"), 0, "no request was sent");
  assert.equal((await llm.text({ input: "x", fallback: () => "later" })).source, "model");
});

test("a synchronous validator that throws on the fallback is named as such, its exception the cause", async () => {
  const llm = createBallast({ models: [model("refine")], traces: false });
  const own = new Error("mine");
  const Throws = Answer.refine(() => {
    throw own;
  });
  const error = await mistake(
    () => llm.task({ name: "refine", schema: Throws, fallback }),
    /task "refine": the schema's validator threw while checking the fallback: Error: mine/,
    "sync refine that throws",
  );
  assert.equal(error.cause, own);
  assert.doesNotMatch(error.message, /async/);
  // a truly asynchronous check still asks for a fallback function, and an ill-fitting fallback is still named
  const Async = Answer.refine(async () => true);
  await mistake(() => llm.task({ name: "async", schema: Async, fallback }), /async validators cannot check the fallback/, "async refine");
  await mistake(
    () => llm.task({ name: "misfit", schema: Answer, fallback: { answer: 5 } as never }),
    /the fallback does not fit the schema \(answer: /,
    "misfit",
  );
  // a refine that holds: the fallback is accepted
  llm.task({ name: "holds", schema: Answer.refine((v) => v.answer.length > 0), fallback });
});
