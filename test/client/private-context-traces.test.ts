// What listeners keep of a call: private context as its length and a hash by default (the text only when the
// user opts in, its secret never), credentials in inputs redacted by the built-in patterns (GitHub, Slack,
// JWT…), and the user's own `redact` secrets and patterns applied to every exit.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { z } from "zod";
import { type BallastEvent, createBallast, type RedactOptions } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const Answer = z.object({ answer: z.string() });
const CONTENT = "Q4 revenue was $42 million; the Berlin office closes in March.";
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 11 });
});
after(() => sim.close());

/** One private-context call and one with credentials in its input; returns the stored prompts and the events. */
async function run(redact?: RedactOptions) {
  const path = join(mkdtempSync(join(tmpdir(), "ballast-private-")), "traces.db");
  const events: BallastEvent[] = [];
  const llm = createBallast({
    models: [openai("private-traces", { baseURL: `${sim.url}/v1`, apiKey: "test" })],
    traces: { path },
    onEvent: (e) => events.push(e),
    ...(redact ? { redact } : {}),
  });
  await llm.generate({ name: "private", schema: Answer, input: "What is new?", privateContext: { content: CONTENT } });
  const tokens = [
    `ghp_${"a1B2c3D4e5".repeat(4)}`,
    "xoxb-1234567890-0987654321-abcdefGHIJKL",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLXZhbHVl",
    "CUST-123456",
    "my-own-secret-value",
  ];
  await llm.generate({ name: "tokens", schema: Answer, input: `deploy with ${tokens.join(" and ")}` });
  llm.close();
  const db = new Database(path, { readonly: true });
  const prompts = db.prepare("SELECT task, prompt FROM calls").all() as Array<{ task: string; prompt: string }>;
  db.close();
  const prompt = (task: string) => prompts.find((p) => p.task === task)!.prompt;
  return { stored: prompt("private"), tokensPrompt: prompt("tokens"), events: JSON.stringify(events), tokens };
}

test("private context is kept as its length and a hash by default; the built-in patterns catch GitHub, Slack and JWTs", async () => {
  const { stored, tokensPrompt, events, tokens } = await run();
  const hash = createHash("sha256").update(CONTENT).digest("hex").slice(0, 16);
  for (const [exit, text] of [
    ["traces.db", stored],
    ["events", events],
  ] as const) {
    assert.ok(!text.includes("Berlin"), `${exit} holds the private content`);
    assert.ok(text.includes(`private context withheld: ${CONTENT.length} characters, sha256 ${hash}`), exit);
  }
  for (const token of tokens.slice(0, 3)) assert.ok(!tokensPrompt.includes(token), token);
  assert.ok(tokensPrompt.includes("CUST-123456"), "no user pattern given: left as it was");
});

test('redact: { privateContext: "keep", secrets, patterns } keeps the text (secret redacted) and applies the user\'s own', async () => {
  const { stored, tokensPrompt, events } = await run({
    privateContext: "keep",
    secrets: ["my-own-secret-value"],
    patterns: [/CUST-\d{6}/],
  });
  assert.ok(stored.includes("Berlin office"), "opted in: the content is stored");
  assert.match(stored, /secret=\\"\[REDACTED\]\\"/, "its secret is not");
  for (const text of [tokensPrompt, events]) {
    assert.ok(!text.includes("CUST-123456") && !text.includes("my-own-secret-value"), text.slice(0, 200));
  }
});
