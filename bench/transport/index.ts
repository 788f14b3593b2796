// Transport bench: client CPU per `openai` SDK `chat.completions.create` call against a zero-latency simulator
// in its own process, the SDK's `fetch` being, in turn: Node's built-in fetch (the SDK's default), undici 7's
// fetch with its own Agent, undici `request()` under a plain `Response` over the Node stream (the textbook
// lean fetch), and Ballast's `leanFetch` (request() + a JSON reply held in one piece). Pools of 32 calls in
// flight; blocks interleaved, order rotated each round; medians. With `taskset`, this process runs on core 1
// and the simulator on core 0.
// Usage: npm run bench -- transport [--calls 1000] [--rounds 9]
import { spawn, spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import OpenAI from "openai";
import { Agent, fetch as undiciFetch, request } from "undici";

const { values: args } = parseArgs({ options: { calls: { type: "string", default: "1000" }, rounds: { type: "string", default: "9" } } });
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);
const POOL = 32;
const root = new URL("../../", import.meta.url).pathname;

const PIN_ENV = "BALLAST_BENCH_TRANSPORT_PINNED";
if (process.env[PIN_ENV] === undefined) {
  const build = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], {
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error("the build (tsc -p tsconfig.build.json) failed");
  if (cpus().length >= 2 && spawnSync("taskset", ["-c", "1", "true"]).status === 0) {
    const rerun = spawnSync("taskset", ["-c", "1", process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: "inherit",
      env: { ...process.env, [PIN_ENV]: "1" },
    });
    process.exit(rerun.status ?? 1);
  }
}
const pinned = process.env[PIN_ENV] === "1";
const { leanFetch } = (await import(
  new URL("../../dist/providers/openai/index.js", import.meta.url).href
)) as typeof import("../../src/providers/openai/index.js");

const command = [process.execPath, join(root, "bin/ballast.js"), "simulate", "--port", "0"];
const [file, ...rest] = pinned ? ["taskset", "-c", "0", ...command] : command;
const sim = spawn(file as string, rest, { stdio: ["ignore", "pipe", "ignore"] });
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: sim.stdout }).once("line", (l) => resolve(l.trim()));
  sim.once("exit", (code) => reject(new Error(`ballast simulate exited with ${code}`)));
});

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
  sim.kill();
  await agent.close();
}
