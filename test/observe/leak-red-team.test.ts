// Red team: secrets must not leave the process by any exit. A private-context secret with XML and JSON
// metacharacters, a secret given in `redact.secrets`, and the common credential forms (API keys, bearer JWTs,
// GitHub, Slack, Stripe, AWS, Google) are echoed by the model, quoted in provider errors and put in inputs; then
// every exit is searched for every form of each: traces.db (every table), `ballast trace` output, the OTel
// exporter (attributes, status, events), events given to listeners, and thrown errors. Also at 12,000 calls in flight.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { inspect, promisify } from "node:util";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import Database from "better-sqlite3";
import { z } from "zod";
import { AllAttemptsFailedError, type BallastEvent, createBallast } from "ballast";
import { openai } from "ballast/openai";
import { otelListener } from "ballast/otel";
import { type Simulator, startSimulator } from "ballast/testing";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;

/** The private-context secret the user chose: every XML and JSON metacharacter in it. */
const SECRET = `Tr&"ust<Me>'42\\x`;
/** A secret of the user's own, given in `redact.secrets`. */
const USER_SECRET = `acct-7781-"zeta"&co`;
const CREDENTIALS = [
  `sk-proj-${"A1b2C3d4E5".repeat(3)}`,
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLXZhbHVlLTEyMw",
  `ghp_${"Z9y8X7w6V5".repeat(4)}`,
  "xoxb-1234567890-0987654321-abcdefGHIJKL",
  `sk_live_${"4eC39HqLyj".repeat(2)}`,
  "AKIAIOSFODNN7EXAMPLE",
  `AIza${"Sy0123456789abcdefghijklmnopqrstu"}vw`,
];

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const xmlAttribute = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
const json = (s: string) => JSON.stringify(s).slice(1, -1);
/** Every form a secret can take once it is escaped for a prompt or stored as JSON. */
const forms = (s: string): string[] => {
  const out = new Set<string>();
  for (const base of [s, xml(s), xmlAttribute(s)])
    out
      .add(base)
      .add(json(base))
      .add(json(json(base)));
  return [...out];
};
const NEEDLES = [...forms(SECRET), ...forms(USER_SECRET), ...CREDENTIALS.flatMap(forms)];

/** The needles found in a text (empty: clean). */
const leaksIn = (text: string): string[] => NEEDLES.filter((n) => text.includes(n));

/** The reply every echoing model gives: each secret raw and escaped, and every credential. */
const ECHO = `${SECRET} ${xml(SECRET)} ${json(SECRET)} ${USER_SECRET} ${xml(USER_SECRET)} ${CREDENTIALS.join(" ")}`;
const Answer = z.object({ answer: z.string() });

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 7 });
});
after(() => sim.close());

const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });

/** Every text of every row of every table. */
function dumpDb(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join("\n");
  } finally {
    db.close();
  }
}

const spanText = (s: ReadableSpan): string =>
  JSON.stringify({ name: s.name, attributes: s.attributes, status: s.status, events: s.events.map((e) => [e.name, e.attributes]) });

const errorText = (e: unknown): string =>
  `${inspect(e, { depth: 12 })}\n${JSON.stringify(e)}\n${(e as Error).message}\n${(e as Error).stack}`;

function otel() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, listener: otelListener({ tracer: provider.getTracer("red-team"), captureContent: true, maxOpenCalls: 20_000 }) };
}

test("no secret form leaves by any exit: echoes, provider errors quoting keys, fallbacks, thrown errors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ballast-red-team-"));
  const path = join(dir, "traces.db");
  const events: string[] = [];
  const { exporter, listener } = otel();
  const llm = createBallast({
    models: [model("rt-echo")],
    traces: { path },
    redact: { secrets: [USER_SECRET] },
    onEvent: (e: BallastEvent) => events.push(inspect(e, { depth: 12 })),
  });
  llm.on(listener);
  const privateContext = { content: "Q4 revenue was $42 million.", secret: SECRET };
  const answer = { answer: ECHO, revealing_private_context: false };

  // 1. the model echoes every secret (the input carries a credential too)
  sim.script("rt-echo", [{ json: answer }, { json: answer }]);
  const echoed = await llm.generate({ name: "echo", schema: Answer, input: `ticket from ${CREDENTIALS[0]}`, privateContext });
  assert.equal(echoed.value.answer, ECHO, "the caller gets the model's answer as it was (in process)");
  const streamed = await llm.stream({ name: "echo", schema: Answer, input: "again", privateContext }).result;
  assert.equal(streamed.value.answer, ECHO);

  // 2. a 409 whose message quotes an API key, a bearer JWT and the secret, then the fallback
  const quoted = `Conflict for key ${CREDENTIALS[0]} (Authorization: Bearer ${CREDENTIALS[1]}); secret ${SECRET}; ${USER_SECRET}`;
  sim.script("rt-conflict", [{ status: 409, message: quoted }]);
  const fellBack = await llm.generate({
    name: "conflict",
    schema: Answer,
    models: [model("rt-conflict")],
    retry: { limit: 0 },
    input: "x",
    privateContext,
    fallback: { answer: "none" },
  });
  assert.equal(fellBack.source, "fallback");

  // 3. a 401 quoting the key: that model's failure, and with no other model and no fallback the error thrown to the caller
  sim.script("rt-denied", [{ status: 401, message: `Incorrect API key provided: ${CREDENTIALS[0]}. ${quoted}` }]);
  const denied = await llm
    .generate({ name: "denied", schema: Answer, models: [model("rt-denied")], input: "x", privateContext })
    .catch((e: unknown) => e);
  assert.ok(denied instanceof AllAttemptsFailedError, String(denied));

  // 4. replies that never parse, echoing everything: AllAttemptsFailedError with every attempt
  sim.script("rt-garbage", [{ text: `not json ${ECHO}` }, { text: `still not ${ECHO}` }]);
  const failed = await llm
    .generate({ name: "garbage", schema: Answer, models: [model("rt-garbage")], input: "x", privateContext })
    .catch((e: unknown) => e);
  assert.ok(failed instanceof AllAttemptsFailedError, String(failed));
  assert.equal(failed.attempts.length, 2);
  llm.close();

  const exits: Record<string, string> = {
    "thrown error for a 401": errorText(denied),
    "thrown AllAttemptsFailedError": errorText(failed),
    events: events.join("\n"),
    otel: exporter.getFinishedSpans().map(spanText).join("\n"),
    "traces.db": dumpDb(path),
  };
  const ids = [echoed.callId, fellBack.callId];
  for (const id of ids) {
    const { stdout } = await run(process.execPath, [join(root, "bin/ballast.js"), "trace", id, "--db", path], { cwd: root });
    exits[`ballast trace ${id}`] = stdout;
  }
  // sanity: each exit saw the calls (a silent exit would pass trivially)
  assert.ok(exporter.getFinishedSpans().length >= 8, "spans exported");
  assert.ok(events.length >= 12, "events delivered");
  assert.match(exits["traces.db"]!, /rt-garbage/);
  assert.match(exits[`ballast trace ${echoed.callId}`]!, /REDACTED/);
  assert.match(exits.otel!, /REDACTED/);
  for (const [exit, text] of Object.entries(exits)) assert.deepEqual(leaksIn(text), [], `${exit} leaks`);
});

test("12,000 private-context calls in flight: no secret reaches traces.db, OTel or events", async () => {
  // 100 calls whose model echoes the secret after 300 ms, started first, then 11,900 more private-context calls
  // (on a model whose breaker is open: they fall back without a request, which keeps the test to seconds). All
  // 12,000 are in flight together and the store writes nothing before the last has started: whatever keeps the
  // secrets must hold all 12,000 calls' at once.
  const echoes = 100;
  const calls = 12_000;
  const dir = mkdtempSync(join(tmpdir(), "ballast-red-team-load-"));
  const path = join(dir, "traces.db");
  let eventLeaks = 0;
  let eventCount = 0;
  const { exporter, listener } = otel();
  const llm = createBallast({
    models: [model("rt-many")],
    traces: { path, flushMs: 600_000, batchSize: 1_000_000, maxBuffer: 1_000_000 },
    breaker: { consecutiveFailures: 1, cooldownMs: 600_000 },
    // generous: on a loaded machine the event loop may be late; this test is about secrets, not deadlines
    timeoutMs: 300_000,
    deadlineMs: 300_000,
    onEvent: (e: BallastEvent) => {
      eventCount++;
      if (e.type === "attempt_end" && e.attempt.responseText && leaksIn(e.attempt.responseText).length > 0) eventLeaks++;
      if (e.type === "call_end" && leaksIn(JSON.stringify(e.result.value)).length > 0) eventLeaks++;
      if (e.type === "call_start" && leaksIn(JSON.stringify(e.sections)).length > 0) eventLeaks++;
    },
  });
  llm.on(listener);
  const privateContext = { content: "Private figures.", secret: SECRET };
  sim.script("rt-down", [{ status: 500 }]);
  const down = llm.task({ name: "down", schema: Answer, models: [model("rt-down")], privateContext, fallback: { answer: "later" } });
  assert.equal((await down("trip the breaker")).source, "fallback");

  sim.script(
    "rt-many",
    new Array(echoes).fill({ json: { answer: `${SECRET} ${xml(SECRET)}`, revealing_private_context: false }, delayMs: 300 }),
  );
  const echo = llm.task({ name: "many", schema: Answer, privateContext });
  const started = [
    ...Array.from({ length: echoes }, (_, i) => echo(`question ${i}`)),
    ...Array.from({ length: calls - echoes }, (_, i) => down(`question ${i}`)),
  ];
  const results = await Promise.all(started);
  assert.equal(results.filter((r) => r.source === "model" && r.value.answer.includes(SECRET)).length, echoes, "every echo call got it");
  llm.close();

  assert.ok(eventCount >= calls * 3);
  assert.equal(eventLeaks, 0, "events with a secret");
  const spans = exporter.getFinishedSpans();
  assert.ok(spans.length >= calls + echoes);
  assert.equal(spans.filter((s) => leaksIn(spanText(s)).length > 0).length, 0, "spans with a secret");
  const db = new Database(path, { readonly: true });
  try {
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM calls").get() as { n: number }).n, calls + 1);
    const rows = db.prepare("SELECT value, prompt, errors FROM calls").all();
    assert.equal(rows.filter((r) => leaksIn(JSON.stringify(r)).length > 0).length, 0, "call rows with a secret");
    const responses = db.prepare("SELECT response_text, error_message FROM attempts").all();
    assert.ok(responses.length >= calls);
    assert.equal(responses.filter((r) => leaksIn(JSON.stringify(r)).length > 0).length, 0, "attempt rows with a secret");
  } finally {
    db.close();
  }
});
