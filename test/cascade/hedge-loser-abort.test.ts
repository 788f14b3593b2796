// A hedge's loser is aborted when the winner answers: the call's end reaches the loser's socket (the server
// sees the client close it), not only its record.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { waitFor } from "../simulator/helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 9, models: { hangs: { faults: { hang: 1 } } } });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });

test("the hedged primary that never answers is aborted once the backup wins", async () => {
  const llm = createBallast({ models: [model("hangs"), model("answers")], hedge: { afterMs: 20 }, timeoutMs: 60_000, traces: false });
  const abortedBefore = sim.stats().abortedRequests;
  const r = await llm.generate({ schema: z.object({ label: z.enum(["a", "b"]) }), input: "x" });
  assert.equal(r.model, "answers");
  assert.equal(r.attempts.find((a) => a.model === "hangs")?.outcome, "aborted");
  // the attempt's own timeout is a minute away: only the loser's abort closes the request this soon
  assert.ok(await waitFor(() => sim.stats().hangingRequests === 0 && sim.stats().abortedRequests === abortedBefore + 1, 10_000));
});
