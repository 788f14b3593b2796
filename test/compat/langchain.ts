// LangChain (@langchain/openai ChatOpenAI on Chat Completions and, with `useResponsesApi`, on the Responses API;
// @langchain/anthropic ChatAnthropic), unchanged.
import assert from "node:assert/strict";
import { ChatAnthropic } from "@langchain/anthropic";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type AIMessage, type BaseMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";
import type { Simulator } from "../../src/simulator/index.js";
import { type Scenario, nonEmpty } from "./scenario.js";

const Person = z.object({ name: z.string(), age: z.number().int().min(0).max(120) });

interface Flavour {
  client: string;
  model: (sim: Simulator, name?: string) => BaseChatModel;
  structuredModes: Array<"functionCalling" | "jsonSchema" | "jsonMode">;
}

const flavours: Flavour[] = [
  {
    client: "@langchain/openai",
    model: (sim, name = "gpt-4o-mini") =>
      new ChatOpenAI({ model: name, apiKey: "sk-compat", configuration: { baseURL: `${sim.url}/v1` }, maxRetries: 0, streamUsage: true }),
    structuredModes: ["functionCalling", "jsonSchema", "jsonMode"],
  },
  {
    client: "@langchain/openai (useResponsesApi)",
    model: (sim, name = "gpt-4o-mini") =>
      new ChatOpenAI({
        model: name,
        apiKey: "sk-compat",
        configuration: { baseURL: `${sim.url}/v1` },
        maxRetries: 0,
        streamUsage: true,
        useResponsesApi: true,
      }),
    structuredModes: ["functionCalling", "jsonSchema", "jsonMode"],
  },
  {
    client: "@langchain/anthropic",
    model: (sim, name = "claude-haiku-4-5") =>
      new ChatAnthropic({ model: name, apiKey: "sk-ant-compat", anthropicApiUrl: sim.url, maxRetries: 0 }),
    structuredModes: ["functionCalling", "jsonSchema"],
  },
];

function text(message: BaseMessage): string {
  return typeof message.content === "string" ? message.content : message.content.map((p) => ("text" in p ? String(p.text) : "")).join("");
}

function scenariosFor(f: Flavour): Scenario[] {
  return [
    { client: f.client, kind: "plain", detail: "invoke", run: async (sim) => nonEmpty(text(await f.model(sim).invoke("Hello")), "text") },
    {
      client: f.client,
      kind: "structured",
      detail: `withStructuredOutput: ${f.structuredModes.join(", ")}`,
      run: async (sim) => {
        for (const method of f.structuredModes) {
          const prompt = method === "jsonMode" ? `Return JSON with name and age: ${JSON.stringify(z.toJSONSchema(Person))}` : "Ada, 36";
          const out = await f.model(sim).withStructuredOutput(Person, { method }).invoke(prompt);
          Person.parse(out);
        }
      },
    },
    {
      client: f.client,
      kind: "streaming",
      detail: "stream chunks concatenate",
      run: async (sim) => {
        let joined = "";
        let chunks = 0;
        for await (const chunk of await f.model(sim).stream("Hello")) {
          joined += text(chunk);
          chunks++;
        }
        assert.ok(chunks > 1);
        nonEmpty(joined, "streamed text");
      },
    },
    {
      client: f.client,
      kind: "tool loop",
      detail: "bindTools, ToolMessage, final AIMessage without tool calls",
      run: async (sim) => {
        const weather = tool(async () => "sunny", {
          name: "get_weather",
          description: "Weather for a city",
          schema: z.object({ city: z.string() }),
        });
        const model = f.model(sim).bindTools?.([weather]);
        assert.ok(model);
        const messages: BaseMessage[] = [new HumanMessage("Weather in Paris? Use get_weather.")];
        for (let step = 0; step < 5; step++) {
          const reply = (await model.invoke(messages)) as AIMessage;
          messages.push(reply);
          if (!reply.tool_calls || reply.tool_calls.length === 0) return nonEmpty(text(reply), "answer");
          for (const call of reply.tool_calls) messages.push(new ToolMessage({ content: "sunny", tool_call_id: call.id ?? "" }));
        }
        assert.fail("the tool loop did not end");
      },
    },
    {
      client: f.client,
      kind: "usage/caching",
      detail: "usage_metadata on invoke",
      run: async (sim) => {
        const reply = (await f.model(sim).invoke("Hello")) as AIMessage;
        assert.ok((reply.usage_metadata?.input_tokens ?? 0) > 0 && (reply.usage_metadata?.output_tokens ?? 0) > 0);
      },
    },
    {
      client: f.client,
      kind: "errors",
      detail: "429 surfaces with its status",
      run: async (sim) => {
        const name = `${f.client.includes("openai") ? "gpt" : "claude"}-lc-limited`;
        sim.script(name, [{ status: 429 }]);
        await assert.rejects(f.model(sim, name).invoke("x"), (e: Error & { status?: number; lc_error_code?: string }) => {
          assert.ok(e.status === 429 || e.lc_error_code === "MODEL_RATE_LIMIT", String(e));
          return true;
        });
      },
    },
  ];
}

export const scenarios: Scenario[] = flavours.flatMap(scenariosFor);
