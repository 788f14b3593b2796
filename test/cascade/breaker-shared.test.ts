// Two clients sharing one BreakerStore stand in for two processes sharing a Redis-backed one: what one
// client sees opens the breaker for the other, the half-open trial admits one caller across both, and
// aborted attempts (lost hedges) count for neither.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type BallastEvent, type BreakerOptions, createBallast } from "ballast";
import { type BreakerStore, memoryBreakerStore } from "ballast/shared-state";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 23 });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two clients ("processes") over one store; `moves` collects both clients' breaker events. */
function pair(primary: string, breaker: Omit<BreakerOptions, "store">) {
  const store = memoryBreakerStore();
  const moves: string[] = [];
  const client = (name: string) =>
    createBallast({
      models: [model(primary), model("backup")],
      retry: { limit: 0 }, // one failure per call: the breaker's counts stay readable
      breaker: { ...breaker, store },
      traces: false,
      onEvent: (e: BallastEvent) => {
        if (e.type === "breaker") moves.push(`${name}:${e.from}>${e.to}`);
      },
    });
  return { a: client("A"), b: client("B"), moves, key: `openai:${primary}`, store };
}

test("failures seen by one client open the breaker for the other, which skips the model at no cost", async () => {
  const { a, b, moves, key } = pair("dead-1", { consecutiveFailures: 2, cooldownMs: 60_000 });
  sim.script("dead-1", [{ fault: "http500" }, { fault: "http500" }]);
  await a.generate({ schema: S, input: "1" });
  await a.generate({ schema: S, input: "2" });
  const r = await b.generate({ schema: S, input: "3" });
  assert.equal(r.attempts[0]!.outcome, "skipped_breaker");
  assert.equal(r.attempts[0]!.latencyMs, 0);
  assert.equal(r.model, "backup");
  assert.equal(b.health().find((h) => h.model === key)!.state, "open");
  assert.deepEqual(moves, ["A:closed>open"], "the transition is reported once, by the client that caused it");
});

test("after the cooldown, the half-open trial admits one caller across both clients; its success closes the breaker for both", async () => {
  // a cooldown a loaded machine cannot outlast between two back-to-back calls
  const { a, b, moves, key } = pair("dead-2", { consecutiveFailures: 1, cooldownMs: 1_500 });
  sim.script("dead-2", [{ fault: "http500" }]);
  await a.generate({ schema: S, input: "1" });
  assert.equal((await b.generate({ schema: S, input: "2" })).attempts[0]!.outcome, "skipped_breaker", "cooling down");
  await sleep(1_600);
  sim.script("dead-2", [{ delayMs: 200 }, { delayMs: 200 }]); // a slow success for each, were both let through (the second serves call "5")
  const [ra, rb] = await Promise.all([a.generate({ schema: S, input: "3" }), b.generate({ schema: S, input: "4" })]);
  const ranPrimary = [ra, rb].filter((r) => r.model === "dead-2");
  const skipped = [ra, rb].filter((r) => r.attempts[0]!.outcome === "skipped_breaker");
  assert.equal(ranPrimary.length, 1, "exactly one trial");
  assert.equal(skipped.length, 1, "the other caller was refused while the trial ran");
  for (const c of [a, b]) assert.equal(c.health().find((h) => h.model === key)!.state, "closed");
  assert.equal(moves.filter((m) => m.endsWith(">half_open")).length, 1);
  assert.equal(moves.filter((m) => m.endsWith("half_open>closed")).length, 1);
  assert.equal((await b.generate({ schema: S, input: "5" })).model, "dead-2", "closed for the other client too");
});

test("a failed trial reopens the breaker for a fresh cooldown, for both clients", async () => {
  const { a, b, moves } = pair("dead-3", { consecutiveFailures: 1, cooldownMs: 150 });
  sim.script("dead-3", [{ fault: "http500" }, { fault: "http500" }]);
  await a.generate({ schema: S, input: "1" });
  await sleep(200);
  const trial = await b.generate({ schema: S, input: "2" });
  assert.equal(trial.attempts[0]!.model, "dead-3");
  assert.equal(trial.attempts[0]!.outcome === "skipped_breaker", false);
  assert.equal((await a.generate({ schema: S, input: "3" })).attempts[0]!.outcome, "skipped_breaker", "reopened");
  await sleep(200);
  assert.equal((await a.generate({ schema: S, input: "4" })).model, "dead-3", "the next cooldown ends with a new trial");
  assert.deepEqual(moves, ["A:closed>open", "B:open>half_open", "B:half_open>open", "A:open>half_open", "A:half_open>closed"]);
});

test("aborted attempts count for neither client: a lost hedge between two failures does not reset the count", async () => {
  const { a, b, key } = pair("shaky", { consecutiveFailures: 2, cooldownMs: 60_000 });
  sim.script("shaky", [{ fault: "http500" }, { delayMs: 2_000 }, { fault: "http500" }]);
  await a.generate({ schema: S, input: "1" });
  const raced = await b.generate({ schema: S, input: "2", hedge: { afterMs: 0 } });
  assert.equal(raced.model, "backup");
  assert.equal(raced.attempts.find((x) => x.model === "shaky")!.outcome, "aborted");
  await a.generate({ schema: S, input: "3" });
  const health = b.health().find((h) => h.model === key)!;
  assert.equal(health.state, "open");
  assert.deepEqual([health.calls, health.failures], [2, 2]);
});

test("an aborted half-open trial frees the slot: the other client takes the next trial", async () => {
  const { a, b, key, store } = pair("dead-4", { consecutiveFailures: 1, cooldownMs: 100 });
  sim.script("dead-4", [{ fault: "http500" }, { delayMs: 2_000 }]);
  await a.generate({ schema: S, input: "1" });
  await sleep(150);
  const raced = await a.generate({ schema: S, input: "2", hedge: { afterMs: 0 } });
  assert.equal(raced.attempts.find((x) => x.model === "dead-4")!.outcome, "aborted", "the trial lost its race");
  assert.equal(a.health().find((h) => h.model === key)!.state, "half_open");
  // the losing attempt settles with the breaker a moment after the winner returns
  for (let i = 0; i < 100 && (await store.get(key, Date.now()))?.trial; i++) await sleep(5);
  assert.equal((await store.get(key, Date.now()))!.trial, null, "the aborted trial released its slot");
  const next = await b.generate({ schema: S, input: "3" });
  assert.equal(next.model, "dead-4", "the slot was free: B's call was the new trial, and it closed the breaker");
  assert.equal(a.health().find((h) => h.model === key)!.state, "closed");
});

test("an asynchronous store (as a Redis one would be) works the same; health() shows the state last seen", async () => {
  const inner = memoryBreakerStore();
  const later = <T>(v: T | Promise<T>) => new Promise<T>((r) => setImmediate(() => r(v)));
  const store: BreakerStore = {
    acquire: (...args) => later(inner.acquire(...args)),
    record: (...args) => later(inner.record(...args)),
    get: (...args) => later(inner.get(...args)),
  };
  const [a, b] = ["A", "B"].map(() =>
    createBallast({
      models: [model("dead-5"), model("backup")],
      retry: { limit: 0 }, // one failure per call: the breaker's counts stay readable
      breaker: { consecutiveFailures: 1, cooldownMs: 60_000, store },
      traces: false,
    }),
  );
  sim.script("dead-5", [{ fault: "http500" }]);
  await a!.generate({ schema: S, input: "1" });
  assert.equal(a!.health().find((h) => h.model === "openai:dead-5")!.state, "open");
  const r = await b!.generate({ schema: S, input: "2" });
  assert.equal(r.attempts[0]!.outcome, "skipped_breaker");
  assert.equal(r.model, "backup");
});
