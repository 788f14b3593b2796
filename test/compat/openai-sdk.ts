// The official openai SDK (Chat Completions), unchanged, against the simulator.
import assert from "node:assert/strict";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import { LONG_SYSTEM, type Scenario, nonEmpty } from "./scenario.js";

const client = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: "sk-compat", maxRetries: 0 });
const Person = z.object({ name: z.string(), age: z.number().int().min(0).max(120), email: z.string().regex(/^[a-z]+@[a-z]+\.com$/) });
const c = "openai";

export const scenarios: Scenario[] = [
  {
    client: c,
    kind: "plain",
    detail: "chat.completions.create",
    run: async (sim) => {
      const r = await client(sim.url).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] });
      nonEmpty(r.choices[0]?.message.content, "content");
    },
  },
  {
    client: c,
    kind: "structured",
    detail: "chat.completions.parse + zodResponseFormat (strict json_schema, regex)",
    run: async (sim) => {
      const r = await client(sim.url).chat.completions.parse({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Extract: Ada, 36" }],
        response_format: zodResponseFormat(Person, "person"),
      });
      assert.ok(Person.parse(r.choices[0]?.message.parsed));
    },
  },
  {
    client: c,
    kind: "structured",
    detail: "json_object with the schema in the prompt",
    run: async (sim) => {
      const schema = JSON.stringify(z.toJSONSchema(Person));
      const r = await client(sim.url).chat.completions.create({
        model: "gpt-4o-mini",
        messages: [
          { role: "system", content: `Reply in JSON with this schema: ${schema}` },
          { role: "user", content: "Ada" },
        ],
        response_format: { type: "json_object" },
      });
      Person.parse(JSON.parse(r.choices[0]?.message.content ?? ""));
    },
  },
  {
    client: c,
    kind: "streaming",
    detail: "chat.completions.stream (text and parsed)",
    run: async (sim) => {
      const stream = client(sim.url).chat.completions.stream({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Extract: Ada" }],
        response_format: zodResponseFormat(Person, "person"),
        stream_options: { include_usage: true },
      });
      let deltas = 0;
      stream.on("content.delta", () => deltas++);
      const final = await stream.finalChatCompletion();
      assert.ok(deltas > 1);
      Person.parse(final.choices[0]?.message.parsed);
      assert.ok((final.usage?.completion_tokens ?? 0) > 0);
    },
  },
  {
    client: c,
    kind: "tool loop",
    detail: "chat.completions.runTools to a final answer",
    run: async (sim) => {
      let calls = 0;
      const runner = client(sim.url).chat.completions.runTools({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "What is the weather in Paris?" }],
        tools: [
          {
            type: "function",
            function: {
              name: "get_weather",
              description: "Weather for a city",
              parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
              parse: JSON.parse,
              function: () => {
                calls++;
                return "sunny";
              },
            },
          },
        ],
      });
      nonEmpty(await runner.finalContent(), "final content");
      assert.equal(calls, 1);
    },
  },
  {
    client: c,
    kind: "usage/caching",
    detail: "usage, prompt_tokens_details.cached_tokens on a repeated long prefix",
    run: async (sim) => {
      const body = {
        model: "gpt-4o-mini",
        messages: [
          { role: "system" as const, content: LONG_SYSTEM },
          { role: "user" as const, content: "Hi" },
        ],
      };
      const first = await client(sim.url).chat.completions.create(body);
      const second = await client(sim.url).chat.completions.create(body);
      assert.equal(first.usage?.prompt_tokens_details?.cached_tokens, 0);
      assert.ok((second.usage?.prompt_tokens_details?.cached_tokens ?? 0) >= 1024);
    },
  },
  {
    client: c,
    kind: "errors",
    detail: "RateLimitError (429), BadRequestError (strict schema), NotFoundError",
    run: async (sim) => {
      sim.script("gpt-limited", [{ status: 429 }]);
      const api = client(sim.url);
      await assert.rejects(
        api.chat.completions.create({ model: "gpt-limited", messages: [{ role: "user", content: "x" }] }),
        OpenAI.RateLimitError,
      );
      const loose = { type: "object", properties: { a: { type: "string" } } };
      await assert.rejects(
        api.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "x" }],
          response_format: { type: "json_schema", json_schema: { name: "x", strict: true, schema: loose } },
        }),
        OpenAI.BadRequestError,
      );
      await assert.rejects(api.get("/nope"), OpenAI.NotFoundError);
    },
  },
];
