// Provider cache controls on the wire and the monitor's warnings: Anthropic breakpoints (never more than 4,
// the last on the longest stable prefix, TTL, opt-out), the OpenAI prompt_cache_key per task (overridable),
// byte-exact stable sections, and the below-minimum warning (1024 tokens; 2048 for Haiku).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type BallastEvent, createBallast, type PromptSection } from "ballast";
import { buildPrompt } from "ballast/prompt";
import { anthropic } from "ballast/anthropic";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { INSTRUCTIONS } from "./workload.js";

const Answer = z.object({ answer: z.string() });

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 11 });
});
after(() => sim.close());

const claude = (name: string) => anthropic(name, { baseURL: sim.url, apiKey: "test" });
const gpt = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });
const bodiesOf = (model: string): Array<Record<string, any>> =>
  sim.requests.filter((q) => (q.body as { model?: string }).model === model).map((q) => q.body as Record<string, unknown>);

/** Every block of an Anthropic body that carries cache_control, in wire order (tools, system, messages). */
function breakpointsOf(body: Record<string, any>): Array<{ where: string; text: string; ttl?: string }> {
  const out: Array<{ where: string; text: string; ttl?: string }> = [];
  for (const t of body.tools ?? []) if (t.cache_control) out.push({ where: "tool", text: t.name, ttl: t.cache_control.ttl });
  for (const b of body.system ?? []) if (b.cache_control) out.push({ where: "system", text: b.text, ttl: b.cache_control.ttl });
  for (const m of body.messages) {
    if (Array.isArray(m.content))
      for (const b of m.content) if (b.cache_control) out.push({ where: m.role, text: b.text, ttl: b.cache_control.ttl });
  }
  return out;
}

/** n stable sections of ~`chars` characters each, named s0..s(n-1). */
const stableSections = (n: number, chars: number, role: PromptSection["role"] = "system"): PromptSection[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `s${i}`,
    role,
    stable: true,
    content: `Section ${i}. ${"Policy text that stays the same. ".repeat(Math.ceil(chars / 33))}`,
  }));

test("anthropic: never more than 4 breakpoints, the last on the longest stable prefix, the simulator accepts and caches them", async () => {
  const events: BallastEvent[] = [];
  const llm = createBallast({ models: [claude("claude-many")], traces: false, onEvent: (e) => events.push(e) });
  const sections = [
    ...stableSections(10, 5000),
    ...stableSections(3, 4000, "user").map((s) => ({ ...s, name: `u${s.name}` })),
    { name: "context", role: "user" as const, stable: false, content: "per-request context" },
  ];
  const many = llm.task({ name: "many-sections", schema: Answer, instructions: "Answer briefly.", sections });
  const first = await many("question one");
  const second = await many("question two");
  assert.equal(first.source, "model");
  const [body] = bodiesOf("claude-many");
  const marks = breakpointsOf(body!);
  assert.equal(marks.length, 4);
  const lastStable = body!.messages[0].content[2];
  assert.match(lastStable.text, /^Section 2\./, "the last stable user block");
  assert.ok(lastStable.cache_control, "the longest stable prefix ends on a breakpoint");
  assert.equal(body!.messages[0].content[3].cache_control, undefined, "nothing volatile is marked");
  assert.ok(
    marks.some((m) => m.where === "system" && m.text.startsWith("Section 9.")),
    "the end of the system part (a role boundary)",
  );
  assert.ok(first.usage.cacheWriteTokens > 10_000);
  assert.equal(second.usage.cachedInputTokens, first.usage.cacheWriteTokens, "the second call reads the whole prefix");
  // (prompt-cache warnings: the client's one-off "price unknown" warnings are not about the layout)
  assert.equal(events.filter((e) => e.type === "warning" && !/price unknown/.test(e.message)).length, 0);
});

test("anthropic: ttl 1h on every breakpoint; breakpoints: none sends no cache_control", async () => {
  const llm = createBallast({ models: [claude("claude-ttl")], traces: false });
  await llm.generate({ name: "ttl", schema: Answer, instructions: INSTRUCTIONS, input: "a", cache: { ttl: "1h" } });
  const marks = breakpointsOf(bodiesOf("claude-ttl")[0]!);
  assert.ok(marks.length >= 1 && marks.length <= 4);
  assert.ok(marks.every((m) => m.ttl === "1h"));
  assert.equal(marks.at(-1)!.where, "system");

  const none = createBallast({ models: [claude("claude-none")], traces: false, cache: { breakpoints: "none" } });
  await none.generate({ name: "none", schema: Answer, instructions: INSTRUCTIONS, input: "a" });
  await none.generate({ name: "none", schema: Answer, instructions: INSTRUCTIONS, input: "b" });
  const bodies = bodiesOf("claude-none");
  assert.equal(breakpointsOf(bodies[0]!).length, 0);
  assert.equal(JSON.stringify(bodies[1]).includes("cache_control"), false);
});

test("anthropic: a schema long enough on its own gets a breakpoint on the tool; short prefixes only on their last block", async () => {
  const Wide = z.object(
    Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`field_${i}`, z.string().describe(`the value of field number ${i} as found in the document`)]),
    ),
  );
  const llm = createBallast({ models: [claude("claude-wide")], traces: false });
  await llm.generate({ name: "wide", schema: Wide, instructions: INSTRUCTIONS, input: "a" });
  const marks = breakpointsOf(bodiesOf("claude-wide")[0]!);
  assert.deepEqual(
    marks.map((m) => m.where),
    ["tool", "system"],
  );

  await llm.generate({ name: "short", schema: Answer, instructions: "Answer briefly.", input: "a", models: [claude("claude-short")] });
  assert.deepEqual(
    breakpointsOf(bodiesOf("claude-short")[0]!).map((m) => m.where),
    ["system"],
  );
});

test("openai: prompt_cache_key defaults per task (same template, same key), and is overridable", async () => {
  const llm = createBallast({ models: [gpt("gpt-key")], traces: false });
  const a = llm.task({ name: "task-a", schema: Answer, instructions: INSTRUCTIONS });
  const b = llm.task({ name: "task-b", schema: Answer, instructions: INSTRUCTIONS });
  await a("one");
  await a("two");
  await b("one");
  await a("three", { cache: { key: "tenant-42" } });
  const keys = bodiesOf("gpt-key").map((body) => body.prompt_cache_key as string);
  assert.match(keys[0]!, /^ballast:task-a:[\w-]{12}$/);
  assert.equal(keys[1], keys[0], "same task, same template: same key");
  assert.match(keys[2]!, /^ballast:task-b:/);
  assert.equal(keys[3], "tenant-42");
});

test("stable sections render byte-exactly: whitespace normalised, JSON keys sorted, stable first", () => {
  const messy = buildPrompt({
    instructions: "  Classify the review.  \r\n\r\n\r\n\r\nBe brief.\t\n",
    examples: [{ input: { b: 1, a: 2 }, output: { z: true, y: [1, 2] } }],
    sections: [
      { name: "context", role: "system", stable: false, content: "today" },
      { name: "policy", role: "system", stable: true, content: "Policy A.   \n\n\n\nPolicy B." },
    ],
    input: "x",
  });
  const tidy = buildPrompt({
    instructions: "Classify the review.\n\nBe brief.",
    examples: [{ input: { a: 2, b: 1 }, output: { y: [1, 2], z: true } }],
    sections: [
      { name: "policy", role: "system", stable: true, content: "Policy A.\n\nPolicy B." },
      { name: "context", role: "system", stable: false, content: "today" },
    ],
    input: "x",
  });
  assert.deepEqual(messy, tidy);
  assert.deepEqual(
    messy.map((s) => s.name),
    ["instructions", "examples", "policy", "context", "input"],
  );
  assert.equal(messy[0]!.content, "Classify the review.\n\nBe brief.");
});

test("warnings: a prefix below the provider's minimum (1024; 2048 for Haiku) is reported once per task", async () => {
  const events: BallastEvent[] = [];
  const onEvent = (e: BallastEvent) => events.push(e);
  const warnings = () =>
    events.filter((e): e is Extract<BallastEvent, { type: "warning" }> => e.type === "warning" && !/price unknown/.test(e.message));

  const short = createBallast({ models: [gpt("gpt-short")], traces: false, onEvent });
  const tiny = short.task({ name: "tiny", schema: Answer, instructions: "Answer briefly." });
  await tiny("a");
  await tiny("b");
  assert.equal(warnings().length, 1, "once per task");
  assert.match(warnings()[0]!.message, /task "tiny".*below openai:gpt-short's minimum cacheable length \(1024 tokens\)/);

  // ~1,500 tokens: enough for Sonnet (1024), not for Haiku (2048).
  const mid = INSTRUCTIONS.slice(0, 5500);
  events.length = 0;
  const sonnet = createBallast({ models: [claude("claude-sonnet-x")], traces: false, onEvent });
  await sonnet.generate({ name: "mid", schema: Answer, instructions: mid, input: "a" });
  assert.equal(warnings().length, 0);
  const haiku = createBallast({ models: [claude("claude-haiku-x")], traces: false, onEvent });
  await haiku.generate({ name: "mid", schema: Answer, instructions: mid, input: "a" });
  assert.equal(warnings().length, 1);
  assert.match(warnings()[0]!.message, /claude-haiku-x's minimum cacheable length \(2048 tokens\)/);
});

test("cache-buster: a section that changes once (a new template) is flagged once; variants already seen stay warm", async () => {
  const events: BallastEvent[] = [];
  const llm = createBallast({ models: [gpt("gpt-variants")], traces: false, onEvent: (e) => events.push(e) });
  const run = (tenant: string, input: string) =>
    llm.generate({
      name: "tenants",
      schema: Answer,
      instructions: INSTRUCTIONS,
      sections: [{ name: "tenant-policy", role: "system", stable: true, content: `Policy of ${tenant}: ${"be accurate. ".repeat(40)}` }],
      input,
    });
  await run("acme", "1");
  await run("globex", "2"); // a new variant: flagged
  await run("acme", "3"); // seen within the window: warm, not flagged
  await run("globex", "4");
  const busters = events.filter((e) => e.type === "cache_buster");
  assert.equal(busters.length, 1);
  assert.equal(busters[0]!.section, "tenant-policy");
  // OpenAI caches up to the changed token: only the tenant section is lost, not the instructions before it.
  assert.ok(busters[0]!.tokensLost > 100 && busters[0]!.tokensLost < 300, `got ${busters[0]!.tokensLost}`);
});

test("anthropic: a first section that changes on every call loses its breakpoints from the 3rd change in a row, unless the caller asks for them", async () => {
  const llm = createBallast({ models: [claude("claude-chronic")], traces: false });
  const call = (i: number, cache?: { breakpoints: "auto" }) =>
    llm.generate({
      name: "chronic",
      schema: Answer,
      instructions: `Request ${i} of the day.\n\n${INSTRUCTIONS}`,
      input: "q",
      ...(cache ? { cache } : {}),
    });
  for (let i = 0; i < 6; i++) await call(i);
  await call(6, { breakpoints: "auto" });
  const marked = bodiesOf("claude-chronic").map((body) => breakpointsOf(body).length > 0);
  assert.deepEqual(
    marked,
    [true, true, true, false, false, false, true],
    "call 0 sets the baseline; calls 1-3 change it; from the 3rd change on, no breakpoint",
  );
});
