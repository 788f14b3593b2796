// `ballast ui` end to end: a store filled by a simulator run, the dashboard started through the CLI, every view
// opened in headless Chromium (Debian's /usr/bin/chromium through playwright-core), the numbers shown compared
// with `ballast stats --json` / `ballast feedback --json`, a trace opened from the list, a screenshot per view.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { getCall, listCalls, openTraceDb } from "../../src/observe/trace-store/index.js";
import { int, ms, pct, usd } from "../../src/ui/front/format.js";
import { fillStore } from "./fill-store.js";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const bin = join(root, "bin/ballast.js");
const dir = mkdtempSync(join(tmpdir(), "ballast-ui-"));
const db = join(dir, "traces.db");
const shots = mkdtempSync(join(tmpdir(), "ballast-ui-shots-"));

let server: ChildProcess;
let url = "";
let browser: BrowserContext;
let page: Page;
let stats: any;
let feedback: any;

/** Starts `ballast ui` and resolves with the first stdout line (its URL). */
function startUi(): Promise<string> {
  server = spawn(process.execPath, [bin, "ui", "--db", db, "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("ballast ui printed no URL within 60 s")), 60_000);
    createInterface({ input: server.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    server.once("exit", (code) => reject(new Error(`ballast ui exited with ${code}`)));
  });
}

before(async () => {
  await fillStore(db);
  const [s, f] = await Promise.all([
    run(process.execPath, [bin, "stats", "--db", db, "--json"], { cwd: root }),
    run(process.execPath, [bin, "feedback", "--db", db, "--json"], { cwd: root }),
  ]);
  stats = JSON.parse(s.stdout);
  feedback = JSON.parse(f.stdout);
  url = await startUi();
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  assert.ok(
    existsSync(executablePath),
    `the dashboard tests drive a real Chromium at ${executablePath}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`,
  );
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "ballast-ui-chromium-")), {
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  console.log(`dashboard screenshots: ${shots}`);
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
});

/** Opens a view for the whole store and waits until its data is drawn. */
async function open(view: string): Promise<void> {
  await page.goto(`${url}#/${view}?since=all`);
  await page.waitForSelector(`[data-view="${view}"]`, { timeout: 15_000 });
}

const shown = (view: string, metric: string) => page.textContent(`[data-view="${view}"] [data-metric="${metric}"]`);

async function screenshot(name: string): Promise<void> {
  await page.waitForTimeout(150); // charts draw on the next animation frame
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

test("ballast ui prints its loopback URL first", () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test("overview: calls, spend, latency percentiles, outcome shares and per-model uptime equal ballast stats --json", async () => {
  await open("overview");
  assert.equal(stats.calls, 33);
  assert.equal(await shown("overview", "calls"), int(stats.calls));
  assert.equal(await shown("overview", "spend_usd"), usd(stats.spend_usd));
  assert.equal(await shown("overview", "p50_ms"), ms(stats.p50_ms));
  assert.equal(await shown("overview", "p95_ms"), ms(stats.p95_ms));
  assert.equal(await shown("overview", "p99_ms"), ms(stats.p99_ms));
  assert.equal(await shown("overview", "success_share"), pct(stats.success_share));
  assert.equal(await shown("overview", "error_share"), pct(stats.error_share));
  assert.equal(await shown("overview", "fallback_share"), pct(stats.fallback_share));
  assert.equal(await shown("overview", "breaker_openings"), int(stats.breaker_openings));
  assert.equal(stats.estimated_cost_attempts, 1);
  assert.match((await shown("overview", "estimated_cost_attempts")) ?? "", /^1 attempts were cut short before the provider reported usage/);
  const rows = await page.$$eval('[data-table="models"] tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.deepEqual(
    rows.map((r) => [r[0], r[2], r[3], r[6]]).sort(),
    stats.models.map((m: any) => [m.model, int(m.attempts), pct(m.uptime), usd(m.spend_usd)]).sort(),
  );
  assert.equal((await page.locator("[data-chart] canvas, [data-chart] .u-wrap").count()) > 0, true, "charts are drawn");
  await screenshot("overview");
});

test("structured-output health: repaired, re-asked, fallback, hardcoded and rejected shares equal ballast stats", async () => {
  await open("health");
  assert.equal(await shown("health", "calls"), int(stats.calls));
  assert.equal(await shown("health", "repaired_share"), pct(stats.repaired_share));
  assert.equal(await shown("health", "reasked_share"), pct(stats.reasked_share));
  assert.equal(await shown("health", "fallback_share"), pct(stats.fallback_share));
  assert.equal(await shown("health", "hardcoded_share"), pct(stats.hardcoded_share));
  assert.equal(await shown("health", "error_share"), pct(stats.error_share));
  const steps = await page.$$eval('[data-table="recovery"] tbody tr', (trs) => trs.length);
  assert.ok(steps > 0, "the repairs are broken down by recovery step");
  await screenshot("health");
});

test("cache: cached-input share and cache busters equal ballast stats", async () => {
  await open("cache");
  assert.equal(await shown("cache", "cached_input_share"), pct(stats.cached_input_share));
  assert.equal(await shown("cache", "cache_busters"), int(stats.cache_busters));
  const tasks = await page.$$eval('[data-table="tasks"] tbody tr', (trs) =>
    trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]),
  );
  assert.deepEqual(tasks.sort(), stats.tasks.map((t: any) => [t.task, int(t.calls)]).sort());
  await screenshot("cache");
});

test("guard: the leaks shown equal ballast stats, with the calls behind them", async () => {
  await open("guard");
  assert.equal(await shown("guard", "self_reported"), int(stats.leaks.self_reported));
  assert.equal(await shown("guard", "silent"), int(stats.leaks.silent));
  assert.equal(await shown("guard", "none"), "1");
  const outcomes = await page.$$eval('[data-table="guard-calls"] tbody tr', (trs) => trs.map((tr) => tr.children[3]!.textContent).sort());
  assert.deepEqual(outcomes, ["none", "self_reported", "silent"]);
  await screenshot("guard");
});

test("prompt feedback: the complaints and counts equal ballast feedback --json", async () => {
  await open("feedback");
  const rows = await page.$$eval('[data-table="feedback"] tbody tr', (trs) =>
    trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]),
  );
  const expected = feedback.flatMap((t: any) => t.clusters.map((c: any) => [int(c.count), c.text]));
  assert.equal(expected.length, 3);
  assert.deepEqual(rows, expected);
  await screenshot("feedback");
});

test("traces: the list shows the newest calls; a click opens the detail with its attempt tree and raw vs repaired JSON", async () => {
  await open("traces");
  const ids = await page.$$eval('[data-table="traces"] [data-call]', (as) => as.map((a) => a.getAttribute("data-call")));
  assert.equal(ids.length, stats.calls);
  await screenshot("traces");
  // a call of the invoice task that needed JSON recovery, and its trace as `ballast trace --json` reads it
  const store = openTraceDb(db);
  const repairedId = listCalls(store, { limit: 100 }).find((c) => c.source === "repaired")?.id as string;
  const trace = getCall(store, repairedId) as any;
  store.close();
  assert.ok(repairedId, "the run has a repaired call");
  await page.click(`[data-table="traces"] [data-call="${repairedId}"]`);
  await page.waitForSelector('[data-view="trace"]', { timeout: 15_000 });
  assert.equal(await page.getAttribute("[data-call-id]", "data-call-id"), repairedId);
  const attempts = await page.$$eval("[data-tree] [data-attempt]", (lis) => lis.map((li) => li.getAttribute("data-attempt")));
  assert.deepEqual(
    attempts,
    trace.attempts.map((a: any) => String(a.seq)),
  );
  assert.match((await page.textContent("[data-tree] .winner")) ?? "", /repaired \(won\)/);
  const raw = await page.textContent("[data-response] [data-raw]");
  assert.equal(raw, trace.attempts.find((a: any) => typeof a.response_text === "string").response_text);
  const repaired = JSON.parse((await page.textContent("[data-response] [data-repaired]")) ?? "null");
  assert.deepEqual(repaired, trace.call.value, "beside the raw reply: the value recovery made of it");
  assert.equal(await shown("trace", "cost_usd"), usd(trace.call.cost_usd));
  await screenshot("trace-detail");
});
