/**
 * The scale bench's simulator, in a process of its own so the workers' CPU does not slow it: one model
 * answering after 300 ms, no faults. On the parent's `counts` message it reports the calls each row received
 * (rows are named `row-<id>` in the prompt) since the last report, and its request and client-abort totals: a
 * request whose client went away before the reply (its worker was killed) was never answered, so never billed.
 */
import { startSimulator } from "ballast/testing";

// large enough that no request of a bench run is dropped from the log before it is counted
const sim = await startSimulator({
  seed: 7,
  requestLogLimit: 1_000_000,
  models: { scale: { ttftMs: 300, tokensPerSecond: 0, faults: {} } },
});
let counted = 0;

process.on("message", (m: { type: string }) => {
  if (m.type === "counts") {
    const counts = new Map<string, number>();
    for (; counted < sim.requests.length; counted++) {
      const row = /row-([\w-]+)/.exec(JSON.stringify(sim.requests[counted]!.body))?.[1];
      if (row) counts.set(row, (counts.get(row) ?? 0) + 1);
    }
    const s = sim.stats();
    process.send!({ type: "counts", counts: Object.fromEntries(counts), requests: s.totalRequests, aborted: s.abortedRequests });
  } else if (m.type === "close") {
    void sim.close().then(() => process.exit(0));
  }
});
process.send!({ type: "ready", url: sim.url });
