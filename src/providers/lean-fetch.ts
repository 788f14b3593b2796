/**
 * Ballast's default transport under the official SDKs: a `fetch` over undici's `request()` and one
 * keep-alive Agent per process. Only the transport changes: the SDK builds the request, reads the reply and
 * throws its errors as it does over Node's built-in fetch. Measured by bench/transport (the `openai` SDK's
 * `chat.completions.create` against the simulator): Node 20's fetch spends most of a call's client CPU on
 * WHATWG streams, Request and Headers objects; this path skips them, and a JSON reply is read in one piece
 * (held-response.ts).
 *
 * What stays as with Node's fetch: the SDK's AbortSignal cuts the request and its body (Ballast's timeouts
 * and deadlines reach the socket); undici's defaults (connect 10 s, headers and body 300 s each, keep-alive
 * 4 s); a connection error rejects with `TypeError("fetch failed", { cause })`, and a body cut mid-way
 * (a reset stream) errors with `TypeError("terminated", { cause })`, so the SDKs report
 * `APIConnectionError` and Ballast retries it; every response header is kept; redirects are followed
 * (by handing that request to the built-in fetch); gzip, deflate and br bodies are decoded.
 * What differs: no `accept-encoding` is sent unless the caller sets one; a dispatcher set with undici's
 * `setGlobalDispatcher` is not used; proxies come from HTTP_PROXY / HTTPS_PROXY / NO_PROXY only when
 * NODE_USE_ENV_PROXY=1, the switch newer Node versions read for their own fetch. Bodies other than a
 * string or bytes (form uploads, streams) and `Request` objects go to the built-in fetch unchanged.
 * undici is loaded on the first request, not at import.
 */
import { STATUS_CODES } from "node:http";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Dispatcher } from "undici";
import { HeldResponse } from "./held-response.js";

type Undici = typeof import("undici");

interface Transport {
  request: Undici["request"];
  /** The process's one dispatcher: a keep-alive Agent, or the env proxy agent when Node is told to use one. */
  dispatcher: Dispatcher;
}
let transport: Transport | undefined;
let loading: Promise<Transport> | undefined;

function loadTransport(): Promise<Transport> {
  loading ??= import("undici").then((u: Undici) => {
    const env = process.env;
    const proxied = env.NODE_USE_ENV_PROXY === "1" && Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
    transport = { request: u.request, dispatcher: proxied ? new u.EnvHttpProxyAgent() : new u.Agent() };
    return transport;
  });
  return loading;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value === "string") headers.append(name, value);
    else for (const v of value) headers.append(name, v);
  }
  return headers;
}

function decoded(body: Readable, encoding: string | string[] | undefined): Readable {
  if (typeof encoding !== "string") return body;
  const coding = encoding.trim().toLowerCase();
  const decoder =
    coding === "gzip" || coding === "x-gzip"
      ? createGunzip()
      : coding === "deflate"
        ? createInflate()
        : coding === "br"
          ? createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return body;
  body.on("error", (err) => decoder.destroy(err));
  // A reader that cancels destroys the decoder, which only unpipes the source: end the source too, or the
  // connection stays held open (an endless stream) with nobody reading it.
  decoder.once("close", () => {
    if (!body.readableEnded && !body.destroyed) body.destroy();
  });
  return body.pipe(decoder);
}

/** Reads a whole body into one Buffer (no WHATWG stream on the way). */
function readAll(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on("data", (chunk: Buffer) => chunks.push(chunk));
    body.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    body.once("error", reject);
  });
}

/**
 * A streamed body as Node's fetch gives one: an abort errors it at once with the signal's reason (pending reads
 * reject, as the SDKs expect when Ballast cuts an attempt mid-stream); a body cut mid-way errors with
 * `TypeError("terminated", { cause })`; a reader that cancels lets the rest of a finished reply drain (the
 * connection stays reusable) and closes the socket only when more than a little is left unsent.
 */
function webBody(body: Readable, signal: AbortSignal | null | undefined): ReadableStream<Uint8Array> {
  let settled = false;
  let onAbort: (() => void) | undefined;
  const cleanup = () => {
    settled = true;
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const fail = (err: unknown) => {
          if (settled) return;
          cleanup();
          controller.error(err);
        };
        body.on("data", (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) body.pause();
        });
        body.once("end", () => {
          if (settled) return;
          cleanup();
          controller.close();
        });
        body.once("error", (err) => fail(signal?.aborted ? (signal.reason ?? err) : new TypeError("terminated", { cause: err })));
        if (signal) {
          if (signal.aborted) {
            fail(signal.reason);
            body.destroy();
            return;
          }
          onAbort = () => {
            fail(signal.reason);
            body.destroy();
          };
          signal.addEventListener("abort", onAbort, { once: true });
        }
      },
      pull() {
        body.resume();
      },
      cancel() {
        cleanup();
        if (body.readableEnded || body.destroyed) return;
        const dump = (body as Readable & { dump?: (o?: { limit: number }) => Promise<void> }).dump;
        if (dump) dump.call(body, { limit: 128 * 1024 }).catch(() => {});
        else body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The `fetch` Ballast hands the `openai` and `@anthropic-ai/sdk` clients it creates (see the module comment).
 * An adapter's own `fetch` option, or a client passed in, wins.
 */
export const leanFetch: typeof fetch = async (input, init) => {
  const body = init?.body;
  if (
    !(typeof input === "string" || input instanceof URL) ||
    !(body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array)
  ) {
    return fetch(input, init);
  }
  const url = typeof input === "string" ? input : input.href;
  const signal = init?.signal;
  try {
    const t = transport ?? (await loadTransport());
    const res = await t.request(url, {
      method: (init?.method ?? "GET") as Dispatcher.HttpMethod,
      headers: init?.headers as Dispatcher.RequestOptions["headers"],
      body: body ?? undefined,
      signal: signal ?? undefined,
      dispatcher: t.dispatcher,
    });
    const status = res.statusCode;
    const raw = res.headers;
    if (REDIRECTS.has(status) && raw.location !== undefined) {
      await res.body.dump();
      return fetch(input, init);
    }
    const responseInit: ResponseInit = { status, statusText: STATUS_CODES[status] ?? "", headers: headersOf(raw) };
    if (NULL_BODY.has(status) || init?.method === "HEAD") {
      await res.body.dump();
      return new HeldResponse(Buffer.alloc(0), responseInit, url);
    }
    const stream = decoded(res.body, raw["content-encoding"]);
    const type = raw["content-type"];
    if (typeof type === "string" && type.includes("json")) return new HeldResponse(await readAll(stream), responseInit, url);
    const response = new Response(webBody(stream, signal), responseInit);
    Object.defineProperty(response, "url", { value: url });
    return response;
  } catch (err) {
    if (signal?.aborted) throw signal.reason ?? err;
    throw new TypeError("fetch failed", { cause: err });
  }
};
