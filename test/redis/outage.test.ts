// Redis trouble is not an outage: with Redis stopped mid-run every call still answers (local breakers and
// limits serve), the client reports one warning, and once Redis is back the shared state is used again.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Redis } from "ioredis";
import { z } from "zod";
import { type BallastEvent, createBallast } from "ballast";
import { openai } from "ballast/openai";
import { redis } from "ballast/redis";
import { type Simulator, startSimulator } from "ballast/testing";
import { PrivateRedis, testPrefix } from "./helpers.js";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
let sim: Simulator;
let server: PrivateRedis;
before(async () => {
  sim = await startSimulator({ seed: 9 });
  server = await PrivateRedis.start();
});
after(async () => {
  await server.down();
  await sim.close();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("Redis stopped mid-run: calls go on with a warning, and the shared state is used again once Redis is back", async () => {
  const prefix = testPrefix();
  const shared = await redis(server.url, { prefix, commandTimeoutMs: 200 });
  const warnings: string[] = [];
  const llm = createBallast({
    models: [openai("m1", { baseURL: `${sim.url}/v1`, apiKey: "k" })],
    shared,
    rateLimits: { "*": { requests: 100_000 } },
    traces: false,
    onEvent: (e: BallastEvent) => {
      if (e.type === "warning" && e.message.startsWith("shared")) warnings.push(e.message);
    },
  });
  const probe = new Redis(server.url, { lazyConnect: true });
  const keys = async () => {
    await probe.connect().catch(() => {});
    const found = await probe.keys(`${prefix}*`);
    probe.disconnect();
    return found;
  };
  try {
    for (let i = 0; i < 5; i++) assert.equal((await llm.generate({ schema: S, input: `before ${i}` })).source, "model");
    assert.ok((await keys()).includes(`${prefix}breaker:openai:m1`), "the breaker lives in Redis");
    assert.deepEqual(warnings, []);

    await server.down();
    for (let i = 0; i < 10; i++) {
      const r = await llm.generate({ schema: S, input: `during ${i}` });
      assert.equal(r.source, "model", "every call is answered while Redis is down");
    }
    assert.equal(warnings.length, 2, `one warning per shared piece: ${warnings.join(" | ")}`);
    assert.match(warnings[0]!, /unreachable/);

    await server.up();
    await sleep(1_200); // past the pause before Redis is tried again
    await probe.connect().catch(() => {});
    await probe.flushall();
    probe.disconnect();
    for (let i = 0; i < 3; i++) await llm.generate({ schema: S, input: `after ${i}` });
    assert.ok((await keys()).includes(`${prefix}breaker:openai:m1`), "the breaker is written to Redis again");
    assert.ok(
      warnings.some((w) => /answer again/.test(w)),
      `recovery is reported: ${warnings.join(" | ")}`,
    );
  } finally {
    await shared.close();
  }
});
