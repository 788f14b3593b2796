/**
 * One worker process of the scale bench: a Ballast client sharing breakers (and, when given, a rate
 * limit) through Redis, taking rows from a Redis list with `concurrency` callers until the list is empty.
 * Starts at the instant agreed through Redis; prints one JSON line: the window it worked in, the rows it
 * answered and the start of every attempt.
 */
import { Redis } from "ioredis";
import { z } from "zod";
import { type RateLimit, createBallast } from "ballast";
import { openai } from "ballast/openai";
import { redis } from "ballast/redis";

const args = JSON.parse(process.argv[2]!) as {
  simUrl: string;
  redisUrl: string;
  prefix: string;
  workers: number;
  concurrency: number;
  limit?: RateLimit;
};
const Row = z.object({ label: z.enum(["spam", "ham"]), score: z.number() });
const shared = await redis(args.redisUrl, { prefix: args.prefix, commandTimeoutMs: 1_000 });
const llm = createBallast({
  models: [openai("scale", { baseURL: `${args.simUrl}/v1`, apiKey: "k" })],
  shared,
  ...(args.limit ? { rateLimits: { "*": args.limit } } : {}),
  deadlineMs: 120_000,
  traces: false,
});
const queue = new Redis(args.redisUrl, { commandTimeout: 5_000 });
if ((await queue.incr(`${args.prefix}ready`)) === args.workers) await queue.set(`${args.prefix}start`, Date.now() + 200);
let startAt: string | null = null;
while (!(startAt = await queue.get(`${args.prefix}start`))) await new Promise((r) => setTimeout(r, 5));
const start = Number(startAt);
while (Date.now() < start) await new Promise((r) => setTimeout(r, Math.max(1, start - Date.now())));

const answered: string[] = [];
const starts: number[] = [];
async function caller() {
  for (let id = await queue.lpop(`${args.prefix}rows`); id !== null; id = await queue.lpop(`${args.prefix}rows`)) {
    const r = await llm.generate({ schema: Row, instructions: "Classify the message.", input: `row-${id}` });
    for (const a of r.attempts) starts.push(a.startedAt);
    answered.push(id);
  }
}
await Promise.all(Array.from({ length: args.concurrency }, caller));
const end = Date.now();
console.log(JSON.stringify({ start, end, answered, starts }));
queue.disconnect();
await shared.close();
