// The AI SDK (`ai` with @ai-sdk/openai and @ai-sdk/anthropic), unchanged. @ai-sdk/openai has two rows: the
// provider's default model (`openai(...)`, the Responses API since @ai-sdk/openai 2) and `.chat(...)`.
import assert from "node:assert/strict";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { APICallError, type LanguageModel, generateObject, generateText, stepCountIs, streamText, tool } from "ai";
import { z } from "zod";
import type { Simulator } from "../../src/simulator/index.js";
import { LONG_SYSTEM, type Scenario, nonEmpty } from "./scenario.js";

const Person = z.object({ name: z.string().min(2).max(40), age: z.number().int().min(0).max(120), tags: z.array(z.string()).min(2) });

interface Flavour {
  client: string;
  model: (sim: Simulator, name?: string) => LanguageModel;
  name: string;
}

const flavours: Flavour[] = [
  {
    client: "ai + @ai-sdk/openai (Responses, default)",
    name: "gpt-4o-mini",
    model: (sim, name = "gpt-4o-mini") => createOpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-compat" })(name),
  },
  {
    client: "ai + @ai-sdk/openai (.chat)",
    name: "gpt-4o-mini",
    model: (sim, name = "gpt-4o-mini") => createOpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-compat" }).chat(name),
  },
  {
    client: "ai + @ai-sdk/anthropic",
    name: "claude-haiku-4-5",
    model: (sim, name = "claude-haiku-4-5") => createAnthropic({ baseURL: `${sim.url}/v1`, apiKey: "sk-ant-compat" })(name),
  },
];

function scenariosFor(f: Flavour): Scenario[] {
  return [
    {
      client: f.client,
      kind: "plain",
      detail: "generateText",
      run: async (sim) => nonEmpty((await generateText({ model: f.model(sim), prompt: "Hello", maxRetries: 0 })).text, "text"),
    },
    {
      client: f.client,
      kind: "structured",
      detail: "generateObject (zod: lengths, bounds, minItems)",
      run: async (sim) => {
        const r = await generateObject({ model: f.model(sim), schema: Person, prompt: "Describe Ada", maxRetries: 0 });
        Person.parse(r.object);
      },
    },
    {
      client: f.client,
      kind: "streaming",
      detail: "streamText text parts and usage",
      run: async (sim) => {
        const r = streamText({ model: f.model(sim), prompt: "Hello", maxRetries: 0 });
        let parts = 0;
        for await (const _ of r.textStream) parts++;
        assert.ok(parts > 1);
        assert.ok(((await r.usage).outputTokens ?? 0) > 0);
      },
    },
    {
      client: f.client,
      kind: "tool loop",
      detail: "generateText with tools, stopWhen stepCountIs(5)",
      run: async (sim) => {
        let calls = 0;
        const r = await generateText({
          model: f.model(sim),
          prompt: "What is the weather in Paris? Use the weather tool.",
          tools: {
            weather: tool({
              description: "Weather for a city",
              inputSchema: z.object({ city: z.string() }),
              execute: async () => {
                calls++;
                return "sunny";
              },
            }),
          },
          stopWhen: stepCountIs(5),
          maxRetries: 0,
        });
        assert.equal(calls, 1);
        assert.equal(r.steps.length, 2);
        nonEmpty(r.text, "final text");
      },
    },
    {
      client: f.client,
      kind: "usage/caching",
      detail: "usage.inputTokens and cached input tokens on a repeated long prefix",
      run: async (sim) => {
        const ask = () =>
          generateText({
            model: f.model(sim),
            messages: [
              { role: "system", content: LONG_SYSTEM, providerOptions: { anthropic: { cacheControl: { type: "ephemeral" } } } },
              { role: "user", content: "Hi" },
            ],
            maxRetries: 0,
          });
        await ask();
        const second = await ask();
        assert.ok((second.usage.inputTokens ?? 0) > 1024);
        assert.ok((second.usage.cachedInputTokens ?? 0) >= 1024, JSON.stringify(second.usage));
      },
    },
    {
      client: f.client,
      kind: "errors",
      detail: "APICallError with status 429 and retryable",
      run: async (sim) => {
        const name = `${f.name}-limited`;
        sim.script(name, [{ status: 429 }]);
        await assert.rejects(generateText({ model: f.model(sim, name), prompt: "x", maxRetries: 0 }), (e: unknown) => {
          assert.ok(APICallError.isInstance(e));
          assert.equal(e.statusCode, 429);
          assert.equal(e.isRetryable, true);
          return true;
        });
      },
    },
  ];
}

export const scenarios: Scenario[] = flavours.flatMap(scenariosFor);
