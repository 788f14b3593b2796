// A model's API key never leaves the process, even when the provider's error message repeats it and the key
// looks like no known credential (a self-hosted server's token): not in the result's attempts and errors, not
// in what a fallback function is given, not in a thrown error (message, stack, causes), not in any event,
// not in the trace database. Keys given as an option, read from the environment, or held by the caller's own
// SDK client all count. Real HTTP against the simulator.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { type BallastEvent, BallastError, createBallast } from "../../src/index.js";
import { anthropic } from "../../src/providers/anthropic/index.js";
import { openai } from "../../src/providers/openai/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";

/** Matches no credential pattern: only knowing the key can redact it. */
const KEY = "vllm-tok-Q7ZXW4PLM2KD9RT";
const ENV_KEY = "selfhosted-ENVKEY-88412937";
const CLIENT_KEY = "proxy-CLIENTKEY-55120934";
const S = z.object({ answer: z.string() });
const echoes = (key: string) => `Invalid token provided: ${key}. Check your key at the dashboard.`;
const refuse = (key: string, status: number) => Array.from({ length: 8 }, () => ({ status, message: echoes(key) }));

let sim: Simulator;
before(async () => {
  sim = await startSimulator({
    seed: 5,
    models: {
      "m-401": { script: refuse(KEY, 401) },
      "m-403": { script: refuse(KEY, 403) },
      "m-env": { script: refuse(ENV_KEY, 401) },
      "m-client": { script: refuse(CLIENT_KEY, 400) },
      "claude-keyed": { script: refuse(KEY, 401) },
      "claude-own-client": { script: refuse(CLIENT_KEY, 401) },
      ok: {},
    },
  });
});
after(() => sim.close());

/** Everything a value shows when printed deeply or serialised. */
const shown = (v: unknown): string => `${inspect(v, { depth: 10, showHidden: false })}\n${JSON.stringify(v) ?? ""}`;

function assertNoKey(where: string, text: string, key = KEY): void {
  assert.ok(!text.includes(key), `${where} holds the key:\n${text.slice(Math.max(0, text.indexOf(key) - 200), text.indexOf(key) + 60)}`);
  assert.ok(!text.includes(key.slice(-12)), `${where} holds the key's tail`);
}

/** The bytes of every file of a trace store (its -wal and -shm too), as latin1 text. */
function storeBytes(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f)).toString("latin1"))
    .join("\n");
}

test("a key the provider echoes in a 401 or 403 stays out of the result, the fallback's errors, events and traces", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ballast-cred-"));
  const events: BallastEvent[] = [];
  const model = (id: string) => openai(id, { baseURL: `${sim.url}/v1`, apiKey: KEY, api: "chat" });
  const llm = createBallast({
    models: [model("m-401"), model("m-403"), model("ok")],
    traces: join(dir, "traces.db"),
    onEvent: (e) => events.push(e),
  });
  // The last model answers: the failed attempts stay in the result.
  const answered = await llm.generate({ schema: S, input: "hello" });
  assert.equal(answered.source, "model");
  assert.equal(answered.attempts[0]!.error?.kind, "provider_http");
  assert.match(answered.attempts[0]!.error!.message, /401 Invalid token provided: \[REDACTED\]/);
  assertNoKey("a result whose first two models refused", shown(answered));

  // Only refusing models and a fallback function: it is given the errors, the caller the fallback.
  let given: unknown;
  const fellBack = await llm.generate({
    schema: S,
    input: "hello",
    models: [model("m-401"), model("m-403")],
    fallback: (_input, errors) => {
      given = errors;
      return { answer: "default" };
    },
  });
  assert.equal(fellBack.source, "fallback");
  assert.equal((given as unknown[]).length, 2);
  assertNoKey("the errors a fallback function got", shown(given));
  assertNoKey("a fallback result", shown(fellBack));

  // No fallback: the thrown error, its attempts and causes.
  const thrown = await llm.generate({ schema: S, input: "hello", models: [model("m-401")] }).then(
    () => assert.fail("no model answered and there is no fallback: the call must reject"),
    (e: unknown) => e,
  );
  assert.ok(thrown instanceof BallastError && thrown.kind === "all_attempts_failed", String(thrown));
  assert.match((thrown as Error).message, /\[REDACTED\]/);
  assertNoKey("the thrown error", shown(thrown) + String((thrown as Error).stack));

  assert.ok(events.some((e) => e.type === "attempt_end" && e.attempt.error?.status === 401));
  assertNoKey("the events", shown(events));
  llm.close();
  assertNoKey("the trace store's files", storeBytes(dir));
});

test("a key read from the environment, or held by the caller's own SDK client, is redacted too", async () => {
  process.env.OPENAI_API_KEY = ENV_KEY;
  try {
    const llm = createBallast({ models: [openai("m-env", { baseURL: `${sim.url}/v1`, api: "chat" })], traces: false });
    const r = await llm.generate({ schema: S, input: "x", fallback: { answer: "d" } });
    assert.equal(r.source, "fallback");
    assert.match(r.errors[0]!.message, /\[REDACTED\]/);
    assertNoKey("a result (key from OPENAI_API_KEY)", shown(r), ENV_KEY);
  } finally {
    delete process.env.OPENAI_API_KEY;
  }

  const own = new Anthropic({ apiKey: CLIENT_KEY, baseURL: sim.url, maxRetries: 0 });
  const viaClient = createBallast({ models: [anthropic("claude-own-client", { client: own })], traces: false });
  const r2 = await viaClient.generate({ schema: S, input: "x", fallback: { answer: "d" } });
  assert.equal(r2.source, "fallback");
  assert.match(r2.errors[0]!.message, /401 .*\[REDACTED\]/);
  assertNoKey("a result (key held by the caller's Anthropic client)", shown(r2), CLIENT_KEY);

  const proxied = createBallast({
    models: [openai("m-client", { client: new (await import("openai")).default({ apiKey: CLIENT_KEY, baseURL: `${sim.url}/v1` }) })],
    traces: false,
  });
  const r3 = await proxied.generate({ schema: S, input: "x", fallback: { answer: "d" } });
  assert.equal(r3.source, "fallback");
  assert.match(r3.errors[0]!.message, /400 .*\[REDACTED\]/);
  assertNoKey("a result (key held by the caller's OpenAI client)", shown(r3), CLIENT_KEY);
});

test("an Anthropic model's key is redacted from what its 401 repeats", async () => {
  const llm = createBallast({ models: [anthropic("claude-keyed", { baseURL: sim.url, apiKey: KEY })], traces: false });
  const r = await llm.generate({ schema: S, input: "x", fallback: { answer: "d" } });
  assert.equal(r.source, "fallback");
  assert.match(r.errors[0]!.message, /401/);
  assertNoKey("an Anthropic result", shown(r));
});
