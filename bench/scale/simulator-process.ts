/**
 * The scale bench's simulator, in a process of its own so the workers' CPU does not slow it: one model
 * answering after 300 ms, no faults. It counts the calls each row received (rows are named `row-<id>` in
 * the prompt) and answers the parent's `counts` message with them over IPC.
 */
import { startSimulator } from "ballast/testing";

const sim = await startSimulator({ seed: 7, models: { scale: { ttftMs: 300, tokensPerSecond: 0, faults: {} } } });
const counts = new Map<string, number>();
const seen = new WeakSet<object>();

/** The simulator keeps its last 500 requests; reading them every 20 ms sees each one at this bench's rates. */
function scan() {
  for (const r of sim.requests) {
    if (seen.has(r)) continue;
    seen.add(r);
    const row = /row-([\w-]+)/.exec(JSON.stringify(r.body))?.[1];
    if (row) counts.set(row, (counts.get(row) ?? 0) + 1);
  }
}
const timer = setInterval(scan, 20);

process.on("message", (m: { type: string }) => {
  if (m.type === "counts") {
    scan();
    process.send!({ type: "counts", counts: Object.fromEntries(counts) });
  } else if (m.type === "close") {
    clearInterval(timer);
    void sim.close().then(() => process.exit(0));
  }
});
process.send!({ type: "ready", url: sim.url });
