// The dashboard server's safety rules over a small store: loopback by default, a token for any other host
// (checked on every request), foreign Host headers refused, bad query values named, no write path.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { ConfigurationError } from "../../src/errors/index.js";
import { createTraceStore } from "../../src/observe/trace-store/index.js";
import { startDashboard } from "../../src/ui/index.js";
import { callEvents } from "../observe/helpers.js";

const db = join(mkdtempSync(join(tmpdir(), "ballast-ui-server-")), "traces.db");
const TOKEN = "a-long-enough-token-1234";

before(() => {
  const store = createTraceStore({ path: db, retention: { maxAgeDays: 0, maxCalls: 0 } });
  for (let i = 0; i < 3; i++) for (const e of callEvents({ callId: `c${i}`, ts: 1_700_000_000_000 + i * 1000 })) store.listener(e);
  store.close();
});

/** A raw GET (fetch would not let a test set the Host header). */
function get(
  url: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<{ status: number; body: string; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: 10_000 }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body, cookie: res.headers["set-cookie"]?.[0] }));
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end();
  });
}

test("a host other than loopback without a token is refused with a configuration error", async () => {
  await assert.rejects(
    startDashboard({ db, host: "0.0.0.0" }),
    (e: unknown) => e instanceof ConfigurationError && /needs --token/.test(e.message),
  );
  await assert.rejects(
    startDashboard({ db, token: "short" }),
    (e: unknown) => e instanceof ConfigurationError && /16 characters/.test(e.message),
  );
  await assert.rejects(startDashboard({ db: join(tmpdir(), "no-such-dir", "none.db") }), /does not exist|unable to open/i);
});

test("loopback: the page and the API answer; a foreign Host header, a write or a bad window do not", async () => {
  const d = await startDashboard({ db });
  try {
    assert.match(d.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(d.url);
    assert.equal(page.status, 200);
    assert.match(page.body, /<script src="app.js">/);
    const overview = await get(`${d.url}api/overview?since=all`);
    assert.equal(JSON.parse(overview.body).summary.calls, 3);
    const rebound = await get(`${d.url}api/overview?since=all`, { host: "evil.example:80" });
    assert.equal(rebound.status, 403);
    assert.equal((await get(`${d.url}api/overview`, {}, "POST")).status, 405);
    const bad = await get(`${d.url}api/overview?since=soon`);
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).field, "since");
    assert.equal((await get(`${d.url}api/trace/nope`)).status, 404);
  } finally {
    await d.close();
  }
});

test("with a token every request needs it: header, cookie, or ?token= (which sets the cookie)", async () => {
  const d = await startDashboard({ db, host: "127.0.0.2", token: TOKEN });
  try {
    assert.match(d.url, /^http:\/\/127\.0\.0\.2:\d+\/\?token=/);
    const api = d.url.replace(/\?token=.*$/, "api/overview?since=all");
    assert.equal((await get(api)).status, 401);
    assert.equal((await get(api, { authorization: "Bearer wrong-token-wrong-token" })).status, 401);
    assert.equal((await get(api, { authorization: `Bearer ${TOKEN}` })).status, 200);
    const first = await get(d.url);
    assert.equal(first.status, 200);
    assert.match(first.cookie ?? "", /HttpOnly; SameSite=Strict/);
    assert.equal((await get(api, { cookie: first.cookie!.split(";")[0]! })).status, 200);
  } finally {
    await d.close();
  }
});
