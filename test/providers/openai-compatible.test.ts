// The OpenAI-compatible servers of docs/PROVIDERS.md, each configured exactly as documented there, with the
// simulator standing in for the server: the options pick Chat Completions, the documented output mode goes
// on the wire, and the call returns a schema-valid value.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { type OpenAIModelOptions, openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const Ticket = z.object({ category: z.enum(["billing", "bug", "other"]), urgent: z.boolean(), summary: z.string() });

/** As in docs/PROVIDERS.md; `baseURL` is the real server's, replaced by the simulator's below. */
const SERVERS: Array<{ server: string; model: string; options: OpenAIModelOptions; format: string; priced?: string }> = [
  { server: "Ollama", model: "llama3.2", options: { baseURL: "http://localhost:11434/v1" }, format: "json_schema" },
  { server: "vLLM", model: "Qwen/Qwen2.5-7B-Instruct", options: { baseURL: "http://localhost:8000/v1" }, format: "json_schema" },
  {
    server: "OpenRouter",
    model: "meta-llama/llama-3.3-70b-instruct",
    options: { baseURL: "https://openrouter.ai/api/v1", apiKey: "or-key" },
    format: "json_schema",
    priced: "openrouter",
  },
  {
    server: "Groq",
    model: "openai/gpt-oss-20b",
    options: { baseURL: "https://api.groq.com/openai/v1", apiKey: "gsk-key" },
    format: "json_schema",
    priced: "groq",
  },
  {
    server: "Together",
    model: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    options: { baseURL: "https://api.together.xyz/v1", apiKey: "tg-key" },
    format: "json_schema",
    priced: "together",
  },
];

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 4 });
});
after(() => sim.close());

for (const { server, model, options, format, priced } of SERVERS) {
  test(`${server}: Chat Completions with ${format}, a schema-valid value`, async () => {
    // The documented options pick the API from the real baseURL; only the host is the simulator's.
    assert.equal(openai(model, options).supportsN, true, "a non-OpenAI baseURL speaks Chat Completions");
    // The provider for prices is read from the real host; pinned here, since the simulator's host says nothing.
    assert.equal(openai(model, options).provider, priced ?? "openai");
    const llm = createBallast({ models: [openai(model, { ...options, provider: priced, baseURL: `${sim.url}/v1` })], traces: false });
    const r = await llm.generate({ schema: Ticket, instructions: "Triage the ticket as JSON.", input: "I was charged twice!" });
    assert.equal(Ticket.safeParse(r.value).success, true);
    const request = sim.requests.at(-1)!;
    assert.equal(request.path, "/v1/chat/completions");
    const body = request.body as Record<string, any>;
    assert.equal(body.model, model);
    assert.equal(body.response_format.type, format);
    assert.equal(body.frequency_penalty, 0.2);
    if (priced) assert.ok(r.costUsd !== null && r.costUsd > 0, `${server} is priced from the catalogue`);
    else assert.equal(r.costUsd, null, "a local model has no catalogue price (pass { price } to set one)");
  });
}
