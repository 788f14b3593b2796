/**
 * The dashboard's HTTP server (node:http): serves the front end and one JSON endpoint per view over a read-only
 * connection to the trace store. Bound to 127.0.0.1 by default; any other host needs a token, which every
 * request must then carry (cookie, `Authorization: Bearer`, or `?token=` on the first page load).
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigurationError } from "../errors/index.js";
import { openTraceDb, type TraceDb } from "../observe/index.js";
import { type Assets, loadAssets } from "./assets.js";
import {
  cache,
  DashboardRequestError,
  feedback,
  guard,
  health,
  listTraces,
  overview,
  readFilter,
  talliesFor,
  traceDetail,
} from "./data/index.js";

export interface DashboardOptions {
  /** The trace store (SQLite file). It must exist; it is opened read-only. */
  db: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1; anything but loopback requires `token`. */
  host?: string;
  /** Required on every request when set (at least 16 characters). */
  token?: string;
}

export interface Dashboard {
  /** The address to open (with `?token=` when a token is set). */
  readonly url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const COOKIE = "ballast_ui_token";

function checkOptions(o: DashboardOptions): void {
  const host = o.host ?? "127.0.0.1";
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535))
    throw new ConfigurationError(`ballast ui: --port must be an integer 0..65535, got ${o.port}`);
  if (o.token !== undefined && o.token.length < 16) throw new ConfigurationError("ballast ui: --token must be at least 16 characters");
  if (!LOOPBACK.has(host) && o.token === undefined)
    throw new ConfigurationError(`ballast ui: --host ${host} is not loopback: it needs --token (every request must then carry it)`);
}

const sameSecret = (given: string | undefined, token: string): boolean => {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7);
  const cookie = req.headers.cookie
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE}=`));
  if (cookie) return decodeURIComponent(cookie.slice(COOKIE.length + 1));
  return url.searchParams.get("token") ?? undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

/** One API request: the view's data, or a typed error. */
function api(db: TraceDb, path: string, params: URLSearchParams): { status: number; body: unknown } {
  if (path.startsWith("/api/trace/")) {
    const id = decodeURIComponent(path.slice("/api/trace/".length));
    const found = traceDetail(db, id);
    return found ? { status: 200, body: found } : { status: 404, body: { error: "not_found", message: `no call with id ${id}` } };
  }
  const f = readFilter(params);
  switch (path) {
    case "/api/filters":
      return { status: 200, body: filterOptions(db) };
    case "/api/overview":
      return { status: 200, body: overview(db, talliesFor(db, "overview", f), f) };
    case "/api/health":
      return { status: 200, body: health(talliesFor(db, "health", f), f) };
    case "/api/cache":
      return { status: 200, body: cache(db, talliesFor(db, "cache", f), f) };
    case "/api/guard":
      return { status: 200, body: guard(db, talliesFor(db, "guard", f), f, params.get("outcome") ?? undefined) };
    case "/api/feedback":
      return { status: 200, body: feedback(db, talliesFor(db, "feedback", { ...f, model: undefined }), f) };
    case "/api/traces":
      return { status: 200, body: listTraces(db, f, { failed: params.get("failed") === "1", limit: Number(params.get("limit") ?? 100) }) };
    default:
      return { status: 404, body: { error: "not_found", message: `no endpoint ${path}` } };
  }
}

/** Task and model names for the filter menus. */
function filterOptions(db: TraceDb): { tasks: string[]; models: string[] } {
  const q = (sql: string) => (db.prepare(sql).all() as Array<{ v: string }>).map((r) => r.v);
  const hasRollups = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'rollup_calls'").get() !== undefined;
  const tasks = new Set(hasRollups ? q("SELECT DISTINCT task AS v FROM rollup_calls") : []);
  const models = new Set(hasRollups ? q("SELECT DISTINCT model AS v FROM rollup_attempts") : []);
  // the newest calls (not rolled up yet): the last 10 000 rows
  for (const v of q("SELECT DISTINCT IFNULL(task, '') AS v FROM (SELECT task FROM calls ORDER BY pk DESC LIMIT 10000)")) tasks.add(v);
  for (const v of q("SELECT DISTINCT model AS v FROM (SELECT model FROM attempts ORDER BY rowid DESC LIMIT 10000)")) models.add(v);
  return { tasks: [...tasks].sort(), models: [...models].sort() };
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  checkOptions(options);
  const host = options.host ?? "127.0.0.1";
  const token = options.token;
  const assets: Assets = await loadAssets();
  const db = openTraceDb(options.db);
  const server = createServer((req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://dashboard");
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      // a page of another site resolving its name to 127.0.0.1 (DNS rebinding) must not read the store
      const hostHeader = (req.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
      if (token === undefined && !LOOPBACK.has(hostHeader)) {
        send(res, 403, { error: "forbidden", message: "the dashboard answers loopback host names only" });
        return;
      }
      if (token !== undefined) {
        if (!sameSecret(tokenOf(req, url), token)) {
          send(res, 401, { error: "unauthorized", message: "missing or wrong token" });
          return;
        }
        if (url.searchParams.has("token"))
          res.setHeader("set-cookie", `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
      }
      if (url.pathname.startsWith("/api/")) {
        const { status, body } = api(db, url.pathname, url.searchParams);
        send(res, status, body);
        return;
      }
      const asset = assets.get(url.pathname === "/" ? "/index.html" : url.pathname);
      if (!asset) {
        send(res, 404, { error: "not_found", message: `no file ${url.pathname}` });
        return;
      }
      res.writeHead(200, {
        "content-type": asset.type,
        "content-length": asset.body.length,
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
      });
      res.end(req.method === "HEAD" ? undefined : asset.body);
    } catch (error) {
      if (error instanceof DashboardRequestError) send(res, 400, { error: error.kind, field: error.field, message: error.message });
      else send(res, 500, { error: "internal", message: error instanceof Error ? error.message : String(error) });
    }
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  }).catch((error: unknown) => {
    db.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shown}:${port}/${token !== undefined ? `?token=${encodeURIComponent(token)}` : ""}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}
