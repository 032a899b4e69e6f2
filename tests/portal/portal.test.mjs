// The auditor portal in headless Debian Chromium (playwright-core, executablePath
// /usr/bin/chromium): run by run.sh, which builds the portals into $PORTAL_WORK.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const deps = process.env.PORTAL_DEPS;
const work = process.env.PORTAL_WORK;
if (!deps || !work) {
  throw new Error("run through tests/portal/run.sh (PORTAL_DEPS and PORTAL_WORK unset)");
}
const require = createRequire(join(deps, "node_modules", "x.js"));
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");

const summit = join(work, "summit");
const portal = join(summit, "portal");
const hostile = join(work, "hostile", "portal");
const large = join(work, "large", "portal");
const artefacts = join(work, "artefacts");

function pages(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      out.push(...pages(path));
    } else if (name.endsWith(".html")) {
      out.push(path);
    }
  }
  return out;
}

const url = (path, query = "") => pathToFileURL(path).href + query;

// RFC 4180, enough for crosswalk.csv (quoted cells, doubled quotes, line breaks in quotes).
function csv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') { quoted = false; }
      else { cell += c; }
    } else if (c === '"') { quoted = true; }
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; }
    else if (c !== "\r") { cell += c; }
  }
  if (cell !== "" || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHARTER_CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    // playwright-core starts Chromium with a fresh, empty --user-data-dir of its own.
  });
});
after(async () => { await browser?.close(); });

/** A page that records every request it makes, every dialog and every page error. */
async function open(context) {
  const page = await context.newPage();
  const log = { requests: [], dialogs: [], errors: [] };
  page.on("request", (r) => log.requests.push(r.url()));
  page.on("dialog", async (d) => { log.dialogs.push(d.message()); await d.dismiss(); });
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") log.errors.push(m.text()); });
  return { page, log };
}

test("every summit page loads from file:// alone, without errors", async () => {
  const all = pages(portal);
  assert.ok(all.length > 100, `only ${all.length} pages`);
  const context = await browser.newContext();
  const { page, log } = await open(context);
  for (const file of all) {
    log.requests.length = 0;
    await page.goto(url(file), { waitUntil: "load" });
    // The stylesheet and the script at least: the log sees file:// loads.
    assert.ok(log.requests.length >= 3, `${file}: the request log saw ${log.requests.length} loads`);
    for (const r of log.requests) {
      assert.ok(r.startsWith("file://"), `${relative(portal, file)} requested ${r}`);
    }
  }
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.dialogs, []);
  await context.close();
});

test("axe-core finds no serious or critical violation on any page", async () => {
  // Every summit page, and two pages of the large workspace's paged lists: a middle page
  // (previous, next and numbered links) and a last one (the rows are the summit pages' rows).
  const all = [...pages(portal), join(large, "policies", "page-2.html"), join(large, "evidence", "page-3.html")];
  assert.ok(all.length > 100, `only ${all.length} pages`);
  // One context for every page: axe is injected into each document before its scripts run
  // (an init script, so the pages' CSP is bypassed here).
  const context = await browser.newContext({ bypassCSP: true });
  await context.addInitScript({ path: axePath });
  const page = await context.newPage();
  const problems = [];
  for (const file of all) {
    await page.goto(url(file), { waitUntil: "load" });
    const result = await page.evaluate(async () =>
      await globalThis.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of result.violations) {
      if (v.impact === "serious" || v.impact === "critical") {
        problems.push(`${relative(work, file)}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the pages keep their content security policy and still load their own files", async () => {
  const context = await browser.newContext();
  const { page, log } = await open(context);
  await page.goto(url(join(portal, "search.html"), "?q=CC6.1"));
  // The stylesheet applied and the script ran under the CSP.
  const results = await page.locator("#search-results li").count();
  assert.ok(results > 0, "search ran under the CSP");
  const font = await page.evaluate(() => getComputedStyle(document.querySelector("header.site")).display);
  assert.equal(font, "flex");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("coverage tables and counts equal crosswalk.json and crosswalk.csv", async () => {
  const json = JSON.parse(readFileSync(join(summit, "crosswalk", "crosswalk.json"), "utf8"));
  const rows = csv(readFileSync(join(summit, "crosswalk", "crosswalk.csv"), "utf8"));
  const header = rows.shift();
  const col = (name) => header.indexOf(name);
  assert.equal(rows.length, json.rows.length, "the CSV and the JSON have the same rows");
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url(join(portal, "index.html")));
  for (const fw of json.frameworks) {
    const row = page.locator(`tr[data-framework="${fw.framework}"]`);
    assert.equal(Number(await row.locator("[data-covered]").textContent()), fw.covered, fw.framework);
    assert.equal(Number(await row.locator("[data-total]").textContent()), fw.total, fw.framework);
  }
  const covered = json.frameworks.reduce((n, f) => n + f.covered, 0);
  const total = json.frameworks.reduce((n, f) => n + f.total, 0);
  assert.equal(Number(await page.locator("#covered-total").textContent()), covered);
  assert.equal(Number(await page.locator("#requirements-total").textContent()), total);
  for (const fw of json.frameworks) {
    // Requirement -> control ids, from the CSV.
    const expected = new Map();
    for (const r of rows.filter((r) => r[col("framework")] === fw.framework)) {
      const id = r[col("requirement_id")];
      const controls = expected.get(id) ?? [];
      if (r[col("status")] !== "uncovered") controls.push(r[col("control_id")]);
      expected.set(id, controls);
    }
    await page.goto(url(join(portal, "frameworks", `${fw.framework}.html`)));
    const seen = await page.locator("tr[data-requirement]").evaluateAll((trs) =>
      trs.map((tr) => [tr.dataset.requirement, tr.dataset.status, tr.dataset.controls]));
    assert.equal(seen.length, fw.total, `${fw.framework}: one row per requirement`);
    assert.equal(seen.filter((s) => s[1] === "covered").length, fw.covered, fw.framework);
    for (const [id, status, controls] of seen) {
      const want = expected.get(id);
      assert.ok(want, `${fw.framework} ${id} is not in the CSV`);
      assert.equal(status, want.length > 0 ? "covered" : "uncovered", `${fw.framework} ${id}`);
      assert.deepEqual(controls.split(" ").filter(Boolean).sort(), [...want].sort(), `${fw.framework} ${id}`);
    }
  }
  // Every requirement page exists and shows its controls.
  const first = json.rows.find((r) => r.status !== "uncovered");
  await page.goto(url(join(portal, "frameworks", `${first.framework}.html`)));
  await page.locator(`tr[data-requirement="${first.requirement_id}"] th a`).click();
  const listed = await page.locator("tr[data-control]").evaluateAll((trs) => trs.map((t) => t.dataset.control));
  assert.ok(listed.includes(first.control_id), `${first.requirement_id} lists ${first.control_id}`);
  await context.close();
});

test("the evidence page equals the evidence index, status and SHA-256 included", async () => {
  const index = JSON.parse(readFileSync(join(summit, "evidence", "index.json"), "utf8"));
  assert.equal(index.status_checked, true);
  const items = index.categories.flatMap((c) => c.items);
  assert.ok(items.some((i) => i.exists) && items.some((i) => !i.exists), "the fixture has both");
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url(join(portal, "evidence", "index.html")));
  const rows = await page.locator("table.evidence tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({ path: tr.dataset.path, control: tr.dataset.controlId, status: tr.dataset.status, sha256: tr.dataset.sha256 })));
  assert.deepEqual(
    rows,
    items.map((i) => ({
      path: i.path, control: i.control.id, status: i.exists ? "present" : "missing", sha256: i.sha256 ?? "",
    })),
  );
  assert.equal(Number(await page.locator('[data-count="evidence"]').textContent()), items.length);
  // The filter narrows the rows (script on), and says how many it shows.
  await page.locator("#filter").fill("policy-bundles");
  const visible = await page.locator("table.evidence tbody tr:visible").count();
  assert.equal(visible, items.filter((i) => i.path.includes("policy-bundles")).length);
  assert.match(await page.locator("#filter-count").textContent(), new RegExp(`^${visible} of ${items.length}`));
  await context.close();
});

test("the overview's readiness gates are charter report's for the same workspace and day", async () => {
  const day = process.env.PORTAL_DAY;
  const charter = process.env.PORTAL_CHARTER;
  assert.ok(day && charter, "run.sh sets PORTAL_DAY and PORTAL_CHARTER");
  const run = spawnSync(charter, [
    "report", "examples/summit", "--format", "json", "--today", day,
    "--evidence-root", join(work, "evidence"),
  ], { encoding: "utf8" });
  assert.ok(run.status === 0 || run.status === 1, `charter report exited ${run.status}: ${run.stderr}`);
  const report = JSON.parse(run.stdout);
  assert.equal(report.today, day);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url(join(portal, "index.html")));
  assert.equal(await page.locator("time[data-today]").getAttribute("datetime"), day, "the page names the day");
  assert.equal(await page.locator("[data-passed]").getAttribute("data-passed"), String(report.passed));
  const rows = await page.locator("tr[data-gate]").evaluateAll((trs) => trs.map((tr) => ({
    gate: tr.dataset.gate, status: tr.dataset.status,
    value: tr.cells[2].textContent, threshold: tr.cells[3].textContent,
  })));
  assert.equal(rows.length, report.gates.length, "one row per gate");
  const statuses = new Set();
  report.gates.forEach((g, i) => {
    const row = rows[i];
    assert.equal(row.gate, g.gate, `row ${i}`);
    assert.equal(row.status, g.status, g.gate);
    statuses.add(g.status);
    // The value as the report's Markdown writes it: n/d (p%), a count, yes/no, or none.
    const v = g.value;
    if (v === null) {
      assert.equal(row.value, "-", g.gate);
    } else if ("numerator" in v) {
      assert.match(row.value, new RegExp(`^${v.numerator}/${v.denominator} \\(`), g.gate);
    } else if ("count" in v) {
      assert.equal(row.value, String(v.count), g.gate);
    } else {
      assert.equal(row.value, v.holds ? "yes" : "no", g.gate);
    }
    assert.equal(row.threshold === "off", g.threshold === null, `${g.gate} threshold`);
  });
  // The fixture's day gives every kind of status: the comparison means something.
  for (const s of ["pass", "fail", "off", "not_measured"]) {
    assert.ok(statuses.has(s), `no gate is ${s}`);
  }
  // What a build cannot measure is said on the page.
  const contracts = page.locator('tr[data-gate="contracts"]');
  assert.match(await contracts.textContent(), /charter report --against REV/);
  await context.close();
});

test("long lists are paged: every row once, previous and next links without script", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const [list, row, key] of [
    ["controls", "tr[data-control]", "control"],
    ["policies", "tr[data-policy]", "policy"],
    ["evidence", "table.evidence tbody tr", "path"],
  ]) {
    await page.goto(url(join(large, list, "index.html")));
    const total = Number(await page.locator(`[data-count="${list}"]`).first().textContent());
    assert.equal(total, 1040, list);
    const seen = [];
    let pagesSeen = 0;
    for (;;) {
      pagesSeen += 1;
      const here = await page.locator(row).evaluateAll((trs, k) => trs.map((tr) => tr.dataset[k]), key);
      assert.ok(here.length <= 500, `${list} page ${pagesSeen}: ${here.length} rows`);
      seen.push(...here);
      const next = page.locator('nav.pager >> nth=0 >> a[rel="next"]');
      if ((await next.count()) === 0) break;
      await next.click();
      assert.match(page.url(), new RegExp(`${list}/page-${pagesSeen + 1}\\.html$`));
    }
    assert.equal(pagesSeen, 3, list);
    assert.equal(seen.length, total, `${list}: every row`);
    assert.equal(new Set(seen).size, total, `${list}: no row twice`);
    // And back: the previous links lead to the first page.
    while ((await page.locator('nav.pager >> nth=0 >> a[rel="prev"]').count()) > 0) {
      await page.locator('nav.pager >> nth=0 >> a[rel="prev"]').click();
    }
    assert.match(page.url(), new RegExp(`${list}/index\\.html$`));
  }
  await context.close();
});

test("search filters requirements, controls, policies and operations", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url(join(portal, "search.html"), "?q=CC6.1"));
  const names = async () => page.locator("#search-results li").evaluateAll((lis) => lis.map((li) => li.textContent.toLowerCase()));
  let found = await names();
  assert.ok(found.length > 0 && found.every((t) => t.includes("cc6.1")), found.join("\n"));
  await page.locator("#site-search").fill("dataset_access");
  found = await names();
  assert.ok(found.some((t) => t.startsWith("policy")), found.join("\n"));
  await page.locator("#site-search").fill("export");
  const kinds = await page.locator("#search-results li").evaluateAll((lis) => lis.map((li) => li.dataset.kind));
  assert.ok(kinds.includes("operation"), kinds.join(","));
  await page.locator("#site-search").fill("no such thing anywhere");
  assert.equal(await page.locator("#search-results li").count(), 0);
  assert.match(await page.locator("#search-status").textContent(), /^0 results/);
  // A result leads to its page.
  await page.locator("#site-search").fill("GOV-01");
  await page.locator("#search-results li a").first().click();
  assert.match(page.url(), /controls\/summit\.compliance\.gov-01\.html$/);
  await context.close();
});

test("pages read without JavaScript", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url(join(portal, "policies", "summit.policy.dataset_access.html")));
  assert.ok((await page.locator("li.rule").count()) > 3);
  assert.match(await page.locator("pre.condition").first().textContent(), /^when /);
  await page.goto(url(join(portal, "evidence", "index.html")));
  assert.equal(await page.locator(".filter").isVisible(), false);
  assert.ok((await page.locator("table.evidence tbody tr:visible").count()) > 10);
  await context.close();
});

test("the hostile workspace's text shows literally and runs nothing", async () => {
  const strings = readFileSync(join(work, "hostile.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  // Escaping alone must hold: the CSP is bypassed here.
  const context = await browser.newContext({ bypassCSP: true });
  const { page, log } = await open(context);
  const texts = [];
  for (const file of pages(hostile)) {
    await page.goto(url(file), { waitUntil: "load" });
    const state = await page.evaluate(() => ({
      pwned: globalThis.__pwned,
      scripts: [...document.scripts].map((s) => s.getAttribute("src")),
      images: document.images.length,
      js: [...document.querySelectorAll("a[href]")].filter((a) => a.href.trim().toLowerCase().startsWith("javascript:")).length,
      handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length,
      styles: document.querySelectorAll("style").length,
      text: document.body.textContent,
    }));
    const where = relative(hostile, file);
    assert.equal(state.pwned, undefined, where);
    assert.ok(state.scripts.every((s) => s !== null && /assets\/(portal|search-index)\.js$/.test(s)), `${where}: ${state.scripts}`);
    assert.equal(state.images, 0, where);
    assert.equal(state.js, 0, where);
    assert.equal(state.handlers, 0, where);
    assert.equal(state.styles, 0, where);
    texts.push(state.text);
  }
  assert.deepEqual(log.dialogs, []);
  for (const s of strings) {
    assert.ok(texts.some((t) => t.includes(s)), `no page shows ${JSON.stringify(s)} literally`);
  }
  // The search index holds the same text, and search shows it as text.
  await page.goto(url(join(hostile, "search.html"), "?q=window.__pwned"));
  assert.ok((await page.locator("#search-results li").count()) > 0);
  assert.equal(await page.evaluate(() => globalThis.__pwned), undefined);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("screenshots of the overview and the risk matrix, and the overview printed to PDF", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url(join(portal, "index.html")));
  await page.screenshot({ path: join(artefacts, "overview.png"), fullPage: true });
  await page.goto(url(join(portal, "threats", "index.html")));
  const cells = await page.locator("svg.risk-matrix g.cell").evaluateAll((gs) => gs.map((g) => Number(g.dataset.count)));
  const threats = JSON.parse(readFileSync(join(summit, "portal", "assets", "search-index.js"), "utf8").replace(/^globalThis\.charterSearch = /, "").replace(/;\s*$/, ""));
  assert.ok(threats.length > 0);
  assert.equal(cells.length, 16);
  assert.equal(cells.reduce((a, b) => a + b, 0), Number(await page.locator('[data-count="threats"]').textContent()));
  await page.locator("svg.risk-matrix").screenshot({ path: join(artefacts, "risk-matrix.png") });
  await page.goto(url(join(portal, "index.html")));
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("header.site nav").isVisible(), false, "the print stylesheet hides the navigation");
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  writeFileSync(join(artefacts, "overview.pdf"), pdf);
  const text = pdf.toString("latin1");
  assert.ok(text.startsWith("%PDF-"), "a PDF");
  const pageCount = (text.match(/\/Type\s*\/Page\b/g) ?? []).length;
  assert.ok(pageCount >= 1, `the PDF has ${pageCount} pages`);
  for (const f of ["overview.png", "risk-matrix.png", "overview.pdf"]) {
    assert.ok(statSync(join(artefacts, f)).size > 1000, f);
  }
  await context.close();
});
