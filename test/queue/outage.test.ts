// Redis trouble in a distributed batch, through `ballast/batch/queue` against a private redis-server this test
// stops and starts. Stopped mid-run (and restarted empty, as a server without persistence comes back): both
// sides report the pause and the recovery, the enqueuer enqueues again the rows Redis lost, and the output
// still has every row once, in order. Gone for good: the enqueuer and the worker give up with a
// QueueUnavailableError, and the command line says so with exit code 1.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readRows } from "ballast/batch";
import { type BatchWorkerEvent, type QueueBatchEvent, QueueUnavailableError, enqueueBatch, startBatchWorker } from "ballast/batch/queue";
import { type Simulator, startSimulator } from "ballast/testing";
import { rows, tempDir, ticketTask } from "../batch/helpers.js";
import { PrivateRedis, freePort } from "../redis/helpers.js";
import { ballast, exitOf, inputFile, jsonl, queueName, taskModule, waitFor } from "./helpers.js";

let sim: Simulator;
let server: PrivateRedis;
before(async () => {
  sim = await startSimulator({ seed: 32, models: { "sim-outage": { ttftMs: 100 } } });
  server = await PrivateRedis.start();
});
after(async () => {
  await server.down();
  await sim.close();
});

test("Redis stopped mid-run and restarted empty: both sides pause and resume, every row lands once, in order", {
  timeout: 180_000,
}, async () => {
  const name = queueName();
  const dir = tempDir("queue-outage");
  const total = 150;
  const input = inputFile(dir, rows(total));
  const out = join(dir, "out.jsonl");
  const task = ticketTask(sim.url, "sim-outage");
  const common = { url: server.url, name, commandTimeoutMs: 500, outageMs: 60_000 };
  const workerEvents: BatchWorkerEvent[] = [];
  const worker = await startBatchWorker(task, {
    ...common,
    concurrency: 4,
    lockMs: 3_000,
    stalledIntervalMs: 1_000,
    onEvent: (e) => workerEvents.push(e),
  });
  const events: QueueBatchEvent[] = [];
  const run = enqueueBatch(task, readRows(input), {
    ...common,
    journal: join(dir, "journal.db"),
    output: { path: out },
    pollMs: 50,
    onEvent: (e) => events.push(e),
  });
  const finished = run.done();
  try {
    const collected = () => events.filter((e) => e.type === "row").length;
    await waitFor(() => collected() >= 30, "30 rows collected");
    await server.down();
    await waitFor(() => events.some((e) => e.type === "queue_paused"), "the enqueuer reports the pause", 30_000);
    await waitFor(() => workerEvents.some((e) => e.type === "queue_paused"), "the worker reports the pause", 30_000);
    const before = collected();
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(collected(), before, "nothing is collected while Redis is down");
    await server.up();

    const summary = await finished;
    assert.equal(summary.reason, "done");
    assert.equal(summary.counts.failed, 0);
    assert.ok(events.some((e) => e.type === "queue_resumed"));
    assert.ok(workerEvents.some((e) => e.type === "queue_resumed"));
    assert.deepEqual(
      jsonl(out).map((l) => l.id),
      Array.from({ length: total }, (_, i) => i),
      "every row once, in input order",
    );
  } finally {
    await worker.close();
    await finished.catch(() => {});
  }
});

test("Redis gone for good: the enqueuer and the worker give up with a QueueUnavailableError", { timeout: 60_000 }, async () => {
  const dead = `redis://127.0.0.1:${await freePort()}`;
  const dir = tempDir("queue-dead");
  const task = ticketTask(sim.url, "sim-outage");
  const options = { url: dead, name: queueName(), commandTimeoutMs: 200, outageMs: 1_000 };
  await assert.rejects(
    enqueueBatch(task, readRows(inputFile(dir, rows(3))), { ...options, journal: join(dir, "journal.db") }).done(),
    (e: unknown) => e instanceof QueueUnavailableError && e.kind === "queue_unavailable" && e.url === `${dead}`,
  );
  await assert.rejects(startBatchWorker(task, options), QueueUnavailableError);

  // a worker that was running when Redis went away stops the same way
  const name = queueName();
  const worker = await startBatchWorker(task, { url: server.url, name, commandTimeoutMs: 200, outageMs: 1_000 });
  await server.down();
  try {
    await assert.rejects(worker.done, QueueUnavailableError);
  } finally {
    await server.up();
  }
});

test("the command line: Redis unreachable is exit code 1 with what to do", { timeout: 120_000 }, async () => {
  const dead = `redis://127.0.0.1:${await freePort()}`;
  const dir = tempDir("queue-dead-cli");
  const input = inputFile(dir, rows(2));
  const env = { BALLAST_SIM_URL: sim.url };
  const batch = ballast(
    ["batch", input, "--task", taskModule, "--queue", dead, "--out", join(dir, "out.jsonl"), "--outage-ms", "1000"],
    env,
  );
  const worker = ballast(["worker", "--task", taskModule, "--queue", dead, "--outage-ms", "1000"], env);
  assert.equal(await exitOf(batch, 60_000), 1);
  assert.match(batch.stderr(), /Redis at redis:\/\/127\.0\.0\.1:\d+\/? did not answer for \d+ ms/);
  assert.match(batch.stderr(), /run the same command once Redis answers/);
  assert.equal(await exitOf(worker, 60_000), 1);
  assert.match(worker.stderr(), /did not answer for \d+ ms/);
});
