// The hedge policy: once every model has started, a hedge repeats the request on a model that can still
// answer (never one whose breaker is open or that waits to retry), at most `repeats` times, never before the model's
// median reply, and only once the client has seen 5 replies of the model; the hedge delay follows the model's
// recent reply times (`quantile`, from 20 replies), never beyond `afterMs`; a budget reserves the repeats too.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type BallastEvent, ConfigurationError, createBallast } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
const fallback = { label: "a" as const, n: 0 };
const price = { inputPerMTok: 1000, outputPerMTok: 1000 };
let sim: Simulator;
before(async () => {
  sim = await startSimulator({
    seed: 41,
    models: {
      steady: { ttftMs: 20 },
      steady2: { ttftMs: 20 },
      down: { ttftMs: 1, faults: { http500: 1 } },
      "asks-to-wait": { ttftMs: 1 },
      stalls: { ttftMs: 20 },
    },
  });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k", price });
const requests = (name: string) => sim.stats().byModel[name]?.requests ?? 0;
type Client = ReturnType<typeof createBallast>;
/** Twenty replies of `name` through `llm` (each `delayMs` late): enough for its reply times, which repeats wait for. */
const warm = async (llm: Client, name: string, delayMs = 0) => {
  if (delayMs > 0)
    sim.script(
      name,
      Array.from({ length: 20 }, () => ({ delayMs })),
    );
  for (let i = 0; i < 20; i++) await llm.generate({ schema: S, input: `warm ${i}`, models: [model(name)] });
};
const trail = (r: { attempts: ReadonlyArray<{ model: string; kind: string; outcome: string }> }) =>
  r.attempts.map((a) => `${a.model}:${a.kind}:${a.outcome}`);

test("a one-model cascade whose request hangs answers from a hedge that repeats the request on the same model", async () => {
  const llm = createBallast({ models: [model("once-stuck")], hedge: { afterMs: 30, repeats: 1 }, timeoutMs: 30_000, traces: false });
  await warm(llm, "once-stuck");
  sim.script("once-stuck", [{ fault: "hang" }]);
  const r = await llm.generate({ schema: S, input: "x", fallback });
  assert.equal(r.source, "model");
  assert.equal(r.model, "once-stuck");
  assert.deepEqual(trail(r), ["once-stuck:initial:aborted", "once-stuck:hedge:ok"]);
});

test("a repeat needs only 5 replies of the model, not the 20 the adaptive delay needs, to hedge a hung request", async () => {
  const llm = createBallast({ models: [model("new-model")], hedge: { afterMs: 50, repeats: 1 }, deadlineMs: 3_000, traces: false });
  for (let i = 0; i < 5; i++) await llm.generate({ schema: S, input: `warm ${i}` }); // its median, from 5 replies
  sim.script("new-model", [{ fault: "hang" }]);
  const r = await llm.generate({ schema: S, input: "x", fallback });
  assert.equal(r.source, "model");
  assert.deepEqual(trail(r), ["new-model:initial:aborted", "new-model:hedge:ok"]);
});

test("a client that has seen fewer than 5 replies of a model does not repeat it: a repeat never goes out blind", async () => {
  const llm = createBallast({ models: [model("cold")], hedge: { afterMs: 50, repeats: 1 }, deadlineMs: 500, traces: false });
  for (let i = 0; i < 4; i++) await llm.generate({ schema: S, input: `warm ${i}` });
  sim.script("cold", [{ fault: "hang" }]);
  const r = await llm.generate({ schema: S, input: "x", fallback });
  assert.equal(r.source, "fallback");
  assert.deepEqual(trail(r), ["cold:initial:deadline"]);
});

test("repeats caps the extra requests on models already started; 0 turns them off", async () => {
  const llm = createBallast({ models: [model("stalls")], hedge: { afterMs: 20, repeats: 2 }, deadlineMs: 1_500, traces: false });
  const none = createBallast({ models: [model("stalls")], hedge: { afterMs: 20, repeats: 0 }, deadlineMs: 500, traces: false });
  await warm(llm, "stalls");
  await warm(none, "stalls");
  sim.script(
    "stalls",
    Array.from({ length: 4 }, () => ({ fault: "hang" as const })),
  );
  const before = requests("stalls");
  const r = await llm.generate({ schema: S, input: "x", fallback });
  assert.equal(r.source, "fallback");
  assert.deepEqual(trail(r), ["stalls:initial:deadline", "stalls:hedge:deadline", "stalls:hedge:deadline"]);
  assert.equal(requests("stalls") - before, 3);

  const alone = await none.generate({ schema: S, input: "y", fallback });
  assert.deepEqual(trail(alone), ["stalls:initial:deadline"]);
});

test("a model that answered 429 and asked to wait is not repeated while it waits", async () => {
  // Replies take ~300 ms, so a repeat waits ~300 ms; the 429 comes back at once and asks for 800 ms.
  const llm = createBallast({ models: [model("asks-to-wait")], hedge: { afterMs: 200 }, traces: false });
  await warm(llm, "asks-to-wait", 300);
  sim.script("asks-to-wait", [{ fault: "http429", retryAfterMs: 800 }]);
  const before = requests("asks-to-wait");
  const r = await llm.generate({ schema: S, input: "x" });
  assert.deepEqual(trail(r), ["asks-to-wait:initial:rate_limited", "asks-to-wait:retry:ok"]);
  assert.equal(requests("asks-to-wait") - before, 2);
});

test("a retry after a 429's wait is not repeated as it starts: the model gets one request then, not two", async () => {
  // Both models usually answer in 300-400 ms, so repeats wait that long. rests answers off-schema at 320 ms and
  // its re-ask is told to wait 600 ms; refuses, hedged at 200 ms, fails for good at 580 ms. rests is then the
  // only model a repeat could go to, and its retry answers in ~20 ms: well inside its repeat delay, so no
  // repeat goes out beside it. Each step has over 100 ms of margin on the next.
  const llm = createBallast({ models: [model("rests"), model("refuses")], hedge: { afterMs: 200 }, traces: false });
  await warm(llm, "rests", 300);
  await warm(llm, "refuses", 400);
  sim.script("rests", [{ json: { label: "zzz", n: 1 }, delayMs: 320 }, { fault: "http429", retryAfterMs: 600 }, { delayMs: 20 }]);
  sim.script("refuses", [{ status: 400, delayMs: 380 }]);
  const before = requests("rests");
  const r = await llm.generate({ schema: S, input: "x" });
  assert.equal(r.model, "rests");
  assert.deepEqual(trail(r), ["rests:initial:invalid", "refuses:hedge:http_error", "rests:reask:rate_limited", "rests:retry:ok"]);
  assert.equal(requests("rests") - before, 3);
});

test("a model whose breaker opened is never repeated, even after a transient failure", async () => {
  const llm = createBallast({
    models: [model("down"), model("steady2")],
    hedge: { afterMs: 300, repeats: 1 },
    retry: { limit: 0 },
    breaker: { consecutiveFailures: 1, cooldownMs: 60_000 },
    timeoutMs: 30_000,
    traces: false,
  });
  await warm(llm, "steady2");
  sim.script("steady2", [{ fault: "hang" }]);
  const before = requests("down");
  const r = await llm.generate({ schema: S, input: "x" });
  // down's quick 500 opens its breaker; steady2 takes its place and hangs; the repeat, though down is idle
  // and failed only transiently, goes to steady2.
  assert.equal(r.model, "steady2");
  assert.equal(requests("down") - before, 1);
  assert.deepEqual(trail(r), ["down:initial:http_error", "steady2:initial:aborted", "steady2:hedge:ok"]);
});

test("the hedge delay follows the model's recent reply times once it has 20, and never exceeds afterMs", async () => {
  const events: BallastEvent[] = [];
  const onEvent = (e: BallastEvent) => events.push(e);
  const adaptive = createBallast({ models: [model("steady"), model("steady2")], hedge: { afterMs: 20_000 }, traces: false, onEvent });
  const fixed = createBallast({
    models: [model("steady"), model("steady2")],
    hedge: { afterMs: 2_000, quantile: false },
    traces: false,
    onEvent,
  });
  for (let i = 0; i < 20; i++) {
    await adaptive.generate({ schema: S, input: `warm ${i}` });
    await fixed.generate({ schema: S, input: `warm ${i}` });
  }
  assert.equal(events.filter((e) => e.type === "hedge").length, 0, "replies of ~20 ms never outlive their own 95th percentile by much");

  sim.script("steady", [{ delayMs: 60_000 }, { delayMs: 60_000 }]);
  const r = await adaptive.generate({ schema: S, input: "slow" });
  assert.equal(r.model, "steady2");
  const hedge = events.find((e) => e.type === "hedge") as Extract<BallastEvent, { type: "hedge" }>;
  assert.ok(hedge.afterMs < 20_000 && hedge.afterMs >= 1, `the hedge started after ${hedge.afterMs} ms`);

  events.length = 0;
  await fixed.generate({ schema: S, input: "slow" });
  assert.deepEqual(
    events.filter((e) => e.type === "hedge").map((e) => (e as { afterMs: number }).afterMs),
    [2_000],
    "quantile: false always waits afterMs",
  );
});

test("a budget reserves a hedged call's repeats: two calls fit a limit together, but not with two repeats each", async () => {
  const options = { models: [model("steady")], maxOutputTokens: 100, reasks: 0, retry: { limit: 0 }, traces: false as const };
  const pair = (limitUsd: number, hedge?: { afterMs: number; repeats: number }) => {
    const llm = createBallast({ ...options, ...(hedge ? { hedge } : {}), budget: { limitUsd } });
    return Promise.all([llm.generate({ schema: S, input: "one", fallback }), llm.generate({ schema: S, input: "two", fallback })]);
  };
  // The smallest limit (in steps of 1.5x) above one plain call's worst case W: the second call is admitted
  // while the first holds W. Two repeats make a hedged call reserve 3W, which that limit cannot hold twice.
  let limitUsd = 0.001;
  for (; limitUsd < 1e6; limitUsd *= 1.5) {
    const both = await pair(limitUsd);
    if (both.every((r) => r.source === "model")) break;
  }
  const hedged = await pair(limitUsd, { afterMs: 5_000, repeats: 2 });
  assert.deepEqual(
    hedged.map((r) => (r.source === "model" ? "model" : r.errors[0]!.kind)),
    ["model", "budget_exceeded"],
  );
});

test("hedge.quantile and hedge.repeats are checked, naming the option", () => {
  for (const [hedge, name] of [
    [{ afterMs: 10, quantile: 1 }, "hedge.quantile"],
    [{ afterMs: 10, quantile: 0 }, "hedge.quantile"],
    [{ afterMs: 10, repeats: -1 }, "hedge.repeats"],
    [{ afterMs: 10, repeats: 1.5 }, "hedge.repeats"],
  ] as const)
    assert.throws(
      () => createBallast({ models: [model("steady")], hedge: hedge as never, traces: false }),
      (e: unknown) => e instanceof ConfigurationError && e.message.includes(name),
    );
  assert.doesNotThrow(() =>
    createBallast({ models: [model("steady")], hedge: { afterMs: 10, quantile: false, repeats: 0 }, traces: false }),
  );
});
