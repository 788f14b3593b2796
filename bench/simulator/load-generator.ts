// Child process of the simulator bench: drives load at a simulator over loopback keep-alive connections
// (raw HTTP/1.1 on sockets for rps so the generator is not the bottleneck; an http.Agent for hangs).
// Modes: `rps <url> <seconds> <concurrency>` prints {"done":n,"errors":e,"ms":t}; `hang <url> <count>` opens
// <count> hanging requests, prints {"opened":n} once all are sent, and exits (closing them) on "close" on stdin.
import http from "node:http";
import net from "node:net";

const [mode, url, a, b] = process.argv.slice(2);
const target = new URL(url as string);

/** A typical structured-output request; `n` varies the review so every request is a new prompt and answer. */
function requestBody(n: number): string {
  return JSON.stringify({
    model: "bench-model",
    messages: [
      { role: "system", content: "Classify the sentiment of the review. Reply with JSON." },
      { role: "user", content: `Review #${n}: the battery life is fantastic but the screen scratches easily.` },
    ],
    response_format: {
      type: "json_schema",
      json_schema: {
        name: "review",
        strict: true,
        schema: {
          type: "object",
          properties: {
            sentiment: { type: "string", enum: ["positive", "negative", "neutral"] },
            score: { type: "number", minimum: 0, maximum: 1 },
            topics: { type: "array", items: { type: "string" }, maxItems: 3 },
          },
          required: ["sentiment", "score", "topics"],
          additionalProperties: false,
        },
      },
    },
  });
}
const body = requestBody(0);
let sent = 0;

function rawRequest(): Buffer {
  const payload = requestBody(++sent);
  return Buffer.from(
    `POST /v1/chat/completions HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: keep-alive\r\n\r\n${payload}`,
  );
}

/** One keep-alive connection sending requests back to back, parsing only what it needs of each response. */
function connectionLoop(deadline: number, counts: { done: number; errors: number }): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.hostname, port: Number(target.port) });
    socket.setNoDelay(true);
    let buffer: Buffer = Buffer.alloc(0);
    const send = () => {
      if (Date.now() >= deadline) {
        socket.end();
        return resolve();
      }
      socket.write(rawRequest());
    };
    socket.on("connect", send);
    socket.on("data", (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const head = buffer.subarray(0, headerEnd).toString("latin1");
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        const total = headerEnd + 4 + length;
        if (buffer.length < total) return;
        if (head.startsWith("HTTP/1.1 200")) counts.done++;
        else counts.errors++;
        buffer = buffer.subarray(total);
        send();
      }
    });
    socket.on("error", () => {
      counts.errors++;
      resolve();
    });
  });
}

async function rps(seconds: number, concurrency: number) {
  const deadline = Date.now() + seconds * 1000;
  const counts = { done: 0, errors: 0 };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: concurrency }, () => connectionLoop(deadline, counts)));
  process.stdout.write(`${JSON.stringify({ ...counts, ms: Date.now() - t0 })}\n`);
}

function hang(count: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const requests: http.ClientRequest[] = [];
  for (let i = 0; i < count; i++) {
    const req = http.request({
      host: target.hostname,
      port: target.port,
      path: "/v1/chat/completions",
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-ballast-sim": "hang" },
    });
    req.on("error", () => {});
    req.end(body);
    requests.push(req);
  }
  process.stdout.write(`${JSON.stringify({ opened: count })}\n`);
  process.stdin.on("data", () => {
    for (const req of requests) req.destroy();
    agent.destroy();
    setTimeout(() => process.exit(0), 200);
  });
}

if (mode === "rps") await rps(Number(a), Number(b));
else if (mode === "hang") hang(Number(a));
else {
  process.stderr.write("usage: load-generator rps <url> <seconds> <concurrency> | hang <url> <count>\n");
  process.exit(2);
}
