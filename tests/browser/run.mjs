// Browser tests of the default theme in headless Chromium (Debian's package):
// accessibility with axe-core on every kind of page in three languages, search
// in Chinese, Russian and English, page-weight checks, and live reload with
// the error overlay of `gazette serve`.
//
//   node tests/browser/run.mjs target/release/gazette
//
// Exit code 0 when every check passes; each failure is printed.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const binary = resolve(process.argv[2] || "target/release/gazette");
const repo = resolve(new URL("../..", import.meta.url).pathname);
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

const freePort = () => new Promise((done) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => done(port));
  });
});

// A copy of the sample portal, served by `gazette serve`.
const site = mkdtempSync(join(tmpdir(), "gazette-browser-"));
for (const part of ["site.yaml", "content", "templates", "static", "data"]) cpSync(join(repo, part), join(site, part), { recursive: true });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(binary, ["serve", "--root", site, "--port", String(port)], { stdio: ["ignore", "ignore", "inherit"] });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  for (let i = 0; i < 100; i++) {
    try { if ((await page.goto(base + "/")).ok()) break; } catch { /* still building */ }
    await new Promise((r) => setTimeout(r, 100));
  }

  // 1. Accessibility: zero axe violations (WCAG 2 A and AA) on every kind of page.
  const pages = (prefix) => [
    `${prefix}/`, `${prefix}/news/`, `${prefix}/consular-services/visa-applications/`,
    `${prefix}/tags/`, `${prefix}/search/`, `${prefix}/news/archive/`,
  ];
  const urls = [
    ...pages(""), "/news/northeast-china-russian-far-east-cooperation/", "/tags/visa/",
    ...pages("/ru"), "/ru/tags/",
    ...pages("/zh").filter((u) => !u.includes("visa-applications")), "/zh/news/ice-and-snow-festival-students/",
  ];
  for (const url of urls) {
    const response = await page.goto(base + url);
    if (!response.ok()) { check(false, `${url} answers ${response.status()}`); continue; }
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => {
      // The live-reload overlay is not part of the site; nothing else is excluded.
      const r = await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] });
      return r.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help}`);
    });
    check(result.length === 0, `axe ${url}${result.length ? "\n      " + result.join("\n      ") : ""}`);
    const facts = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      title: document.title,
      description: document.querySelector("meta[name=description]")?.content ?? "",
      viewport: !!document.querySelector("meta[name=viewport]"),
      stylesheets: document.querySelectorAll("link[rel=stylesheet]").length,
      blockingScripts: [...document.querySelectorAll("head script[src]:not([defer]):not([async])")].length,
      foreign: performance.getEntriesByType("resource").filter((r) => !r.name.startsWith(location.origin)).map((r) => r.name),
      unsizedImages: [...document.images].filter((i) => !i.getAttribute("width") || !i.getAttribute("height")).length,
      skipLink: !!document.querySelector("a.skip-link[href='#main']"),
    }));
    check(facts.lang && facts.title && facts.description && facts.viewport && facts.skipLink, `${url} has lang, title, description, viewport and a skip link`);
    check(facts.stylesheets <= 2 && facts.blockingScripts === 0, `${url} blocks rendering on stylesheets only (${facts.stylesheets})`);
    check(facts.unsizedImages === 0, `${url} gives every image its width and height`);
    check(facts.foreign.length === 0, `${url} makes no requests to other hosts ${facts.foreign.join(" ")}`);
  }

  // 1b. No horizontal scroll on a phone (390 px) or a desktop (1280 px), in every language.
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 844 });
    for (const url of urls) {
      await page.goto(base + url);
      const wide = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        view: window.innerWidth,
        culprits: [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      }));
      check(wide.scroll <= wide.view, `${url} at ${width} px has no horizontal scroll (${wide.scroll} px: ${wide.culprits.join(" ")})`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // 2. Search, offline, in three scripts.
  const searchFor = async (prefix, query) => {
    await page.goto(`${base}${prefix}/search/?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => document.getElementById("search-status").textContent !== "", null, { timeout: 5000 });
    return page.$$eval("#search-results li h2 a", (links) => links.map((a) => a.textContent));
  };
  const zh = await searchFor("/zh", "冰雪");
  check(zh.some((t) => t.includes("冰雪节")), `two Chinese characters find the article holding them: ${zh}`);
  const ru = await searchFor("/ru", "ВИЗЫ");
  check(ru.some((t) => t.includes("визы")), `Russian search ignores case: ${ru}`);
  const ruStatus = await page.$eval("#search-status", (s) => s.textContent);
  const ruCount = ru.length;
  const ruForm = new Intl.PluralRules("ru").select(ruCount);
  const ruExpected = { one: `Найден ${ruCount} материал`, few: `Найдено ${ruCount} материала`, many: `Найдено ${ruCount} материалов`, other: `Найдено ${ruCount} материала` }[ruForm];
  check(ruStatus === ruExpected, `the Russian result count takes its plural form: "${ruStatus}"`);
  const ruPrefix = await searchFor("/ru", "делегац");
  check(ruPrefix.length > 0, `Russian words match by prefix: ${ruPrefix}`);
  const ruForms = await searchFor("/ru", "делегации");
  check(ruForms.some((t) => t.startsWith("Делегация")), `a Russian inflected form finds its other forms: ${ruForms}`);
  const ruUnseen = await searchFor("/ru", "делегациями");
  check(ruUnseen.some((t) => t.startsWith("Делегация")), `a Russian form the site never wrote still finds its stem: ${ruUnseen}`);
  const enStem = await searchFor("", "delegations");
  check(enStem.some((t) => t.includes("delegation visits")), `an English plural finds the singular by stem: ${enStem}`);
  const zhWord = await searchFor("/zh", "合作");
  check(zhWord.length > 0 && zhWord.length < 14, `a two-character Chinese word finds some articles, not all: ${zhWord}`);
  const unfiltered = await searchFor("", "consulate");
  const newsValue = await page.$eval("select[data-filter=section]", (s) => [...s.options].find((o) => o.text.startsWith("News"))?.value);
  await page.selectOption("select[data-filter=section]", newsValue);
  await page.waitForFunction((n) => document.querySelectorAll("#search-results li").length !== n, unfiltered.length, { timeout: 5000 }).catch(() => {});
  const sections = await page.$$eval("#search-results .search-meta", (p) => p.map((e) => e.textContent));
  check(unfiltered.length > sections.length && sections.length > 0 && sections.every((s) => s.endsWith("News")),
    `the section filter keeps only that section's results (${unfiltered.length} → ${sections.length}: ${sections})`);
  const en = await searchFor("", "bridge freight");
  check(en[0]?.includes("Freight"), `English search ranks title matches first: ${en}`);
  const marks = await page.$$eval("#search-results mark", (m) => m.length);
  check(marks > 0, "results show a highlighted snippet");
  const none = await searchFor("", "zzzqqq");
  check(none.length === 0, "a query matching nothing says so");

  // 3. Live reload and the error overlay.
  const article = "content/news/2023-02-09-ice-and-snow-festival-students/index.md";
  await page.goto(base + "/news/ice-and-snow-festival-students/");
  const original = readFileSync(join(site, article), "utf8");
  writeFileSync(join(site, article), original.replace("title: Students from Khabarovsk", "title: Edited live"));
  await page.waitForFunction(() => document.querySelector("h1")?.textContent.includes("Edited live"), null, { timeout: 10000 })
    .then(() => check(true, "an edit reloads the open page"), () => check(false, "an edit reloads the open page"));
  writeFileSync(join(site, "content/news/broken.md"), "---\ntitle: Broken\ndate: 2023-02-30\n---\n");
  await page.waitForSelector("#gazette-error-overlay", { timeout: 10000 })
    .then(() => check(true, "a broken edit shows the error overlay"), () => check(false, "a broken edit shows the error overlay"));
  const overlay = await page.$eval("#gazette-error-overlay", (o) => o.textContent).catch(() => "");
  check(overlay.includes("content/news/broken.md:3:7"), "the overlay names file, line and column");
  rmSync(join(site, "content/news/broken.md"));
  await page.waitForFunction(() => !document.getElementById("gazette-error-overlay"), null, { timeout: 10000 })
    .then(() => check(true, "the fix removes the overlay"), () => check(false, "the fix removes the overlay"));
} finally {
  await browser.close();
  server.kill();
  rmSync(site, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`\n${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("\nall browser checks passed");
