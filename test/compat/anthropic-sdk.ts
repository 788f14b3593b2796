// The official @anthropic-ai/sdk (Messages), unchanged, against the simulator.
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { LONG_SYSTEM, type Scenario, nonEmpty } from "./scenario.js";

const client = (url: string) => new Anthropic({ baseURL: url, apiKey: "sk-ant-compat", maxRetries: 0 });
const c = "@anthropic-ai/sdk";
const personTool: Anthropic.Tool = {
  name: "record_person",
  description: "Record a person",
  input_schema: {
    type: "object",
    properties: { name: { type: "string" }, age: { type: "integer", minimum: 0, maximum: 120 } },
    required: ["name", "age"],
  },
};

export const scenarios: Scenario[] = [
  {
    client: c,
    kind: "plain",
    detail: "messages.create",
    run: async (sim) => {
      const r = await client(sim.url).messages.create({
        model: "claude-haiku-4-5",
        max_tokens: 200,
        messages: [{ role: "user", content: "Hello" }],
      });
      assert.equal(r.content[0]?.type, "text");
      nonEmpty(r.content[0]?.type === "text" ? r.content[0].text : "", "text");
    },
  },
  {
    client: c,
    kind: "structured",
    detail: "forced tool_choice; output_config json_schema",
    run: async (sim) => {
      const api = client(sim.url);
      const r = await api.messages.create({
        model: "claude-haiku-4-5",
        max_tokens: 400,
        messages: [{ role: "user", content: "Ada, 36" }],
        tools: [personTool],
        tool_choice: { type: "tool", name: "record_person" },
      });
      const use = r.content.find((b) => b.type === "tool_use");
      assert.ok(use && use.type === "tool_use" && typeof (use.input as { age: unknown }).age === "number");
      const j = await api.messages.create({
        model: "claude-haiku-4-5",
        max_tokens: 400,
        messages: [{ role: "user", content: "Ada, 36" }],
        output_config: { format: { type: "json_schema", schema: personTool.input_schema } },
      } as Anthropic.MessageCreateParamsNonStreaming);
      const text = j.content[0]?.type === "text" ? j.content[0].text : "";
      assert.equal(typeof (JSON.parse(text) as { name: unknown }).name, "string");
    },
  },
  {
    client: c,
    kind: "streaming",
    detail: "messages.stream finalMessage, text and tool_use",
    run: async (sim) => {
      const stream = client(sim.url).messages.stream({
        model: "claude-haiku-4-5",
        max_tokens: 300,
        messages: [{ role: "user", content: "Hi" }],
      });
      let deltas = 0;
      stream.on("text", () => deltas++);
      const final = await stream.finalMessage();
      assert.ok(deltas > 1);
      assert.equal(final.stop_reason, "end_turn");
    },
  },
  {
    client: c,
    kind: "tool loop",
    detail: "tool_use -> tool_result -> end_turn",
    run: async (sim) => {
      const api = client(sim.url);
      const messages: Anthropic.MessageParam[] = [{ role: "user", content: "Record Ada, then tell me you did." }];
      for (let step = 0; step < 5; step++) {
        const r = await api.messages.create({ model: "claude-haiku-4-5", max_tokens: 400, messages, tools: [personTool] });
        if (r.stop_reason === "end_turn") return nonEmpty(r.content[0]?.type === "text" ? r.content[0].text : "", "answer");
        messages.push({ role: "assistant", content: r.content });
        const uses = r.content.filter((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
        messages.push({ role: "user", content: uses.map((u) => ({ type: "tool_result" as const, tool_use_id: u.id, content: "done" })) });
      }
      assert.fail("the tool loop did not end");
    },
  },
  {
    client: c,
    kind: "usage/caching",
    detail: "cache_control: creation then read tokens",
    run: async (sim) => {
      const params = {
        model: "claude-sonnet-4-5",
        max_tokens: 50,
        system: [{ type: "text" as const, text: LONG_SYSTEM, cache_control: { type: "ephemeral" as const } }],
        messages: [{ role: "user" as const, content: "Hi" }],
      };
      const first = await client(sim.url).messages.create(params);
      const second = await client(sim.url).messages.create(params);
      assert.ok((first.usage.cache_creation_input_tokens ?? 0) > 1024);
      assert.equal(second.usage.cache_read_input_tokens, first.usage.cache_creation_input_tokens);
    },
  },
  {
    client: c,
    kind: "errors",
    detail: "RateLimitError, InternalServerError (529), BadRequestError (orphan tool_result)",
    run: async (sim) => {
      sim.script("claude-limited", [{ status: 429 }, { status: 529 }]);
      const api = client(sim.url);
      const ask = () => api.messages.create({ model: "claude-limited", max_tokens: 10, messages: [{ role: "user", content: "x" }] });
      await assert.rejects(ask(), Anthropic.RateLimitError);
      await assert.rejects(ask(), Anthropic.InternalServerError);
      await assert.rejects(
        api.messages.create({
          model: "claude-haiku-4-5",
          max_tokens: 10,
          messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_x", content: "x" }] }],
        }),
        Anthropic.BadRequestError,
      );
    },
  },
];
