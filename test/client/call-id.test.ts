// Call ids are UUID version 7: valid, unique, and ordered by the time the call started.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 11 });
});
after(() => sim.close());

test("r.callId is a UUIDv7: unique, and later calls sort after earlier ones", async () => {
  const llm = createBallast({ models: [openai("ids", { baseURL: `${sim.url}/v1`, apiKey: "k" })], traces: false });
  const schema = z.object({ label: z.string() });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    ids.push((await llm.generate({ schema, input: `item ${i}` })).callId);
    if (i % 2 === 1) await sleep(3);
  }
  const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => llm.generate({ schema, input: `b${i}` })));
  const all = [...ids, ...burst.map((r) => r.callId)];
  for (const id of all) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(all).size, all.length);
  const stamp = (id: string) => Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
  for (let i = 1; i < ids.length; i++) assert.ok(stamp(ids[i]!) >= stamp(ids[i - 1]!), "timestamps never go back");
  assert.ok(stamp(ids.at(-1)!) > stamp(ids[0]!), "calls milliseconds apart get later ids");
  assert.ok(Math.abs(stamp(ids[0]!) - Date.now()) < 60_000, "the timestamp is the call's start time");
});
