// Ballast's transport (`leanFetch`, the default fetch of the clients the adapters create) under the official
// SDKs, against the simulator over loopback: replies, every response header, HTTP faults as the SDKs' status
// classes, resets as connection errors, an abort that closes the socket, SSE streams, a body read once, and
// the adapters' own `fetch` option winning over it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { z } from "zod";
import { createBallast } from "ballast";
import { anthropic } from "ballast/anthropic";
import { leanFetch, openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { waitFor } from "../simulator/helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 11, rateLimits: { "gpt-limited": { requests: 1000, windowMs: 60_000 } } });
});
after(() => sim.close());

const oa = () => new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-sim", maxRetries: 0, fetch: leanFetch });
const an = () => new Anthropic({ baseURL: sim.url, apiKey: "sk-ant-sim", maxRetries: 0, fetch: leanFetch });
const schema = {
  type: "object",
  properties: { label: { type: "string", enum: ["bug", "feature"] }, priority: { type: "integer" } },
  required: ["label", "priority"],
  additionalProperties: false,
} as const;
const body = (model: string) => ({
  model,
  messages: [{ role: "user" as const, content: "triage: the app crashes" }],
  response_format: { type: "json_schema" as const, json_schema: { name: "t", strict: true, schema } },
});

test("a reply keeps every response header: request id and x-ratelimit-*", async () => {
  const { data, response, request_id } = await oa().chat.completions.create(body("gpt-limited")).withResponse();
  assert.deepEqual(Object.keys(JSON.parse(data.choices[0]?.message.content ?? "")).sort(), ["label", "priority"]);
  assert.equal(response.status, 200);
  assert.ok(response.headers.get("x-request-id"));
  assert.equal(request_id, response.headers.get("x-request-id"));
  assert.equal(response.headers.get("x-ratelimit-limit-requests"), "1000");
  assert.ok(Number(response.headers.get("x-ratelimit-remaining-requests")) < 1000);
  assert.equal(response.url, `${sim.url}/v1/chat/completions`);
});

test("HTTP faults reach the SDKs as their status classes, with retry-after", async () => {
  const ask = (fault: string) =>
    oa()
      .chat.completions.create(body("gpt-f"), { headers: { "x-ballast-sim": fault } })
      .catch((e: unknown) => e);
  const rate = await ask("http429");
  assert.ok(rate instanceof OpenAI.RateLimitError);
  assert.ok(Number(rate.headers?.get("retry-after-ms")) > 0);
  assert.ok((await ask("http500")) instanceof OpenAI.InternalServerError);
  const overloaded = await an()
    .messages.create(
      { model: "claude-f", max_tokens: 10, messages: [{ role: "user", content: "x" }] },
      { headers: { "x-ballast-sim": "http529" } },
    )
    .catch((e: unknown) => e);
  assert.ok(overloaded instanceof Anthropic.APIError);
  assert.equal(overloaded.status, 529);
});

test("a reset is a connection error on both SDKs", async () => {
  const e1 = await oa()
    .chat.completions.create(body("gpt-f"), { headers: { "x-ballast-sim": "reset" } })
    .catch((e: unknown) => e);
  assert.ok(e1 instanceof OpenAI.APIConnectionError, String(e1));
  const e2 = await an()
    .messages.create(
      { model: "claude-f", max_tokens: 10, messages: [{ role: "user", content: "x" }] },
      { headers: { "x-ballast-sim": "reset" } },
    )
    .catch((e: unknown) => e);
  assert.ok(e2 instanceof Anthropic.APIConnectionError, String(e2));
});

// a transport that drops the signal hangs here: the test's own timeout turns that into a failure
test("an abort and an SDK timeout close the hanging request's socket", { timeout: 20_000 }, async () => {
  const abortedBefore = sim.stats().abortedRequests;
  const controller = new AbortController();
  const pending = oa()
    .chat.completions.create(body("gpt-f"), { headers: { "x-ballast-sim": "hang" }, signal: controller.signal })
    .catch((e: unknown) => e);
  assert.ok(await waitFor(() => sim.stats().hangingRequests === 1));
  controller.abort();
  assert.ok((await pending) instanceof OpenAI.APIUserAbortError);
  const timedOut = await an()
    .messages.create(
      { model: "claude-f", max_tokens: 10, messages: [{ role: "user", content: "x" }] },
      { headers: { "x-ballast-sim": "hang" }, timeout: 150 },
    )
    .catch((e: unknown) => e);
  assert.ok(timedOut instanceof Anthropic.APIConnectionTimeoutError, String(timedOut));
  assert.ok(await waitFor(() => sim.stats().hangingRequests === 0 && sim.stats().abortedRequests === abortedBefore + 2));
});

test("SSE streams arrive chunk by chunk on both SDKs; a cut stream errors as a connection failure", async () => {
  let text = "";
  let chunks = 0;
  for await (const c of await oa().chat.completions.create({ ...body("gpt-s"), stream: true })) {
    text += c.choices[0]?.delta?.content ?? "";
    chunks++;
  }
  assert.ok(chunks > 2);
  assert.ok(JSON.parse(text));
  let events = 0;
  for await (const _ of an().messages.stream({ model: "claude-s", max_tokens: 50, messages: [{ role: "user", content: "x" }] })) events++;
  assert.ok(events > 2);
  const cut = await (async () => {
    for await (const _ of await oa().chat.completions.create(
      { ...body("gpt-f"), stream: true },
      { headers: { "x-ballast-sim": "streamCut" } },
    ));
  })().catch((e: unknown) => e);
  assert.ok(cut instanceof TypeError && cut.message === "terminated" && cut.cause !== undefined, String(cut));
});

test("a JSON body reads once, as any Response's: clone first, or the second read fails", async () => {
  const res = await leanFetch(`${sim.url}/v1/models`, { headers: { authorization: "Bearer sk-sim" } });
  assert.equal(res.ok, true);
  assert.ok(res instanceof Response);
  const copy = res.clone();
  assert.equal(res.bodyUsed, false);
  const list = (await res.json()) as { data: unknown[] };
  assert.ok(Array.isArray(list.data));
  assert.equal(res.bodyUsed, true);
  await assert.rejects(res.text(), TypeError);
  assert.deepEqual(JSON.parse(new TextDecoder().decode((await copy.body?.getReader().read())?.value)), list);
  assert.equal(copy.bodyUsed, true);
});

test("an adapter's own fetch option wins over Ballast's transport", async () => {
  let calls = 0;
  const counting: typeof fetch = (input, init) => {
    calls++;
    return fetch(input, init);
  };
  const llm = createBallast({
    models: [openai("gpt-own", { api: "chat", baseURL: `${sim.url}/v1`, apiKey: "k", fetch: counting })],
    traces: false,
  });
  const r = await llm.generate({ schema: z.object({ label: z.enum(["bug", "feature"]) }), input: "x" });
  assert.equal(r.source, "model");
  assert.equal(calls, 1);
  const claude = createBallast({
    models: [anthropic("claude-own", { baseURL: sim.url, apiKey: "k", fetch: counting, mode: "tool" })],
    traces: false,
  });
  assert.equal((await claude.generate({ schema: z.object({ label: z.enum(["bug", "feature"]) }), input: "x" })).source, "model");
  assert.equal(calls, 2);
});
