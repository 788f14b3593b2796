// Tool use that behaves like a model, through the official SDKs: the tool the prompt names is called,
// parallel calls when allowed, an answer after tool results (text or the structured output), scripted text
// stays text, legacy `functions`, and Anthropic's tool pairing rules answered with its 400.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, isValid, openaiFor } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 5 });
});
after(() => sim.close());

const citySchema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
const tools: OpenAI.ChatCompletionTool[] = [
  { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: citySchema } },
  { type: "function", function: { name: "get_time", description: "Local time in a city", parameters: citySchema } },
];
const answerSchema = { type: "object", properties: { summary: { type: "string" } }, required: ["summary"], additionalProperties: false };

test("OpenAI: the named tool is called, then the model answers after its result", async () => {
  const client = openaiFor(sim);
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Use get_time for Paris." }];
  const first = await client.chat.completions.create({ model: "gpt-test", messages, tools });
  const call = first.choices[0]?.message.tool_calls?.[0];
  assert.equal(first.choices[0]?.finish_reason, "tool_calls");
  assert.equal(first.choices[0]?.message.tool_calls?.length, 1);
  assert.ok(call?.type === "function" && call.function.name === "get_time");
  messages.push(first.choices[0]?.message as OpenAI.ChatCompletionMessageParam, { role: "tool", tool_call_id: call.id, content: "14:00" });
  const second = await client.chat.completions.create({ model: "gpt-test", messages, tools });
  assert.equal(second.choices[0]?.finish_reason, "stop");
  assert.equal(second.choices[0]?.message.tool_calls, undefined);
  assert.ok((second.choices[0]?.message.content ?? "").length > 0);
  // With a response format, the answer after the tool result is the structured output.
  const structured = await client.chat.completions.create({
    model: "gpt-test",
    messages,
    tools,
    response_format: { type: "json_schema", json_schema: { name: "answer", strict: true, schema: answerSchema } },
  });
  assert.ok(isValid(answerSchema, JSON.parse(structured.choices[0]?.message.content ?? "")));
});

test("OpenAI runTools runs the loop to completion with text", async () => {
  const client = openaiFor(sim);
  const seen: string[] = [];
  const runner = client.chat.completions.runTools({
    model: "gpt-test",
    messages: [{ role: "user", content: "What is the weather in Oslo? Use get_weather." }],
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather for a city",
          parameters: citySchema,
          function: (args: { city: string }) => {
            seen.push(args.city);
            return "sunny";
          },
          parse: JSON.parse,
        },
      },
    ],
  });
  const text = await runner.finalContent();
  assert.equal(seen.length, 1);
  assert.ok(text && text.length > 0);
});

test("OpenAI: both named tools in parallel, one when parallel_tool_calls is false, also streamed", async () => {
  const client = openaiFor(sim);
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Call get_weather and get_time for Rome." }];
  const both = await client.chat.completions.create({ model: "gpt-test", messages, tools });
  assert.deepEqual(
    both.choices[0]?.message.tool_calls?.map((c) => (c.type === "function" ? c.function.name : "")),
    ["get_weather", "get_time"],
  );
  const ids = both.choices[0]?.message.tool_calls?.map((c) => c.id) ?? [];
  assert.equal(new Set(ids).size, 2);
  const one = await client.chat.completions.create({ model: "gpt-test", messages, tools, parallel_tool_calls: false });
  assert.equal(one.choices[0]?.message.tool_calls?.length, 1);
  const stream = client.chat.completions.stream({ model: "gpt-test", messages, tools });
  const final = await stream.finalChatCompletion();
  const streamed = final.choices[0]?.message.tool_calls ?? [];
  assert.equal(streamed.length, 2);
  for (const c of streamed) assert.ok(c.type === "function" && isValid(citySchema, JSON.parse(c.function.arguments)));
});

test("OpenAI: scripted text with tools stays text; legacy functions answer with function_call", async () => {
  const client = openaiFor(sim);
  sim.script("gpt-scripted", [{ text: "No tool needed." }]);
  const r = await client.chat.completions.create({ model: "gpt-scripted", messages: [{ role: "user", content: "hi" }], tools });
  assert.equal(r.choices[0]?.message.content, "No tool needed.");
  assert.equal(r.choices[0]?.finish_reason, "stop");
  const legacy = await client.chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "Extract the city: Lima" }],
    functions: [{ name: "extract", parameters: citySchema }],
    function_call: { name: "extract" },
  });
  const fc = legacy.choices[0]?.message.function_call;
  assert.equal(fc?.name, "extract");
  assert.ok(isValid(citySchema, JSON.parse(fc?.arguments ?? "")));
});

const anthropicTools: Anthropic.Tool[] = [
  { name: "get_weather", description: "Weather", input_schema: citySchema as Anthropic.Tool.InputSchema },
  { name: "get_time", description: "Time", input_schema: citySchema as Anthropic.Tool.InputSchema },
];

test("Anthropic: tool loop ends with text; parallel tool_use unless disabled", async () => {
  const client = anthropicFor(sim);
  const messages: Anthropic.MessageParam[] = [{ role: "user", content: "Use get_weather and get_time for Kyoto." }];
  const first = await client.messages.create({ model: "claude-test", max_tokens: 400, messages, tools: anthropicTools });
  assert.equal(first.stop_reason, "tool_use");
  const uses = first.content.filter((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
  assert.deepEqual(
    uses.map((u) => u.name),
    ["get_weather", "get_time"],
  );
  const single = await client.messages.create({
    model: "claude-test",
    max_tokens: 400,
    messages,
    tools: anthropicTools,
    tool_choice: { type: "auto", disable_parallel_tool_use: true },
  });
  assert.equal(single.content.filter((b) => b.type === "tool_use").length, 1);
  messages.push(
    { role: "assistant", content: first.content },
    { role: "user", content: uses.map((u) => ({ type: "tool_result" as const, tool_use_id: u.id, content: "ok" })) },
  );
  const done = await client.messages.create({ model: "claude-test", max_tokens: 400, messages, tools: anthropicTools });
  assert.equal(done.stop_reason, "end_turn");
  assert.equal(done.content[0]?.type, "text");
});

test("Anthropic: a tool_result without its tool_use, or a tool_use left unanswered, is a 400", async () => {
  const client = anthropicFor(sim);
  const orphan = client.messages.create({
    model: "claude-test",
    max_tokens: 100,
    messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_missing", content: "x" }] }],
  });
  await assert.rejects(orphan, (e: Error & { status?: number; error?: { error?: { type?: string; message?: string } } }) => {
    assert.equal(e.status, 400);
    assert.equal(e.error?.error?.type, "invalid_request_error");
    assert.match(e.error?.error?.message ?? "", /tool_use_id.*toolu_missing/);
    return true;
  });
  const unanswered = client.messages.create({
    model: "claude-test",
    max_tokens: 100,
    messages: [
      { role: "user", content: "hi" },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_time", input: { city: "x" } }] },
      { role: "user", content: "and?" },
    ],
  });
  await assert.rejects(unanswered, (e: Error & { status?: number }) => e.status === 400);
  const assistantFirst = client.messages.create({
    model: "claude-test",
    max_tokens: 100,
    messages: [{ role: "assistant", content: "hi" }],
  });
  await assert.rejects(assistantFirst, (e: Error & { status?: number }) => e.status === 400);
});
