// A distributed batch from the command line: `ballast batch --queue` enqueues 300 rows, two `ballast worker`
// processes run them, and one worker is killed with `kill -9` twice (restarted in between). The rows the dead
// worker held go back to the queue; the output has every row once, in input order; the only rows the simulator
// saw more than once are rows a worker held when it was killed (a finished row is never sent again); and the
// queue is empty afterwards.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Simulator, startSimulator } from "ballast/testing";
import { rows, tempDir } from "../batch/helpers.js";
import { ensureMainRedis } from "../redis/helpers.js";
import { ballast, dropQueue, exitOf, inputFile, inspectQueue, jsonl, queueName, taskModule, waitFor } from "./helpers.js";

let sim: Simulator;
let url: string;
before(async () => {
  url = await ensureMainRedis();
  sim = await startSimulator({ seed: 31, requestLogLimit: 10_000, models: { "sim-queue": { ttftMs: 200 } } });
});
after(() => sim.close());

test("kill -9 a worker twice mid-batch: no row lost, none in the output twice, no finished row sent again", {
  timeout: 240_000,
}, async () => {
  const name = queueName();
  const marker = randomUUID().slice(0, 8);
  const dir = tempDir("queue-kill");
  const total = 300;
  const input = inputFile(
    dir,
    rows(total).map((r) => ({ ...r, input: `${r.input} run-${marker}` })),
  );
  const out = join(dir, "out.jsonl");
  const env = { BALLAST_SIM_URL: sim.url, BATCH_TASK_MODEL: "sim-queue" };
  const worker = (workerName: string, concurrency: number) =>
    ballast(
      ["worker", "--queue", url, "--queue-name", name, "--task", taskModule, "--concurrency", String(concurrency)].concat([
        "--name",
        workerName,
        "--lock-ms",
        "3000",
        "--stalled-ms",
        "1000",
      ]),
      env,
    );
  const queue = inspectQueue(url, name);
  /** Rows the simulator received, per row id. */
  const sent = () => {
    const n = new Map<number, number>();
    for (const r of sim.requests) {
      const text = JSON.stringify(r.body ?? "");
      const m = text.includes(`run-${marker}`) ? /ticket-(\d+)\b/.exec(text) : null;
      if (m) n.set(Number(m[1]), (n.get(Number(m[1])) ?? 0) + 1);
    }
    return n;
  };
  const holding = async (workerName: string) =>
    (await queue.getActive()).filter((j) => (j as { processedBy?: string }).processedBy === workerName).length > 0;
  /** Once the worker holds rows, kills it with SIGKILL; returns the rows it held then (still active under its name). */
  const kill = async (victim: ReturnType<typeof worker>, victimName: string) => {
    await waitFor(
      () => holding(victimName),
      () => `${victimName} running rows (its stderr: ${victim.stderr()})`,
      120_000,
    );
    victim.process.kill("SIGKILL");
    await victim.exited;
    const active = await queue.getActive();
    return active.filter((j) => (j as { processedBy?: string }).processedBy === victimName).map((j) => (j.data as { id: number }).id);
  };

  const steady = worker("steady", 2);
  let victim = worker("victim-1", 4);
  const enqueuer = ballast(["batch", input, "--task", taskModule, "--queue", url, "--queue-name", name, "--out", out], env);
  try {
    await waitFor(() => sent().size >= 40, "40 rows sent", 120_000);
    const held1 = await kill(victim, "victim-1");
    victim = worker("victim-2", 4);
    await waitFor(() => sent().size >= 100, "100 rows sent", 120_000);
    const held2 = await kill(victim, "victim-2");
    assert.ok(held1.length > 0 && held2.length > 0, "the killed worker held rows each time it died");

    assert.equal(await exitOf(enqueuer, 180_000), 0, enqueuer.stderr());
    const lines = jsonl(out);
    assert.deepEqual(
      lines.map((l) => l.id),
      Array.from({ length: total }, (_, i) => i),
      "every row once, in input order",
    );
    assert.ok(lines.every((l) => l.source === "model"));

    const counts = sent();
    assert.equal(counts.size, total, "every row reached the model");
    const held = new Map<number, number>();
    for (const id of [...held1, ...held2]) held.set(id, (held.get(id) ?? 0) + 1);
    for (const [id, n] of counts) {
      if (n > 1) assert.ok(held.has(id), `row ${id} was sent ${n} times but no dead worker held it`);
      assert.ok(n <= 1 + (held.get(id) ?? 0), `row ${id} was sent ${n} times`);
    }
    const left = await queue.getJobCounts("waiting", "active", "delayed", "completed", "failed");
    assert.deepEqual(Object.values(left), [0, 0, 0, 0, 0], `the queue is empty: ${JSON.stringify(left)}`);
    assert.match(enqueuer.stderr(), /300 rows finished/);
  } finally {
    for (const c of [steady, victim, enqueuer]) if (c.process.exitCode === null) c.process.kill("SIGTERM");
    await Promise.all([steady, victim, enqueuer].map((c) => exitOf(c, 30_000).catch(() => null)));
    await queue.close();
    await dropQueue(url, name);
  }
});
