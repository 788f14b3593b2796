/**
 * The scale bench's peer: a bare BullMQ worker calling the official openai SDK straight (strict JSON
 * schema, the SDK's own two retries), no Ballast. Same queue semantics (BullMQ stalled-job recovery), none of
 * Ballast's checks: no validation or repair of the reply, no fallback, no ledger, no output file in input order.
 * Args: redis URL, queue name, concurrency, simulator URL, worker name.
 */
import { Worker } from "bullmq";
import OpenAI from "openai";

const [redisUrl, queue, concurrency, simUrl, name] = process.argv.slice(2) as [string, string, string, string, string];
const client = new OpenAI({ baseURL: `${simUrl}/v1`, apiKey: "k", timeout: 120_000 });
const schema = {
  type: "object",
  properties: { label: { type: "string", enum: ["spam", "ham"] }, score: { type: "number" } },
  required: ["label", "score"],
  additionalProperties: false,
};
const u = new URL(redisUrl);
const worker = new Worker(
  queue,
  async (job) => {
    const r = await client.chat.completions.create({
      model: "scale",
      messages: [
        { role: "system", content: "Classify the message." },
        { role: "user", content: String(job.data.input) },
      ],
      response_format: { type: "json_schema", json_schema: { name: "row", strict: true, schema } },
    });
    return JSON.parse(r.choices[0]?.message.content ?? "null");
  },
  { connection: { host: u.hostname, port: Number(u.port || 6379) }, concurrency: Number(concurrency), name, prefix: "ballast-peer" },
);
worker.on("error", () => {});
process.on("SIGTERM", () => void worker.close().then(() => process.exit(0)));
