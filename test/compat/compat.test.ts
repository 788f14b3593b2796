// Third-party clients, unchanged, against the simulator: each scenario of test/compat/index.ts is a test.
// `npm run compat` runs the same scenarios and rewrites docs/COMPATIBILITY.md.
import { after, before, test } from "node:test";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { SCENARIOS } from "./index.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 11 });
});
after(() => sim.close());

for (const s of SCENARIOS) test(`${s.client} | ${s.kind} | ${s.detail}`, () => s.run(sim));
