// Each fault as the official SDKs observe it: the same error classes, statuses, bodies and headers as the
// real APIs (429 with retry-after), resets and hangs as connection errors, content faults in the reply.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, isValid, openaiFor, parses, reviewSchema, waitFor } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 7 });
});
after(() => sim.close());

const format = { type: "json_schema" as const, json_schema: { name: "review", strict: true, schema: reviewSchema } };
const ask = (fault: string, content = "classify this") =>
  openaiFor(sim).chat.completions.create(
    { model: "gpt-f", messages: [{ role: "user", content }], response_format: format },
    { headers: { "x-ballast-sim": fault } },
  );
const askAnthropic = (fault: string) =>
  anthropicFor(sim).messages.create(
    {
      model: "claude-f",
      max_tokens: 400,
      messages: [{ role: "user", content: "classify" }],
      tools: [{ name: "review", input_schema: reviewSchema as unknown as Anthropic.Tool.InputSchema }],
      tool_choice: { type: "tool", name: "review" },
    },
    { headers: { "x-ballast-sim": fault } },
  );

test("OpenAI HTTP faults raise the SDK's status classes with real-looking bodies", async () => {
  const cases: Array<[string, new (...args: never[]) => Error, number]> = [
    ["http429", OpenAI.RateLimitError, 429],
    ["http500", OpenAI.InternalServerError, 500],
    ["http502", OpenAI.InternalServerError, 502],
    ["http503", OpenAI.InternalServerError, 503],
    ["http529", OpenAI.InternalServerError, 529],
  ];
  for (const [fault, cls, status] of cases) {
    const error = await ask(fault).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof cls, `${fault}: ${String(error)}`);
    assert.equal((error as InstanceType<typeof OpenAI.APIError>).status, status);
  }
  const rate = (await ask("http429").catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
  assert.equal(rate.code, "rate_limit_exceeded");
  assert.equal(rate.headers?.get("x-ballast-fault"), "http429");
  assert.equal(rate.type, "tokens");
  const ms = Number(rate.headers?.get("retry-after-ms"));
  assert.ok(ms > 0);
  assert.equal(Number(rate.headers?.get("retry-after")), Math.max(1, Math.ceil(ms / 1000)));
  assert.equal(rate.headers?.get("x-ratelimit-remaining-tokens"), "0");
});

test("Anthropic HTTP faults raise the SDK's classes (529 is OverloadedError)", async () => {
  const cases: Array<[string, new (...args: never[]) => Error, string]> = [
    ["http429", Anthropic.RateLimitError, "rate_limit_error"],
    ["http500", Anthropic.InternalServerError, "api_error"],
    ["http502", Anthropic.InternalServerError, "api_error"],
    ["http503", Anthropic.InternalServerError, "overloaded_error"],
    ["http529", Anthropic.InternalServerError, "overloaded_error"],
  ];
  for (const [fault, cls, type] of cases) {
    const error = (await askAnthropic(fault).then(
      () => null,
      (e: unknown) => e,
    )) as InstanceType<typeof Anthropic.APIError>;
    assert.ok(error instanceof cls, `${fault}: ${String(error)}`);
    assert.equal((error.error as { error: { type: string } }).error.type, type);
  }
  const overloaded = await askAnthropic("http529").catch((e: unknown) => e);
  assert.equal((overloaded as Error).constructor.name, "OverloadedError");
  const rate = (await askAnthropic("http429").catch((e: unknown) => e)) as InstanceType<typeof Anthropic.RateLimitError>;
  assert.ok(Number(rate.headers?.get("retry-after")) >= 1);
  assert.ok(Number(rate.headers?.get("retry-after-ms")) > 0);
  assert.equal(rate.headers?.get("anthropic-ratelimit-input-tokens-remaining"), "0");
});

test("reset is a connection error on both SDKs", async () => {
  assert.ok((await ask("reset").catch((e: unknown) => e)) instanceof OpenAI.APIConnectionError);
  assert.ok((await askAnthropic("reset").catch((e: unknown) => e)) instanceof Anthropic.APIConnectionError);
});

test("hang never answers; the client's abort closes it cleanly and is counted", async () => {
  const abortedBefore = sim.stats().abortedRequests;
  const controller = new AbortController();
  const pending = openaiFor(sim).chat.completions.create(
    { model: "gpt-f", messages: [{ role: "user", content: "x" }] },
    { headers: { "x-ballast-sim": "hang" }, signal: controller.signal },
  );
  assert.ok(await waitFor(() => sim.stats().hangingRequests === 1));
  controller.abort();
  assert.ok((await pending.catch((e: unknown) => e)) instanceof OpenAI.APIUserAbortError);
  const timedOut = await anthropicFor(sim)
    .messages.create(
      { model: "claude-f", max_tokens: 10, messages: [{ role: "user", content: "x" }] },
      { headers: { "x-ballast-sim": "hang" }, timeout: 150 },
    )
    .catch((e: unknown) => e);
  assert.ok(timedOut instanceof Anthropic.APIConnectionTimeoutError);
  assert.ok(await waitFor(() => sim.stats().hangingRequests === 0 && sim.stats().abortedRequests === abortedBefore + 2));
  assert.ok((sim.stats().byFault.hang ?? 0) >= 2);
});

test("truncate: finish_reason length and content cut mid-value; Anthropic max_tokens", async () => {
  const r = await ask("truncate");
  assert.equal(r.choices[0]?.finish_reason, "length");
  assert.equal(parses(r.choices[0]?.message.content), false);
  const m = await askAnthropic("truncate");
  assert.equal(m.stop_reason, "max_tokens");
});

test("refusal: OpenAI message.refusal with null content; Anthropic stop_reason refusal", async () => {
  const r = await ask("refusal");
  assert.equal(r.choices[0]?.message.content, null);
  assert.ok((r.choices[0]?.message.refusal ?? "").length > 0);
  const m = await askAnthropic("refusal");
  assert.equal(m.stop_reason, "refusal");
});

test("contentFilter: finish_reason content_filter", async () => {
  const r = await ask("contentFilter");
  assert.equal(r.choices[0]?.finish_reason, "content_filter");
});

test("malformed: never valid JSON, in several of the real forms, chosen deterministically", async () => {
  const texts: string[] = [];
  for (let i = 0; i < 40; i++) {
    const r = await ask("malformed", `input ${i}`);
    const text = r.choices[0]?.message.content ?? "";
    assert.equal(parses(text), false, text);
    texts.push(text);
  }
  const kinds = {
    fence: texts.some((t) => t.startsWith("```json")),
    prose: texts.some((t) => t.startsWith("Sure!")),
    trailing: texts.some((t) => /,\n\s*[}\]]/.test(t)),
    single: texts.some((t) => t.includes("'sentiment'")),
    python: texts.some((t) => /None|True|False/.test(t)),
    unquoted: texts.some((t) => /\n\s+sentiment:/.test(t)),
    comments: texts.some((t) => t.includes("//")),
  };
  assert.ok(Object.values(kinds).filter(Boolean).length >= 6, JSON.stringify(kinds));
});

test("wrongShape: valid JSON that fails the schema", async () => {
  for (let i = 0; i < 20; i++) {
    const r = await ask("wrongShape", `wrong ${i}`);
    const value = JSON.parse(r.choices[0]?.message.content ?? "") as unknown;
    assert.equal(isValid(reviewSchema, value), false, JSON.stringify(value));
  }
});

test("an unknown x-ballast-sim value is a 400 naming the header; none forces no fault", async () => {
  const error = await ask("explode").catch((e: unknown) => e);
  assert.ok(error instanceof OpenAI.BadRequestError);
  const ok = await ask("none");
  assert.equal(ok.choices[0]?.finish_reason, "stop");
});
