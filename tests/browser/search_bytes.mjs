// Search budget benchmark: bytes each query fetches from a plain static server
// (python3 -m http.server, no compression) and the time from the last index
// response to painted results, in headless Chromium.
//
//   node tests/browser/search_bytes.mjs PUBLIC_DIR [lang:query ...]
//
// Default queries are the bench corpus's words in en, ru and zh; each language
// runs a first query on a fresh page, then a second one on the same page.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve(process.argv[2] || "public");
const queries = process.argv.length > 3 ? process.argv.slice(3) : [
  "en:delegation", "en:border trade", "ru:делегации", "ru:торговли", "zh:合作", "zh:代表团",
];
const port = await new Promise((done) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => done(port)); });
});
const server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", root], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const defaultLang = process.env.DEFAULT_LANG || "en";
try {
  const byLang = {};
  for (const q of queries) {
    const [lang, text] = q.split(/:(.*)/s);
    (byLang[lang] ||= []).push(text);
  }
  console.log("| language | query | bytes fetched | requests | results | paint after last response |");
  console.log("|---|---|---|---|---|---|");
  for (const [lang, texts] of Object.entries(byLang)) {
    const page = await browser.newPage();
    let bytes = 0, requests = 0, last = 0;
    page.on("response", async (response) => {
      if (!response.url().includes("/search/")) return;
      const body = await response.body().catch(() => Buffer.alloc(0));
      bytes += body.length; requests += 1; last = Date.now();
    });
    const prefix = lang === defaultLang ? "" : `/${lang}`;
    await page.goto(`http://127.0.0.1:${port}${prefix}/search/`);
    await page.waitForLoadState("networkidle");
    for (const text of texts) {
      await page.evaluate(() => { document.getElementById("search-status").textContent = ""; });
      await page.fill("#search-input", text);
      await page.press("#search-input", "Enter");
      await page.waitForFunction(() => document.getElementById("search-status").textContent !== "", null, { timeout: 60000 });
      const painted = Date.now();
      await page.waitForLoadState("networkidle");
      const results = await page.$eval("#search-status", (s) => s.textContent);
      console.log(`| ${lang} | ${text} | ${bytes.toLocaleString("en")} | ${requests} | ${results} | ${Math.max(0, painted - last)} ms |`);
      bytes = 0; requests = 0;
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
