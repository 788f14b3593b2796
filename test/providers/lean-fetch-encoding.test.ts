// leanFetch and compressed replies, against a loopback server that encodes its bodies the way providers and
// proxies do: gzip, deflate and br JSON bodies decode (through the openai SDK too), a compressed SSE stream
// arrives decoded, a corrupt body rejects as a connection failure, and a reader that cancels an endless
// compressed stream closes its connection.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { brotliCompressSync, createGzip, deflateSync, gzipSync } from "node:zlib";
import OpenAI from "openai";
import { leanFetch } from "ballast/openai";

const reply = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: '{"ok":true}' }, finish_reason: "stop", logprobs: null }],
};
const encoders: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

let server: Server;
let base = "";
/** Whether the endless stream's connection has closed, as the server sees it. */
let endlessClosed = false;
before(async () => {
  server = createServer((req, res) => {
    const [, kind, coding = ""] = (req.url ?? "").split("/");
    if (kind === "json") {
      const encode = encoders[coding];
      assert.ok(encode, `unknown coding ${coding}`);
      res.writeHead(200, { "content-type": "application/json", "content-encoding": coding });
      res.end(encode(Buffer.from(JSON.stringify(reply))));
    } else if (kind === "v1") {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(Buffer.from(JSON.stringify(reply))));
    } else if (kind === "sse") {
      res.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "br" });
      res.end(brotliCompressSync(Buffer.from('data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n')));
    } else if (kind === "corrupt") {
      res.writeHead(200, { "content-type": coding === "json" ? "application/json" : "text/plain", "content-encoding": "gzip" });
      res.end(Buffer.concat([gzipSync(Buffer.from("{")).subarray(0, 10), Buffer.from("not gzip at all")]));
    } else if (kind === "endless") {
      // a stream that never ends: one flushed event, then silence, until the client goes away
      res.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "gzip" });
      const gz = createGzip();
      gz.pipe(res);
      gz.write('data: {"a":1}\n\n');
      gz.flush();
      res.once("close", () => {
        endlessClosed = true;
        gz.destroy();
      });
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (path: string, init: RequestInit = {}) =>
  leanFetch(`${base}${path}`, { ...init, headers: { "accept-encoding": "gzip, deflate, br" } });

test("gzip, deflate and br JSON bodies are decoded", async () => {
  for (const coding of Object.keys(encoders)) {
    const res = await get(`/json/${coding}`);
    assert.equal(res.status, 200, coding);
    assert.deepEqual(await res.json(), reply, coding);
  }
});

test("the openai SDK reads a gzip reply through leanFetch", async () => {
  const client = new OpenAI({
    baseURL: `${base}/v1`,
    apiKey: "k",
    maxRetries: 0,
    fetch: leanFetch,
    defaultHeaders: { "accept-encoding": "gzip" },
  });
  const completion = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
  assert.equal(completion.choices[0]?.message.content, '{"ok":true}');
});

test("a br-encoded event stream arrives decoded", async () => {
  const res = await get("/sse");
  assert.equal(await res.text(), 'data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n');
});

test("a corrupt compressed body rejects as a failed request, whole or streamed", async () => {
  await assert.rejects(get("/corrupt/json"), (e: unknown) => e instanceof TypeError && e.message === "fetch failed");
  const streamed = await get("/corrupt/text");
  await assert.rejects(streamed.text(), (e: unknown) => e instanceof TypeError && e.message === "terminated");
});

test("a reader that cancels an endless compressed stream closes its connection", async () => {
  const res = await get("/endless/gzip");
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.match(new TextDecoder().decode(first.value), /data: \{"a":1\}/);
  await reader.cancel();
  for (let waited = 0; !endlessClosed && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  assert.ok(endlessClosed, "the server still holds the cancelled stream's connection open");
});
