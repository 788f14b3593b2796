// Streaming on both protocols: the official SDKs' stream helpers reassemble the same answers, the raw SSE
// has the providers' frame sequence, pacing follows the model card, and streamCut drops the socket mid-way.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, isValid, openaiFor, rawPost, reviewSchema } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 4, models: { paced: { ttftMs: 100, tokensPerSecond: 300 } } });
});
after(() => sim.close());

const format = { type: "json_schema" as const, json_schema: { name: "review", strict: true, schema: reviewSchema } };
const messages = [{ role: "user" as const, content: "stream me" }];

function sseData(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((f) => f.includes("data: "))
    .map((f) => (f.split("\n").find((l) => l.startsWith("data: ")) as string).slice(6))
    .map((d) => (d === "[DONE]" ? "[DONE]" : JSON.parse(d)));
}

test("OpenAI stream: deltas reassemble to the non-streamed answer; final usage chunk", async () => {
  const client = openaiFor(sim);
  const full = await client.chat.completions.create({ model: "gpt-s", messages, response_format: format, temperature: 0 });
  const stream = await client.chat.completions.create({
    model: "gpt-s",
    messages,
    response_format: format,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  let deltas = 0;
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    const c = chunk.choices[0];
    if (c?.delta.content) {
      text += c.delta.content;
      deltas++;
    }
    if (c?.finish_reason) finish = c.finish_reason;
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, full.choices[0]?.message.content);
  assert.ok(deltas > 3, "sent in small chunks");
  assert.equal(finish, "stop");
  assert.deepEqual(usage, full.usage);
  assert.ok(isValid(reviewSchema, JSON.parse(text)));
});

test("OpenAI raw SSE: role first, chunk objects, usage chunk with empty choices, then [DONE]", async () => {
  const res = await rawPost(`${sim.url}/v1/chat/completions`, {
    model: "gpt-s",
    messages,
    stream: true,
    stream_options: { include_usage: true },
    n: 2,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const frames = sseData(res.text) as Array<Record<string, unknown> | "[DONE]">;
  assert.equal(frames[frames.length - 1], "[DONE]");
  const chunks = frames.slice(0, -1) as Array<{
    object: string;
    choices: Array<{ index: number; delta: { role?: string }; finish_reason: string | null }>;
    usage: unknown;
  }>;
  assert.ok(chunks.every((c) => c.object === "chat.completion.chunk"));
  assert.equal(chunks[0]?.choices[0]?.delta.role, "assistant");
  const last = chunks[chunks.length - 1];
  assert.deepEqual(last?.choices, []);
  assert.ok(last?.usage);
  assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
  const finished = chunks.flatMap((c) => c.choices.filter((x) => x.finish_reason).map((x) => x.index)).sort();
  assert.deepEqual(finished, [0, 1]);
});

test("OpenAI stream helper: tool-call arguments and refusals stream as in the API", async () => {
  const client = openaiFor(sim);
  const runner = client.chat.completions.stream({
    model: "gpt-s",
    messages,
    tools: [{ type: "function", function: { name: "record", parameters: reviewSchema } }],
    tool_choice: { type: "function", function: { name: "record" } },
  });
  const done = await runner.finalChatCompletion();
  const call = done.choices[0]?.message.tool_calls?.[0];
  assert.ok(call?.type === "function" && isValid(reviewSchema, JSON.parse(call.function.arguments)));
  const refusing = await client.chat.completions.create(
    { model: "gpt-s", messages, stream: true },
    { headers: { "x-ballast-sim": "refusal" } },
  );
  let refusal = "";
  for await (const chunk of refusing) refusal += chunk.choices[0]?.delta.refusal ?? "";
  assert.ok(refusal.includes("can't help"));
});

test("Anthropic stream: event sequence and SDK reassembly of text and tool_use input", async () => {
  const res = await rawPost(
    `${sim.url}/v1/messages`,
    { model: "claude-s", max_tokens: 500, stream: true, messages },
    { "anthropic-version": "2023-06-01" },
  );
  const events = res.text
    .split("\n\n")
    .filter(Boolean)
    .map((f) => f.split("\n")[0]?.replace("event: ", ""));
  const order = events.filter((e) => e !== "ping" && e !== "content_block_delta");
  assert.deepEqual(order, ["message_start", "content_block_start", "content_block_stop", "message_delta", "message_stop"]);
  assert.ok(events.filter((e) => e === "content_block_delta").length > 3);

  const client = anthropicFor(sim);
  const tool = { name: "record", input_schema: reviewSchema as unknown as Anthropic.Tool.InputSchema };
  const stream = client.messages.stream({
    model: "claude-s",
    max_tokens: 500,
    messages,
    tools: [tool],
    tool_choice: { type: "tool", name: "record" },
  });
  let partial = 0;
  stream.on("inputJson", () => partial++);
  const final = await stream.finalMessage();
  const block = final.content[0];
  assert.ok(block?.type === "tool_use" && isValid(reviewSchema, block.input));
  assert.equal(final.stop_reason, "tool_use");
  assert.ok(partial > 3, "input_json_delta events");
  assert.ok(final.usage.output_tokens > 5);
});

test("streamCut: the socket drops mid-stream; the SDKs raise connection errors", async () => {
  const client = openaiFor(sim);
  const stream = await client.chat.completions.create(
    { model: "gpt-s", messages, stream: true },
    { headers: { "x-ballast-sim": "streamCut" } },
  );
  let received = "";
  const error = await (async () => {
    for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? "";
  })().then(
    () => null,
    (e: unknown) => e,
  );
  // As with a real dropped connection: undici reports the body as "terminated".
  assert.match(String(error), /terminated/, "stream iteration fails");
  assert.ok(received.length > 0, "some content arrived first");
  const anth = anthropicFor(sim).messages.stream(
    { model: "claude-s", max_tokens: 500, messages },
    { headers: { "x-ballast-sim": "streamCut" } },
  );
  const anthError = await anth.finalMessage().then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(anthError instanceof Error);
  const whole = await client.chat.completions
    .create({ model: "gpt-s", messages }, { headers: { "x-ballast-sim": "streamCut" } })
    .catch((e: unknown) => e);
  assert.match(String(whole), /terminated/);
});
