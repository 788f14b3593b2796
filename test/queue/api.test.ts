// `ballast/batch/queue` in one process against the machine's Redis: options checked up front by name; a run
// stopped after enqueueing leaves its rows queued, and the same run started again collects what the workers
// did meanwhile without sending any row twice (the job ids are the rows' hashes); a finished batch started
// again sends nothing; a worker started with another task refuses the rows and stops.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { expectTypeOf } from "expect-type";
import { z } from "zod";
import { ConfigurationError, createBallast } from "ballast";
import { type BatchRowResult, readRows } from "ballast/batch";
import { enqueueBatch, type QueueBatchEvent, type QueueUnavailableError, startBatchWorker } from "ballast/batch/queue";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { rows, tempDir, ticketTask } from "../batch/helpers.js";
import { ensureMainRedis } from "../redis/helpers.js";
import { dropQueue, inputFile, inspectQueue, jsonl, queueName, waitFor } from "./helpers.js";

let sim: Simulator;
let url: string;
before(async () => {
  url = await ensureMainRedis();
  sim = await startSimulator({ seed: 33, requestLogLimit: 10_000, models: { "sim-api": { ttftMs: 20 } } });
});
after(() => sim.close());

const sentWith = (text: string) => sim.requests.filter((r) => JSON.stringify(r.body ?? "").includes(text)).length;

test("public types: rows carry the task's value type; the outage error narrows on its kind", () => {
  const task = ticketTask(sim.url, "sim-api");
  const run = enqueueBatch(task, [], { url, journal: join(tempDir("queue-types"), "j.db") });
  expectTypeOf(run).toExtend<AsyncIterable<BatchRowResult<{ label: "bug" | "feature" | "question"; priority: number }>>>();
  expectTypeOf<QueueUnavailableError["kind"]>().toEqualTypeOf<"queue_unavailable">();
  expectTypeOf<Extract<QueueBatchEvent, { type: "row" }>["job"]["worker"]>().toEqualTypeOf<string | null>();
});

test("options are checked up front, naming the one at fault", async () => {
  const task = ticketTask(sim.url, "sim-api");
  const dir = tempDir("queue-options");
  const base = { url, journal: join(dir, "j.db") };
  await assert.rejects(
    enqueueBatch(task, [], { ...base, maxQueued: 0 }).done(),
    (e: unknown) => e instanceof ConfigurationError && /maxQueued/.test(e.message),
  );
  await assert.rejects(enqueueBatch(task, [], { ...base, url: "http://x" }).done(), /not a redis:\/\/ or rediss:\/\/ URL/);
  await assert.rejects(enqueueBatch(task, [], { ...base, name: "a:b" }).done(), /name must be letters/);
  await assert.rejects(
    startBatchWorker(task, { url, concurrency: 0 }),
    (e: unknown) => e instanceof ConfigurationError && /concurrency/.test(e.message),
  );
  await assert.rejects(startBatchWorker(task, { url, lockMs: 10 }), /lockMs must be a whole number from 100/);
});

test("a stopped run leaves its rows queued; run again, it collects them and sends no row twice", { timeout: 120_000 }, async () => {
  const name = queueName();
  const dir = tempDir("queue-resume");
  const total = 40;
  const marker = `resume-${name}`;
  const input = inputFile(
    dir,
    rows(total).map((r) => ({ ...r, input: `${r.input} ${marker}` })),
  );
  const task = ticketTask(sim.url, "sim-api");
  const options = { url, name, journal: join(dir, "journal.db"), output: { path: join(dir, "out.jsonl") }, pollMs: 50 };
  const queue = inspectQueue(url, name);
  try {
    // no worker yet: the run enqueues every row, then is stopped
    const stop = new AbortController();
    const first = enqueueBatch(task, readRows(input), {
      ...options,
      signal: stop.signal,
      onEvent: (e) => e.type === "start" && setTimeout(() => stop.abort(), 500),
    });
    const stopped = await first.done();
    assert.equal(stopped.reason, "signal");
    assert.equal(await queue.getWaitingCount(), total, "the rows wait in the queue");

    const worker = await startBatchWorker(task, { url, name, concurrency: 8 });
    try {
      await waitFor(async () => (await queue.getCompletedCount()) >= total / 2, "half the rows run with no enqueuer");
      const events: QueueBatchEvent[] = [];
      const second = await enqueueBatch(task, readRows(input), { ...options, onEvent: (e) => events.push(e) }).done();
      assert.equal(second.reason, "done");
      assert.equal(second.counts.done, total);
      assert.equal(sentWith(marker), total, "each row was sent once across both runs");
      assert.deepEqual(
        jsonl(options.output.path).map((l) => l.id),
        Array.from({ length: total }, (_, i) => i),
      );
      const ran = events.flatMap((e) => (e.type === "row" ? [e.job.worker] : []));
      assert.ok(ran.length === total && ran.every((w) => w === worker.name), "the row events name the worker");

      // finished: running it once more sends nothing and writes the same file
      const before = readFileSync(options.output.path, "utf8");
      const third = await enqueueBatch(task, readRows(input), options).done();
      assert.equal(third.counts.skipped, total);
      assert.equal(third.counts.done, 0);
      assert.equal(readFileSync(options.output.path, "utf8"), before);
      assert.equal(sentWith(marker), total);
      assert.equal(await queue.count(), 0, "nothing was enqueued");
    } finally {
      await worker.close();
    }
  } finally {
    await queue.close();
    await dropQueue(url, name);
  }
});

test("a worker with another task puts the rows back and stops; the right one runs them", { timeout: 120_000 }, async () => {
  const name = queueName();
  const dir = tempDir("queue-mismatch");
  const input = inputFile(dir, rows(6));
  const task = ticketTask(sim.url, "sim-api");
  const other = createBallast({ models: [openai("sim-api", { baseURL: `${sim.url}/v1`, apiKey: "x" })], traces: false }).task({
    name: "ticket-triage",
    schema: z.object({ label: z.string() }),
    instructions: "A different task: label the ticket. other-task-marker",
  });
  const run = enqueueBatch(task, readRows(input), {
    url,
    name,
    journal: join(dir, "journal.db"),
    output: { path: join(dir, "out.jsonl") },
  });
  const finished = run.done();
  try {
    const wrong = await startBatchWorker(other, { url, name });
    await assert.rejects(wrong.done, (e: unknown) => e instanceof ConfigurationError && /enqueued with another task/.test(e.message));
    assert.equal(sentWith("other-task-marker"), 0, "the wrong worker sent nothing");
    const right = await startBatchWorker(task, { url, name });
    try {
      const summary = await finished;
      assert.equal(summary.counts.done, 6);
      assert.equal(summary.counts.failed, 0);
    } finally {
      await right.close();
    }
  } finally {
    await finished.catch(() => {});
    await dropQueue(url, name);
  }
});
