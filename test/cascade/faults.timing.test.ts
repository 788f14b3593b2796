// Every simulator fault, alone and mixed, ends in a schema-valid value within the deadline (+25 ms) when a
// fallback is configured; a broken fallback is a clear FallbackFailedError; the deadline holds wherever it falls.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { ConfigurationError, createBallast, FallbackFailedError, type GenerateResult } from "ballast";
import { openai } from "ballast/openai";
import { FAULT_NAMES, type FaultName, type ModelCard, type Simulator, startSimulator } from "ballast/testing";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number(), note: z.string() });
type Value = z.infer<typeof S>;
const fallback: Value = { label: "a", n: 0, note: "default" };
/** How late past its deadline a call may resolve (timer and event-loop slack on a loaded machine). */
const SLACK_MS = 75;
const DEADLINE_MS = 400;

const always = (fault: FaultName): ModelCard => ({ faults: { [fault]: 1 } });
const everyFault = (share: number): ModelCard => ({
  faults: Object.fromEntries(FAULT_NAMES.map((f) => [f, share / FAULT_NAMES.length])),
});
const models: Record<string, ModelCard> = { "mixed-all": everyFault(1), "mixed-half": everyFault(0.5), "mixed-half-2": everyFault(0.5) };
for (const fault of FAULT_NAMES) {
  models[`${fault}-1`] = always(fault);
  models[`${fault}-2`] = always(fault);
}

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 17, models });
  // Node's fetch loads lazily on first use: warm it so the timings below measure Ballast, not start-up.
  await createBallast({ models: [model("warm-up")], traces: false }).generate({ schema: S, input: "warm" });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });

/**
 * Runs one call and checks the two promises of the cascade: a valid value, on time. "On time" is measured
 * against a sentinel timer for the same deadline started with the call: on a loaded machine every timer
 * fires late, and the cascade cannot beat its own event loop, but it must answer within SLACK_MS of it.
 */
async function onTime(run: () => Promise<GenerateResult<Value>>, deadlineMs: number): Promise<GenerateResult<Value>> {
  const t0 = performance.now();
  let firedAt = Number.POSITIVE_INFINITY;
  const sentinel = setTimeout(() => (firedAt = performance.now() - t0), deadlineMs);
  const r = await run();
  const elapsed = performance.now() - t0;
  clearTimeout(sentinel);
  assert.ok(S.safeParse(r.value).success, `not schema-valid: ${JSON.stringify(r.value)}`);
  // The sentinel, started first, still pending when the call resolved: the call beat its deadline as this
  // process saw it (a starved process only inflates `elapsed`). Otherwise it must follow the sentinel closely.
  assert.ok(
    firedAt === Number.POSITIVE_INFINITY || elapsed <= Math.max(deadlineMs, firedAt) + SLACK_MS,
    `resolved after ${elapsed.toFixed(1)} ms (deadline ${deadlineMs} ms, timers fired at ${firedAt.toFixed(1)} ms)`,
  );
  return r;
}

for (const fault of FAULT_NAMES) {
  test(`${fault} on every rung still ends schema-valid within the deadline`, async () => {
    const llm = createBallast({
      models: [model(`${fault}-1`), model(`${fault}-2`)],
      deadlineMs: DEADLINE_MS,
      traces: false,
      breaker: false,
    });
    const r = await onTime(() => llm.generate({ schema: S, input: `every rung: ${fault}`, fallback }), DEADLINE_MS);
    // malformed replies are often repaired by recovery, wrong shapes re-asked or repaired, leaks harmless here
    if (!["leak", "wrongShape", "malformed"].includes(fault)) assert.equal(r.source, "fallback", `${fault} should exhaust both rungs`);
    if (r.source === "fallback") assert.ok(r.errors.length > 0, "the fallback result says why");
  });

  test(`${fault} on the primary is answered by the next rung within the deadline`, async () => {
    // a roomier deadline: this checks routing, so a loaded machine must not turn it into a fallback
    const llm = createBallast({
      models: [model(`${fault}-1`), model("healthy")],
      deadlineMs: 1_000,
      timeoutMs: 300,
      traces: false,
      breaker: false,
    });
    const r = await onTime(() => llm.generate({ schema: S, input: `primary: ${fault}`, fallback }), 1_000);
    // hang and slowTail spend the primary's 300 ms timeout; http429's 1 s retry-after does not fit: both move on
    if (!["leak", "wrongShape", "malformed"].includes(fault)) assert.equal(r.model, "healthy");
    else assert.notEqual(r.source, "fallback");
  });
}

test("leak with a withheld private context falls back within the deadline", async () => {
  const llm = createBallast({ models: [model("leak-1")], deadlineMs: DEADLINE_MS, traces: false });
  const r = await onTime(
    () =>
      llm.generate({
        schema: S,
        input: "what is the margin?",
        fallback,
        privateContext: { content: "Our margin on the Q3 contract is 37.5 percent, worth $4.2 million.", withholdOnLeak: true },
      }),
    DEADLINE_MS,
  );
  if (r.privateContext?.outcome === "silent" || r.privateContext?.outcome === "self_reported") assert.equal(r.source, "fallback");
});

test("every fault mixed (100% of requests fault) ends schema-valid within the deadline, 48 calls", async () => {
  const llm = createBallast({ models: [model("mixed-all"), model("mixed-all")], deadlineMs: DEADLINE_MS, timeoutMs: 150, traces: false });
  await inBatches(48, 4, (i) => onTime(() => llm.generate({ schema: S, input: `mixed call ${i}`, fallback }), DEADLINE_MS));
});

test("half the requests fault, mixed, with hedging: schema-valid within the deadline, 48 calls", async () => {
  const llm = createBallast({
    models: [model("mixed-half"), model("mixed-half-2")],
    deadlineMs: DEADLINE_MS,
    timeoutMs: 200,
    hedge: { afterMs: 50 },
    traces: false,
  });
  const results = await inBatches(48, 4, (i) =>
    onTime(() => llm.generate({ schema: S, input: `hedged mixed call ${i}`, fallback }), DEADLINE_MS),
  );
  assert.ok(
    results.some((r) => r.source !== "fallback"),
    "some calls were answered by a model",
  );
});

async function inBatches<R>(n: number, width: number, run: (i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < n; i += width) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, k) => run(i + k)))));
  }
  return out;
}

// ---- the deadline, wherever it falls ----
// An attempt cut by the deadline ends "deadline"; one cut by its own per-attempt timeout "timeout", a lost
// hedge "aborted". The checks below only ask that the attempt was cut.
const CUT = "cut";
const cut = (outcome: string) => (outcome === "timeout" || outcome === "aborted" || outcome === "deadline" ? CUT : outcome);

test("deadline during the first attempt: the attempt is cut, no rung starts after it, and the fallback is on time", async () => {
  const llm = createBallast({ models: [model("hang-1"), model("healthy")], deadlineMs: 300, traces: false, breaker: false });
  const r = await onTime(() => llm.generate({ schema: S, input: "first attempt", fallback }), 300);
  assert.equal(r.source, "fallback");
  assert.deepEqual(
    r.attempts.map((a) => [a.rung, a.kind, cut(a.outcome)]),
    [[0, "initial", CUT]],
  );
});

test("deadline during a re-ask: the invalid first reply and the aborted re-ask are both recorded", async () => {
  sim.script("reask-hangs", [{ json: { label: "c", n: 1, note: "x" } }, { fault: "hang" }]);
  const llm = createBallast({ models: [model("reask-hangs")], deadlineMs: 300, traces: false, breaker: false });
  const r = await onTime(() => llm.generate({ schema: S, input: "re-ask", fallback }), 300);
  assert.equal(r.source, "fallback");
  assert.deepEqual(
    r.attempts.map((a) => [a.kind, cut(a.outcome)]),
    [
      ["initial", "invalid"],
      ["reask", CUT],
    ],
  );
});

test("deadline during a 429 wait: a wait that would cross the deadline is never started", async () => {
  sim.script("limited-late", [{ fault: "http429", retryAfterMs: 280 }]);
  const llm = createBallast({ models: [model("limited-late")], deadlineMs: 300, traces: false, breaker: false });
  const t0 = performance.now();
  const r = await onTime(() => llm.generate({ schema: S, input: "429 late", fallback }), 300);
  assert.equal(r.source, "fallback");
  assert.deepEqual(
    r.attempts.map((a) => a.outcome),
    ["rate_limited"],
  );
  assert.ok(performance.now() - t0 < 200, "falls back at once instead of sleeping into the 280 ms wait");
});

test("deadline after a 429 wait that fits: the retry is cut off by the deadline, not by the wait", async () => {
  sim.script("limited-fits", [{ fault: "http429", retryAfterMs: 150 }, { fault: "hang" }]);
  // 600 ms leaves room for the 150 ms wait even when the 429 itself arrives late on a loaded machine
  const llm = createBallast({ models: [model("limited-fits")], deadlineMs: 600, traces: false, breaker: false });
  const r = await onTime(() => llm.generate({ schema: S, input: "429 fits", fallback }), 600);
  assert.equal(r.source, "fallback");
  assert.deepEqual(
    r.attempts.map((a) => [a.kind, cut(a.outcome)]),
    [
      ["initial", "rate_limited"],
      ["retry", CUT],
    ],
  );
});

test("deadline during a 429 wait on the primary while a hedge runs: both end on time", async () => {
  sim.script("limited-hedged", [{ fault: "http429", retryAfterMs: 200 }, { fault: "hang" }]);
  const llm = createBallast({
    models: [model("limited-hedged"), model("hang-2")],
    deadlineMs: 300,
    hedge: { afterMs: 30 },
    traces: false,
    breaker: false,
  });
  const r = await onTime(() => llm.generate({ schema: S, input: "429 hedged", fallback }), 300);
  assert.equal(r.source, "fallback");
  assert.ok(r.attempts.some((a) => a.model === "hang-2" && a.kind === "hedge" && cut(a.outcome) === CUT));
});

test("a caller's abort during a 429 wait rejects at once", async () => {
  sim.script("limited-abort", [{ fault: "http429", retryAfterMs: 2_000 }]);
  const llm = createBallast({ models: [model("limited-abort")], traces: false, breaker: false });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const t0 = performance.now();
  await assert.rejects(
    llm.generate({ schema: S, input: "429 abort", fallback, signal: controller.signal }),
    (e: Error & { kind?: string }) => e.kind === "aborted",
  );
  assert.ok(performance.now() - t0 < 150 + SLACK_MS);
});

test("deadline during the second rung: the first rung's failure and the aborted second are recorded", async () => {
  const llm = createBallast({ models: [model("http500-1"), model("hang-2")], deadlineMs: 300, traces: false, breaker: false });
  const r = await onTime(() => llm.generate({ schema: S, input: "second rung", fallback }), 300);
  assert.equal(r.source, "fallback");
  assert.deepEqual(
    r.attempts.map((a) => [a.rung, cut(a.outcome)]),
    [
      [0, "http_error"],
      [0, "http_error"], // its one same-model retry
      [1, CUT],
    ],
  );
});

test("deadline while hedged rungs all hang: every one is aborted and the fallback is on time", async () => {
  const llm = createBallast({
    models: [model("hang-1"), model("hang-2"), model("slowTail-1")],
    deadlineMs: 300,
    hedge: { afterMs: 40 },
    traces: false,
    breaker: false,
  });
  const r = await onTime(() => llm.generate({ schema: S, input: "all hedges hang", fallback }), 300);
  assert.equal(r.source, "fallback");
  assert.equal(r.attempts.length, 3);
  assert.ok(r.attempts.every((a) => cut(a.outcome) === CUT));
});

test("the per-attempt timeout and the deadline together: the primary times out, the second rung is cut by the deadline", async () => {
  const llm = createBallast({
    models: [model("slowTail-1"), model("hang-2")],
    timeoutMs: 100,
    deadlineMs: 250,
    traces: false,
    breaker: false,
  });
  const r = await onTime(() => llm.generate({ schema: S, input: "timeout then deadline", fallback }), 250);
  assert.equal(r.attempts[0]!.outcome, "timeout");
  assert.equal(r.source, "fallback");
});

// ---- a broken fallback is a clear error naming it ----

test("a fallback function that throws is a FallbackFailedError naming the task, with the cause", async () => {
  const llm = createBallast({ models: [model("http500-1")], traces: false, breaker: false });
  const boom = new Error("lookup table missing");
  const err = await llm
    .generate({
      name: "classify",
      schema: S,
      input: "x",
      fallback: () => {
        throw boom;
      },
    })
    .then(
      () => null,
      (e: unknown) => e,
    );
  assert.ok(err instanceof FallbackFailedError, `got ${String(err)}`);
  assert.equal(err.kind, "fallback_failed");
  assert.match(err.message, /task "classify": the fallback function threw: Error: lookup table missing/);
  assert.equal(err.cause, boom);
});

test("an async fallback that rejects is a FallbackFailedError too", async () => {
  const llm = createBallast({ models: [model("http500-1")], traces: false, breaker: false });
  await assert.rejects(
    llm.generate({ name: "async-fb", schema: S, input: "x", fallback: async () => Promise.reject(new Error("db down")) }),
    (e: unknown) => e instanceof FallbackFailedError && /async-fb.*threw.*db down/.test(e.message),
  );
});

test("a fallback function returning a value that does not fit is a FallbackFailedError naming the field", async () => {
  const llm = createBallast({ models: [model("http500-1")], traces: false, breaker: false });
  const err = await llm
    .generate({ name: "shape", schema: S, input: "x", fallback: () => ({ label: "z", n: 0, note: "" }) as unknown as Value })
    .then(
      () => null,
      (e: unknown) => e,
    );
  assert.ok(err instanceof FallbackFailedError, `got ${String(err)}`);
  assert.match(err.message, /task "shape": the fallback function returned a value that does not fit the schema \(label: /);
  assert.deepEqual(
    err.issues.map((i) => i.path),
    [["label"]],
  );
});

test("the fallback function receives the input and the errors that led to it", async () => {
  const llm = createBallast({ models: [model("http503-1"), model("refusal-2")], traces: false, breaker: false });
  let seen: { input: unknown; kinds: string[] } | undefined;
  const r = await llm.generate({
    schema: S,
    input: "the input",
    fallback: (input, errors) => {
      seen = { input, kinds: errors.map((e) => e.kind) };
      return fallback;
    },
  });
  assert.equal(r.source, "fallback");
  // the 503 is retried once on the same model (the default) before the next rung refuses
  assert.deepEqual(seen, { input: "the input", kinds: ["provider_http", "provider_http", "refusal"] });
});

test("a hardcoded fallback that does not fit is a ConfigurationError at definition, and generate() rejects (never throws synchronously)", async () => {
  const llm = createBallast({ models: [model("healthy")], traces: false });
  assert.throws(
    () => llm.task({ name: "bad-default", schema: S, fallback: { label: "a", n: "0", note: "" } as unknown as Value }),
    (e: unknown) => e instanceof ConfigurationError && /task "bad-default": the fallback does not fit the schema \(n: /.test(e.message),
  );
  let pending: Promise<unknown> | undefined;
  assert.doesNotThrow(() => {
    pending = llm.generate({ name: "bad-default", schema: S, input: "x", fallback: { label: "a", n: "0", note: "" } as unknown as Value });
  });
  await assert.rejects(pending!, (e: unknown) => e instanceof ConfigurationError);
});

test("a hedged call whose deadline passes while the event loop is blocked still ends (no spin, no new rung)", async () => {
  const llm = createBallast({
    models: [model("hang-1"), model("hang-2"), model("healthy")],
    deadlineMs: 100,
    hedge: { afterMs: 30 },
    traces: false,
    breaker: false,
  });
  const pending = llm.generate({ schema: S, input: "blocked loop", fallback });
  const until = performance.now() + 150;
  while (performance.now() < until); // the caller hogs the loop past both the hedge delay and the deadline
  const r = await pending;
  assert.equal(r.source, "fallback");
  assert.ok(!r.attempts.some((a) => a.model === "healthy"), "no rung starts once the deadline has passed");
});
