import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { buildThenPin, startSimulatorProcess } from "../shared/pinned-simulator.js";
import OpenAI from "openai";
import { Agent, fetch as undiciFetch, request } from "undici";

const { values: args } = parseArgs({ options: { calls: { type: "string", default: "1000" }, rounds: { type: "string", default: "9" } } });
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);
const POOL = 32;

const pinned = buildThenPin("BALLAST_BENCH_TRANSPORT_PINNED");
const { leanFetch } = (await import(
  new URL("../../dist/providers/openai/index.js", import.meta.url).href
)) as typeof import("../../src/providers/openai/index.js");

const sim = await startSimulatorProcess(pinned);
const url = sim.url;

const agent = new Agent();
const headersOf = (raw: Record<string, string | string[] | undefined>) => {
  const h = new Headers();
  for (const k in raw) {
    const v = raw[k];
    if (typeof v === "string") h.append(k, v);
    else if (v) for (const x of v) h.append(k, x);
  }
  return h;
};
/** The textbook lean fetch: undici request(), the Node body handed to a plain Response. */
const requestWithResponse: typeof fetch = async (input, init) => {
  const res = await request(String(input), {
    method: (init?.method ?? "GET") as "POST",
    headers: init?.headers as Record<string, string>,
    body: init?.body as string,
    signal: init?.signal ?? undefined,
    dispatcher: agent,
  });
  return new Response(res.body as unknown as ReadableStream, { status: res.statusCode, headers: headersOf(res.headers) });
};
const undici7: typeof fetch = (input, init) =>
  undiciFetch(input as string, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;

const variants: Array<{ name: string; fetch?: typeof fetch }> = [
  { name: "Node 20 built-in fetch (SDK default)" },
  { name: "undici 7 fetch + Agent", fetch: undici7 },
  { name: "undici request() + Response(stream)", fetch: requestWithResponse },
  { name: "Ballast leanFetch", fetch: leanFetch },
];
const clients = variants.map(
  (v) => new OpenAI({ apiKey: "x", baseURL: `${url}/v1`, maxRetries: 0, ...(v.fetch ? { fetch: v.fetch } : {}) }),
);
const body = {
  model: "sim-bench",
  messages: [
    { role: "system" as const, content: "Classify the ticket." },
    { role: "user" as const, content: "ticket: the app crashes when I click save" },
  ],
  response_format: {
    type: "json_schema" as const,
    json_schema: {
      name: "ticket",
      strict: true,
      schema: {
        type: "object",
        properties: { label: { type: "string", enum: ["bug", "feature", "question"] }, priority: { type: "integer" } },
        required: ["label", "priority"],
        additionalProperties: false,
      },
    },
  },
};

async function block(client: OpenAI) {
  let left = CALLS;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: POOL }, async () => {
      while (left-- > 0) {
        const r = await client.chat.completions.create(body);
        JSON.parse(r.choices[0]?.message.content ?? "");
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000 / CALLS, perSecond: CALLS / ((performance.now() - t0) / 1000) };
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

try {
  const load0 = loadavg()[0] as number;
  for (const c of clients) await block(c); // warm up: JIT, connections
  const seen = variants.map(() => ({ cpu: [] as number[], rate: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < variants.length; i++) {
      const k = (i + round) % variants.length;
      const b = await block(clients[k] as OpenAI);
      seen[k]?.cpu.push(b.cpuMs);
      seen[k]?.rate.push(b.perSecond);
    }
  }
  const rows = variants.map((v, k) => ({ name: v.name, cpu: median(seen[k]?.cpu ?? []), rate: median(seen[k]?.rate ?? []) }));
  const base = rows[0]?.cpu as number;
  console.log(
    `\ntransport bench: node ${process.version}, openai SDK chat.completions.create, ${POOL} in flight, ${ROUNDS} rounds x ${CALLS} calls, medians`,
  );
  console.log(`load average (1 min) ${load0.toFixed(2)} at the start, ${(loadavg()[0] as number).toFixed(2)} at the end\n`);
  console.log("| fetch under the SDK                     | client CPU ms/call | x built-in | calls/s |");
  console.log("| --------------------------------------- | ------------------ | ---------- | ------- |");
  for (const r of rows)
    console.log(
      `| ${r.name.padEnd(39)} | ${r.cpu.toFixed(3).padEnd(18)} | ${(r.cpu / base).toFixed(2).padEnd(10)} | ${r.rate.toFixed(0).padEnd(7)} |`,
    );
  const lean = rows[3] as (typeof rows)[number];
  console.log(
    `RESULT transport ${JSON.stringify({
      builtin_cpu_ms_per_call: Number(base.toFixed(3)),
      undici7_fetch_cpu_ms_per_call: Number((rows[1] as (typeof rows)[number]).cpu.toFixed(3)),
      request_response_cpu_ms_per_call: Number((rows[2] as (typeof rows)[number]).cpu.toFixed(3)),
      lean_fetch_cpu_ms_per_call: Number(lean.cpu.toFixed(3)),
      lean_vs_builtin: Number((lean.cpu / base).toFixed(2)),
      load_avg_1m: Number(load0.toFixed(2)),
    })}`,
  );
} finally {
  sim.stop();
  await agent.close();
}
