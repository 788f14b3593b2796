// The official openai SDK on the Responses API (`client.responses.*`), unchanged, against the simulator.
import assert from "node:assert/strict";
import OpenAI from "openai";
import { zodTextFormat } from "openai/helpers/zod";
import type { ResponseInputItem } from "openai/resources/responses/responses";
import { z } from "zod";
import { LONG_SYSTEM, type Scenario, nonEmpty } from "./scenario.js";

const client = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: "sk-compat", maxRetries: 0 });
const Person = z.object({ name: z.string(), age: z.number().int().min(0).max(120), email: z.string().regex(/^[a-z]+@[a-z]+\.com$/) });
const city = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
const tools: OpenAI.Responses.FunctionTool[] = [
  { type: "function", name: "get_weather", description: "Weather for a city", parameters: city, strict: true },
  { type: "function", name: "get_time", description: "Local time in a city", parameters: city, strict: true },
];
const c = "openai (Responses)";

export const scenarios: Scenario[] = [
  {
    client: c,
    kind: "plain",
    detail: "responses.create, output_text",
    run: async (sim) => {
      const r = await client(sim.url).responses.create({ model: "gpt-4o-mini", input: "Hello" });
      nonEmpty(r.output_text, "output_text");
    },
  },
  {
    client: c,
    kind: "structured",
    detail: "responses.parse + zodTextFormat (strict json_schema, regex)",
    run: async (sim) => {
      const r = await client(sim.url).responses.parse({
        model: "gpt-4o-mini",
        input: "Extract: Ada, 36",
        text: { format: zodTextFormat(Person, "person") },
      });
      Person.parse(r.output_parsed);
    },
  },
  {
    client: c,
    kind: "structured",
    detail: "text.format json_object with the schema in the instructions",
    run: async (sim) => {
      const r = await client(sim.url).responses.create({
        model: "gpt-4o-mini",
        instructions: `Reply in JSON with this schema: ${JSON.stringify(z.toJSONSchema(Person))}`,
        input: "Ada",
        text: { format: { type: "json_object" } },
      });
      Person.parse(JSON.parse(r.output_text));
    },
  },
  {
    client: c,
    kind: "streaming",
    detail: "responses.stream: output_text deltas, then the parsed final response",
    run: async (sim) => {
      const stream = client(sim.url).responses.stream({
        model: "gpt-4o-mini",
        input: "Extract: Ada",
        text: { format: zodTextFormat(Person, "person") },
      });
      let deltas = 0;
      stream.on("response.output_text.delta", () => deltas++);
      const final = await stream.finalResponse();
      assert.ok(deltas > 1);
      Person.parse(final.output_parsed);
      assert.ok((final.usage?.output_tokens ?? 0) > 0);
    },
  },
  {
    client: c,
    kind: "tool loop",
    detail: "function_call items (two in parallel) -> function_call_output -> final text",
    run: async (sim) => {
      const api = client(sim.url);
      const input: ResponseInputItem[] = [{ role: "user", content: "Use get_weather and get_time for Paris." }];
      for (let step = 0; step < 5; step++) {
        const r = await api.responses.create({ model: "gpt-4o-mini", input, tools });
        const calls = r.output.filter((item) => item.type === "function_call");
        if (calls.length === 0) {
          assert.equal(step, 1, "one round of calls, then the answer");
          return nonEmpty(r.output_text, "final answer");
        }
        assert.deepEqual(
          calls.map((call) => call.name),
          ["get_weather", "get_time"],
        );
        for (const call of calls) {
          assert.deepEqual(Object.keys(JSON.parse(call.arguments)), ["city"]);
          input.push(call, { type: "function_call_output", call_id: call.call_id, output: "sunny, 14:00" });
        }
      }
      assert.fail("the tool loop did not end");
    },
  },
  {
    client: c,
    kind: "usage/caching",
    detail: "usage, input_tokens_details.cached_tokens on a repeated long prefix",
    run: async (sim) => {
      // a prefix of its own: the Chat Completions rows cache LONG_SYSTEM on the same model
      const body = { model: "gpt-4o-mini", instructions: `Responses. ${LONG_SYSTEM}`, input: "Hi" };
      const first = await client(sim.url).responses.create(body);
      const second = await client(sim.url).responses.create(body);
      assert.equal(first.usage?.input_tokens_details.cached_tokens, 0);
      assert.ok((second.usage?.input_tokens_details.cached_tokens ?? 0) >= 1024);
    },
  },
  {
    client: c,
    kind: "errors",
    detail: "RateLimitError (429), BadRequestError (strict text.format, strict tool)",
    run: async (sim) => {
      sim.script("gpt-responses-limited", [{ status: 429 }]);
      const api = client(sim.url);
      await assert.rejects(api.responses.create({ model: "gpt-responses-limited", input: "x" }), OpenAI.RateLimitError);
      const loose = { type: "object", properties: { a: { type: "string" } } };
      await assert.rejects(
        api.responses.create({
          model: "gpt-4o-mini",
          input: "x",
          text: { format: { type: "json_schema", name: "x", strict: true, schema: loose } },
        }),
        (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === "text.format.schema",
      );
      await assert.rejects(
        api.responses.create({
          model: "gpt-4o-mini",
          input: "x",
          tools: [{ type: "function", name: "f", parameters: loose, strict: true }],
        }),
        (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === "tools[0].parameters",
      );
    },
  },
];
