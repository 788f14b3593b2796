// What production rejects, the simulator rejects, with the provider's status and error body: OpenAI
// strict-mode schema rules (through the AI SDK's zod `.optional()` request too), unknown models when the
// config lists them, a missing or wrong API key (never echoed in clear), and Anthropic's tool pairing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createOpenAI } from "@ai-sdk/openai";
import Anthropic from "@anthropic-ai/sdk";
import { generateObject } from "ai";
import OpenAI from "openai";
import { z } from "zod";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { openaiFor } from "./helpers.js";

let open: Simulator;
let locked: Simulator;
before(async () => {
  open = await startSimulator({ seed: 2 });
  locked = await startSimulator({
    seed: 2,
    apiKey: "sk-right-key-123456",
    onlyConfiguredModels: true,
    models: { "gpt-known": {}, "claude-known": {} },
  });
});
after(async () => {
  await open.close();
  await locked.close();
});

type ApiError = Error & { status?: number; error?: { message?: string; code?: string; param?: string; type?: string } };

async function strictCall(schema: Record<string, unknown>) {
  return openaiFor(open).chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "hi" }],
    response_format: { type: "json_schema", json_schema: { name: "thing", strict: true, schema } },
  });
}

test("OpenAI strict mode: a property missing from required, an open object, an unsupported keyword -> 400", async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [
      { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, required: ["a"], additionalProperties: false },
      /Missing 'b'/,
    ],
    [
      { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
      /'additionalProperties' is required to be supplied and to be false/,
    ],
    [
      {
        type: "object",
        properties: { a: { type: "object", properties: {}, required: [], additionalProperties: false, minProperties: 1 } },
        required: ["a"],
        additionalProperties: false,
      },
      /'minProperties' is not permitted/,
    ],
    [{ type: "array", items: { type: "string" } }, /must be a JSON Schema of 'type: "object"'/],
  ];
  for (const [schema, message] of cases) {
    await assert.rejects(strictCall(schema), (e: ApiError) => {
      assert.equal(e.status, 400);
      assert.equal(e.error?.code, "invalid_json_schema");
      assert.equal(e.error?.param, "response_format");
      assert.match(e.error?.message ?? "", /^Invalid schema for response_format 'thing': /);
      assert.match(e.error?.message ?? "", message);
      return true;
    });
  }
  let deep: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < 12; i++) deep = { type: "object", properties: { x: deep }, required: ["x"], additionalProperties: false };
  await assert.rejects(strictCall(deep), (e: ApiError) => e.status === 400 && /nesting depth/.test(e.error?.message ?? ""));
  // Not strict: the same schema is accepted.
  const loose = await openaiFor(open).chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "hi" }],
    response_format: {
      type: "json_schema",
      json_schema: { name: "thing", schema: { type: "object", properties: { a: { type: "string" } } } },
    },
  });
  assert.equal(loose.choices[0]?.finish_reason, "stop");
});

test("OpenAI strict tools are checked too; the AI SDK's zod .optional() in strict mode gets the 400", async () => {
  const client = openaiFor(open);
  const tool = client.chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "hi" }],
    tools: [
      {
        type: "function",
        function: {
          name: "f",
          strict: true,
          parameters: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
        },
      },
    ],
  });
  await assert.rejects(tool, (e: ApiError) => e.status === 400 && e.error?.param === "tools[0].function.parameters");
  const provider = createOpenAI({ baseURL: `${open.url}/v1`, apiKey: "sk-sim" });
  const result = generateObject({
    model: provider.chat("gpt-test"),
    schema: z.object({ name: z.string(), nickname: z.string().optional() }),
    prompt: "A person",
    maxRetries: 0,
    providerOptions: { openai: { strictJsonSchema: true } },
  });
  await assert.rejects(result, (e: Error & { statusCode?: number }) => e.statusCode === 400 && /Missing 'nickname'/.test(e.message));
});

test("unknown models get the provider's 404 when the config lists its models", async () => {
  const openai = new OpenAI({ baseURL: `${locked.url}/v1`, apiKey: "sk-right-key-123456", maxRetries: 0 });
  await assert.rejects(
    openai.chat.completions.create({ model: "gpt-nope", messages: [{ role: "user", content: "hi" }] }),
    (e: ApiError) => {
      assert.equal(e.status, 404);
      assert.equal(e.error?.code, "model_not_found");
      assert.match(e.error?.message ?? "", /The model `gpt-nope` does not exist/);
      return true;
    },
  );
  const ok = await openai.chat.completions.create({ model: "gpt-known", messages: [{ role: "user", content: "hi" }] });
  assert.equal(ok.model, "gpt-known");
  const anthropic = new Anthropic({ baseURL: locked.url, apiKey: "sk-right-key-123456", maxRetries: 0 });
  await assert.rejects(
    anthropic.messages.create({ model: "claude-nope", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }),
    (e: Error) => e instanceof Anthropic.NotFoundError && /model: claude-nope/.test(e.message),
  );
});

test("a missing or wrong API key gets 401 in the provider's shape, the key masked", async () => {
  const wrong = new OpenAI({ baseURL: `${locked.url}/v1`, apiKey: "sk-wrong-key-abcdef", maxRetries: 0 });
  await assert.rejects(wrong.chat.completions.create({ model: "gpt-known", messages: [{ role: "user", content: "hi" }] }), (e: Error) => {
    assert.ok(e instanceof OpenAI.AuthenticationError);
    assert.equal((e as ApiError).error?.code, "invalid_api_key");
    assert.ok(!e.message.includes("sk-wrong-key-abcdef"), e.message);
    assert.match(e.message, /sk-wr\*\*\*\*cdef/);
    return true;
  });
  const none = await fetch(`${locked.url}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "gpt-known", messages: [] }),
  });
  assert.equal(none.status, 401);
  const anthropic = new Anthropic({ baseURL: locked.url, apiKey: "bad", maxRetries: 0 });
  await assert.rejects(
    anthropic.messages.create({ model: "claude-known", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }),
    (e: Error) => e instanceof Anthropic.AuthenticationError && /invalid x-api-key/.test(e.message),
  );
  // The simulator's own stats route asks no key.
  assert.equal((await fetch(`${locked.url}/_ballast/stats`)).status, 200);
});
