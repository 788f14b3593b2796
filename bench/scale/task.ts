/**
 * The scale bench's task, loaded by every `ballast worker` process and by the enqueuer: classify one row on
 * the simulator's `scale` model (300 ms a call). SCALE_SIM_URL names the simulator; SCALE_STARTS, when set, is
 * a file the process writes the start time of each of its calls to when it exits (a listener, lighter than a
 * trace store); SCALE_LIMIT (requests a second) and SCALE_PREFIX put the process under a rate limit shared
 * through Redis (SCALE_REDIS) with every other worker.
 */
import { writeFileSync } from "node:fs";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { redis } from "ballast/redis";

const env = process.env;
if (!env.SCALE_SIM_URL) throw new Error("SCALE_SIM_URL is not set");
const limit = env.SCALE_LIMIT ? Number(env.SCALE_LIMIT) : null;
const shared = limit
  ? await redis(env.SCALE_REDIS ?? "redis://127.0.0.1:6379", { prefix: env.SCALE_PREFIX, commandTimeoutMs: 1_000 })
  : undefined;

const starts: number[] = [];
const startsFile = env.SCALE_STARTS;
if (startsFile) process.once("exit", () => writeFileSync(startsFile, starts.join("\n")));

const llm = createBallast({
  models: [openai("scale", { baseURL: `${env.SCALE_SIM_URL}/v1`, apiKey: "k", price: { inputPerMTok: 0.4, outputPerMTok: 1.6 } })],
  // a burst of one second's worth absorbs callers woken late on a loaded machine
  ...(shared && limit ? { shared, rateLimits: { "*": { requests: limit * 60, windowMs: 60_000 } } } : {}),
  deadlineMs: 120_000,
  traces: false,
  ...(startsFile ? { onEvent: (e) => e.type === "attempt_end" && starts.push(e.attempt.startedAt) } : {}),
});

export default llm.task({
  name: "scale-classify",
  schema: z.object({ label: z.enum(["spam", "ham"]), score: z.number() }),
  instructions: "Classify the message.",
  fallback: { label: "ham", score: 0 },
});
