// Mastra (`@mastra/core` 0.24, its last line for Node 20), unchanged: an `Agent` on an OpenAI model pointed at
// the simulator. Mastra lives in test/compat/mastra/, a package of its own with its own lock file, because it
// brings AI SDK 4 and 5 and zod 3 that the root tree (AI SDK 6, zod 4) must not see; its modules are loaded
// from there at run time and typed loosely here. Four rows: the model router with a custom URL (Chat
// Completions through Mastra's OpenAI-compatible model), @ai-sdk/openai 2's default model (Responses) and its
// `.chat`, all driven by `generate()` / `stream()`, and the legacy `generateLegacy()` / `streamLegacy()` on an
// @ai-sdk/openai 1 model.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Simulator } from "../../src/simulator/index.js";
import { LONG_SYSTEM, type Scenario, nonEmpty } from "./scenario.js";

/** The nested package Mastra is installed in, and the command that installs it. */
export const MASTRA_DIR = new URL("./mastra/", import.meta.url);
export const MASTRA_INSTALL = "npm ci --prefix test/compat/mastra --no-audit --no-fund";

/** What test/compat/mastra/modules.js exports, as loosely as the suite uses it. */
interface MastraModules {
  Mastra: new (config: Record<string, unknown>) => { getAgent(name: string): Agent };
  Agent: new (config: Record<string, unknown>) => Agent;
  MastraError: new (...args: any[]) => Error;
  createTool: (config: Record<string, unknown>) => unknown;
  createOpenAI: (options: Record<string, unknown>) => ((model: string) => unknown) & { chat(model: string): unknown };
  createOpenAIV1: (options: Record<string, unknown>) => (model: string) => unknown;
  z: any;
}
interface Agent {
  generate(prompt: unknown, options?: Record<string, unknown>): Promise<any>;
  stream(prompt: unknown, options?: Record<string, unknown>): Promise<any>;
  generateLegacy(prompt: unknown, options?: Record<string, unknown>): Promise<any>;
  streamLegacy(prompt: unknown, options?: Record<string, unknown>): Promise<any>;
}

let loaded: Promise<MastraModules> | undefined;
function mastra(): Promise<MastraModules> {
  if (!existsSync(new URL("node_modules/@mastra/core/package.json", MASTRA_DIR))) {
    throw new Error(`Mastra is not installed for the compatibility suite: run \`${MASTRA_INSTALL}\` (npm test runs it when missing)`);
  }
  loaded ??= import(new URL("modules.js", MASTRA_DIR).href) as Promise<MastraModules>;
  return loaded;
}

/** An agent registered in a `Mastra` instance without a logger, so an expected failure prints no error log. */
async function agentOf(config: { model: unknown; instructions?: string; tools?: Record<string, unknown> }): Promise<Agent> {
  const m = await mastra();
  const agent = new m.Agent({ name: "compat", instructions: "Be brief.", ...config });
  return new m.Mastra({ agents: { compat: agent }, logger: false }).getAgent("compat");
}

const personOf = (z: any) =>
  z.object({ name: z.string().min(2).max(40), age: z.number().int().min(0).max(120), tags: z.array(z.string()).min(2) });

const weatherTool = (m: MastraModules, onCall: () => void) =>
  m.createTool({
    id: "weather",
    description: "Weather for a city",
    inputSchema: m.z.object({ city: m.z.string() }),
    execute: async () => {
      onCall();
      return "sunny";
    },
  });

const TOOL_PROMPT = "What is the weather in Paris? Use the weather tool.";

/** The error a failed call rejects with: the AI SDK's APICallError, status and retryability kept. */
function isRateLimited(e: unknown) {
  const error = e as { name?: string; statusCode?: number; isRetryable?: boolean };
  assert.equal(error.name, "AI_APICallError", String(e));
  assert.equal(error.statusCode, 429);
  assert.equal(error.isRetryable, true);
  return true;
}

interface Flavour {
  client: string;
  model: (m: MastraModules, sim: Simulator, name?: string) => unknown;
  /** Whether a stream asks for usage; the model router's OpenAI-compatible model does not. */
  streamUsage: boolean;
}

const KEY = "sk-compat";
const ROUTER_STREAM_USAGE =
  "with a custom `url` the model router builds an OpenAI-compatible chat model without `includeUsage`, so a stream never sends " +
  "`stream_options.include_usage` and its usage stays empty, against the API as against the simulator (no Mastra issue found for it)";
const flavours: Flavour[] = [
  {
    client: "@mastra/core (model router, custom url)",
    model: (_m, sim, name = "gpt-4o-mini") => ({ id: `openai/${name}`, url: `${sim.url}/v1`, apiKey: KEY }),
    streamUsage: false,
  },
  {
    client: "@mastra/core + @ai-sdk/openai 2 (Responses, default)",
    model: (m, sim, name = "gpt-4o-mini") => m.createOpenAI({ baseURL: `${sim.url}/v1`, apiKey: KEY })(name),
    streamUsage: true,
  },
  {
    client: "@mastra/core + @ai-sdk/openai 2 (.chat)",
    model: (m, sim, name = "gpt-4o-mini") => m.createOpenAI({ baseURL: `${sim.url}/v1`, apiKey: KEY }).chat(name),
    streamUsage: true,
  },
];

/** Mastra's structured output modes for AI SDK 5 models: native response format, prompt injection, a structuring agent, `output`. */
const STRUCTURED_MODES: Array<[string, (schema: unknown, model: unknown) => Record<string, unknown>]> = [
  ["structuredOutput", (schema) => ({ structuredOutput: { schema } })],
  ["structuredOutput.jsonPromptInjection", (schema) => ({ structuredOutput: { schema, jsonPromptInjection: true } })],
  ["structuredOutput.model", (schema, model) => ({ structuredOutput: { schema, model } })],
  ["output (deprecated)", (schema) => ({ output: schema })],
];

function scenariosFor(f: Flavour): Scenario[] {
  return [
    {
      client: f.client,
      kind: "plain",
      detail: "agent.generate",
      run: async (sim) => {
        const agent = await agentOf({ model: f.model(await mastra(), sim) });
        nonEmpty((await agent.generate("Hello")).text, "text");
      },
    },
    {
      client: f.client,
      kind: "structured",
      detail: `agent.generate with ${STRUCTURED_MODES.map(([mode]) => mode).join(", ")} (zod: lengths, bounds, minItems)`,
      run: async (sim) => {
        const m = await mastra();
        const Person = personOf(m.z);
        const model = f.model(m, sim);
        const agent = await agentOf({ model });
        for (const [mode, options] of STRUCTURED_MODES) {
          const r = await agent.generate("Describe Ada", options(Person, model));
          assert.ok(Person.safeParse(r.object).success, `${mode}: ${JSON.stringify(r.object)}`);
        }
      },
    },
    {
      client: f.client,
      kind: "streaming",
      detail: f.streamUsage
        ? "agent.stream text parts and usage; structuredOutput objectStream partials"
        : "agent.stream text parts, empty usage as from the API; structuredOutput objectStream partials",
      ...(f.streamUsage ? {} : { clientIssue: ROUTER_STREAM_USAGE }),
      run: async (sim) => {
        const m = await mastra();
        const agent = await agentOf({ model: f.model(m, sim) });
        const r = await agent.stream("Hello");
        let parts = 0;
        for await (const _ of r.textStream) parts++;
        assert.ok(parts > 1);
        const usage = await r.usage;
        if (f.streamUsage) assert.ok((usage.outputTokens ?? 0) > 0, JSON.stringify(usage));
        // as the API does: without stream_options.include_usage a stream carries no usage
        else assert.equal(usage.outputTokens ?? 0, 0, JSON.stringify(usage));
        const Person = personOf(m.z);
        const structured = await agent.stream("Describe Ada", { structuredOutput: { schema: Person } });
        let partials = 0;
        for await (const _ of structured.objectStream) partials++;
        assert.ok(partials > 0);
        const object = await structured.object;
        assert.ok(Person.safeParse(object).success, JSON.stringify(object));
      },
    },
    {
      client: f.client,
      kind: "tool loop",
      detail: "agent with a createTool tool, generate with maxSteps 5",
      run: async (sim) => {
        const m = await mastra();
        let calls = 0;
        const agent = await agentOf({ model: f.model(m, sim), tools: { weather: weatherTool(m, () => calls++) } });
        const r = await agent.generate(TOOL_PROMPT, { maxSteps: 5 });
        assert.equal(calls, 1);
        assert.equal(r.steps.length, 2);
        nonEmpty(r.text, "final text");
      },
    },
    {
      client: f.client,
      kind: "usage/caching",
      detail: "usage.inputTokens and cachedInputTokens on repeated long instructions",
      run: async (sim) => {
        const agent = await agentOf({ model: f.model(await mastra(), sim), instructions: LONG_SYSTEM });
        await agent.generate("Hi");
        const { usage } = await agent.generate("Hi");
        assert.ok((usage.inputTokens ?? 0) > 1024, JSON.stringify(usage));
        assert.ok((usage.cachedInputTokens ?? 0) >= 1024, JSON.stringify(usage));
      },
    },
    {
      client: f.client,
      kind: "errors",
      detail: "generate rejects with the AI SDK's APICallError, status 429 and retryable",
      run: async (sim) => {
        const name = "gpt-4o-mini-mastra-limited";
        sim.script(name, [{ status: 429 }]);
        const agent = await agentOf({ model: f.model(await mastra(), sim, name) });
        await assert.rejects(agent.generate("x", { modelSettings: { maxRetries: 0 } }), isRateLimited);
      },
    },
  ];
}

const LEGACY = "@mastra/core legacy (generateLegacy, @ai-sdk/openai 1)";
// AI SDK 4's createOpenAI sends stream_options only in "strict" compatibility, which its docs ask for with OpenAI
const legacyModel = (m: MastraModules, sim: Simulator, name = "gpt-4o-mini") =>
  m.createOpenAIV1({ baseURL: `${sim.url}/v1`, apiKey: KEY, compatibility: "strict" })(name);

const legacy: Scenario[] = [
  {
    client: LEGACY,
    kind: "plain",
    detail: "agent.generateLegacy",
    run: async (sim) => {
      const agent = await agentOf({ model: legacyModel(await mastra(), sim) });
      nonEmpty((await agent.generateLegacy("Hello")).text, "text");
    },
  },
  {
    client: LEGACY,
    kind: "structured",
    detail: "agent.generateLegacy with output, experimental_output (zod: lengths, bounds, minItems)",
    run: async (sim) => {
      const m = await mastra();
      const Person = personOf(m.z);
      const agent = await agentOf({ model: legacyModel(m, sim) });
      for (const key of ["output", "experimental_output"]) {
        const r = await agent.generateLegacy("Describe Ada", { [key]: Person });
        assert.ok(Person.safeParse(r.object).success, `${key}: ${JSON.stringify(r.object)}`);
      }
    },
  },
  {
    client: LEGACY,
    kind: "streaming",
    detail: "agent.streamLegacy text parts and usage",
    run: async (sim) => {
      const agent = await agentOf({ model: legacyModel(await mastra(), sim) });
      const r = await agent.streamLegacy("Hello");
      let parts = 0;
      for await (const _ of r.textStream) parts++;
      assert.ok(parts > 1);
      const usage = await r.usage;
      assert.ok((usage.completionTokens ?? 0) > 0, JSON.stringify(usage));
    },
  },
  {
    client: LEGACY,
    kind: "tool loop",
    detail: "agent with a createTool tool, generateLegacy with maxSteps 5",
    run: async (sim) => {
      const m = await mastra();
      let calls = 0;
      const agent = await agentOf({ model: legacyModel(m, sim), tools: { weather: weatherTool(m, () => calls++) } });
      const r = await agent.generateLegacy(TOOL_PROMPT, { maxSteps: 5 });
      assert.equal(calls, 1);
      assert.equal(r.steps.length, 2);
      nonEmpty(r.text, "final text");
    },
  },
  {
    client: LEGACY,
    kind: "usage/caching",
    detail: "usage.promptTokens and providerMetadata.openai.cachedPromptTokens on repeated long instructions",
    run: async (sim) => {
      const agent = await agentOf({ model: legacyModel(await mastra(), sim), instructions: LONG_SYSTEM });
      await agent.generateLegacy("Hi");
      const r = await agent.generateLegacy("Hi");
      assert.ok((r.usage.promptTokens ?? 0) > 1024, JSON.stringify(r.usage));
      assert.ok((r.providerMetadata?.openai?.cachedPromptTokens ?? 0) >= 1024, JSON.stringify(r.providerMetadata));
    },
  },
  {
    client: LEGACY,
    kind: "errors",
    detail: "generateLegacy rejects with a MastraError (THIRD_PARTY) caused by the AI SDK's APICallError, status 429 and retryable",
    run: async (sim) => {
      const m = await mastra();
      const name = "gpt-4o-mini-mastra-legacy-limited";
      sim.script(name, [{ status: 429 }]);
      const agent = await agentOf({ model: legacyModel(m, sim, name) });
      await assert.rejects(agent.generateLegacy("x", { maxRetries: 0 }), (e: unknown) => {
        assert.ok(e instanceof m.MastraError, String(e));
        const error = e as Error & { id?: string; category?: string };
        assert.equal(error.id, "LLM_GENERATE_TEXT_AI_SDK_EXECUTION_FAILED");
        assert.equal(error.category, "THIRD_PARTY");
        return isRateLimited(error.cause);
      });
    },
  },
];

export const scenarios: Scenario[] = [...flavours.flatMap(scenariosFor), ...legacy];
