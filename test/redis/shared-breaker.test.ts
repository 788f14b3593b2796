// Two clients in separate processes share one circuit breaker through Redis: one's failures open it for
// the other, and after the cooldown exactly one half-open trial runs across both.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Simulator, startSimulator } from "ballast/testing";
import { ensureMainRedis, runChild, testPrefix } from "./helpers.js";

let sim: Simulator;
let redisUrl: string;
before(async () => {
  redisUrl = await ensureMainRedis();
  sim = await startSimulator({ seed: 5 });
});
after(() => sim.close());

type Line = { model: string; first: string };
const child = (args: Record<string, unknown>) => runChild("breaker-client.ts", { simUrl: sim.url, redisUrl, ...args }) as Promise<Line[]>;

test("failures seen by one process open the breaker for another process, which skips the model", async () => {
  const prefix = testPrefix();
  const breaker = { consecutiveFailures: 2, cooldownMs: 60_000 };
  sim.script("dead-a", [{ fault: "http500" }, { fault: "http500" }]);
  const first = await child({ prefix, primary: "dead-a", calls: 2, breaker });
  assert.deepEqual(
    first.map((l) => l.first),
    ["http_error", "http_error"],
  );
  const second = await child({ prefix, primary: "dead-a", calls: 3, breaker });
  assert.deepEqual(
    second.map((l) => l.first),
    ["skipped_breaker", "skipped_breaker", "skipped_breaker"],
    "the second process never calls the dead model",
  );
  assert.ok(second.every((l) => l.model === "backup"));
});

test("after the cooldown, one half-open trial runs across both processes and its success closes the breaker", async () => {
  const prefix = testPrefix();
  const breaker = { consecutiveFailures: 1, cooldownMs: 1_500 };
  sim.script("dead-b", [{ fault: "http500" }]);
  const opened = await child({ prefix, primary: "dead-b", calls: 1, breaker });
  assert.equal(opened[0]!.first, "http_error");
  // Once the cooldown is over, both processes start their calls together (a Redis barrier); the trial is slow, so the other
  // process's call comes while it runs. Two slow successes are scripted, in case both were let through.
  sim.script("dead-b", [{ delayMs: 2_000 }, { delayMs: 2_000 }]);
  await new Promise((r) => setTimeout(r, 1_600));
  const [a, b] = await Promise.all([
    child({ prefix, primary: "dead-b", calls: 1, barrier: 2, breaker }),
    child({ prefix, primary: "dead-b", calls: 1, barrier: 2, breaker }),
  ]);
  const firsts = [a[0]!.first, b[0]!.first].sort();
  assert.deepEqual(firsts, ["ok", "skipped_breaker"], "exactly one trial across both processes");
  const closed = await child({ prefix, primary: "dead-b", calls: 1, breaker });
  assert.equal(closed[0]!.model, "dead-b", "the trial's success closed the breaker for every process");
});
