// Issue 7A end to end against the simulator's provider-faithful caching: 1,000 calls sharing a ~2,000-token
// stable prefix stay >= 90% cached on OpenAI and Anthropic; a timestamp in the system prompt is flagged as a
// cache-buster naming the section, with the tokens it costs per call.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { anthropic } from "ballast/anthropic";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { cachedShare, prefixTokensOf, inputOf, runWorkload } from "./workload.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 7 });
});
after(() => sim.close());

const CALLS = 1000;
const models = {
  openai: () => openai("gpt-cache", { baseURL: `${sim.url}/v1`, apiKey: "test" }),
  anthropic: () => anthropic("claude-cache", { baseURL: sim.url, apiKey: "test" }),
};

for (const provider of ["openai", "anthropic"] as const) {
  test(`${provider}: 1,000 calls sharing a ~2,000-token stable prefix are >= 90% cached after the first`, async () => {
    const run = await runWorkload(models[provider](), { calls: CALLS, concurrency: 20, busted: false, task: `stable-${provider}` });
    assert.equal(run.results.filter((r) => r.source === "model").length, CALLS);
    const prefix = prefixTokensOf(run.results[1]!, provider, inputOf(1));
    assert.ok(prefix >= 1800 && prefix <= 2600, `stable prefix ~2,000 tokens, got ${prefix}`);
    const share = cachedShare(run, provider);
    assert.ok(share >= 0.9, `cached share ${share.toFixed(3)}`);
    assert.equal(run.events.filter((e) => e.type === "cache_buster").length, 0, "no buster on a stable layout");
    const layoutWarnings = run.events.filter((e) => e.type === "warning" && !/price unknown/.test(e.message));
    assert.equal(layoutWarnings.length, 0, "no warning on a cacheable layout");
    if (provider === "anthropic") {
      assert.ok(run.results[0]!.usage.cacheWriteTokens >= 1800, "the first call writes the prefix");
    }
  });

  test(`${provider}: the same workload with a timestamp in the system prompt is flagged as a cache-buster`, async () => {
    const run = await runWorkload(models[provider](), { calls: CALLS, concurrency: 20, busted: true, task: `busted-${provider}` });
    const busters = run.events.filter((e) => e.type === "cache_buster");
    assert.equal(busters.length, CALLS - 1, "every call after the first");
    for (const b of busters) {
      assert.equal(b.task, `busted-${provider}`);
      assert.equal(b.section, "instructions");
      assert.ok(b.tokensLost > 1500 && b.tokensLost < 3500, `tokens lost per call ~ the prefix, got ${b.tokensLost}`);
    }
    assert.ok(cachedShare(run, provider) < 0.1, "the busted layout is (almost) never cached");
    const hints = run.events.filter((e) => e.type === "warning" && /looks like a date-time/.test(e.message));
    assert.equal(hints.length, 1, "one warning that the section holds a timestamp, on the first call");
    if (provider === "anthropic") {
      // A write nobody reads costs 1.25x: after 3 busted calls in a row Ballast stops asking for one.
      const writes = run.results.filter((r) => r.usage.cacheWriteTokens > 0).length;
      assert.ok(writes >= 1 && writes <= 3 + 20, `cache writes on ${writes} calls`);
      const last = sim.requests.filter((q) => (q.body as { model?: string }).model === "claude-cache").at(-1)!;
      assert.equal(JSON.stringify(last.body).includes("cache_control"), false);
    }
  });
}
