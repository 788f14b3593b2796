// Regenerates the README's dashboard screenshot: serves the given trace store (e.g. the 1M-call store that
// `npm run bench -- ui 1000000 <path>` keeps) and saves the overview from Debian's headless Chromium.
// Usage: node --conditions=ballast-source --import tsx scripts/screenshot-ui.ts <store.db> [out.png] [window]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startDashboard } from "../src/ui/index.js";

const [db, out = "docs/ui-overview.png", window = "30d"] = process.argv.slice(2);
if (!db) throw new Error("usage: scripts/screenshot-ui.ts <store.db> [out.png] [window]");
const dashboard = await startDashboard({ db });
const profile = mkdtempSync(join(tmpdir(), "ballast-shot-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
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
  viewport: { width: 1280, height: 860 },
});
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(`${dashboard.url}#/overview?since=${window}`);
  await page.waitForSelector('[data-view="overview"]', { timeout: 60_000 });
  await page.waitForTimeout(500); // charts draw on the next animation frame
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
  await dashboard.close();
  rmSync(profile, { recursive: true, force: true });
}
