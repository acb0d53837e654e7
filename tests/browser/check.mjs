// Pages as a reader and a screen reader meet them, driven by tests/browser.rs:
//   node check.mjs <chromium> <base-url> <shots-dir> <name>=<path> ...
// For every page: axe-core (wcag2a, wcag2aa, wcag21aa) at 1280 and 360 px,
// failing on impact serious or critical; at 360 px the page is no wider than
// the viewport, the smallest rendered chart text is at least 11 px and, on a
// page with a follow-up table, every Status cell is inside the viewport.
// Screenshots of both widths go to <shots-dir>. Prints one line per problem
// and exits 1 when there is any.
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const puppeteer = require("puppeteer-core");
const axeSource = require("fs").readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [browserPath, base, shots, ...pages] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "rapor-axe-"));
const problems = [];
const browser = await puppeteer.launch({
  executablePath: browserPath,
  headless: true,
  userDataDir: profile,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars"],
  timeout: 60_000,
});

async function axe(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } }),
  );
  for (const v of result.violations) {
    if (v.impact !== "serious" && v.impact !== "critical") continue;
    for (const node of v.nodes.slice(0, 5)) {
      problems.push(`${label}: axe ${v.id} (${v.impact}) at ${node.target.join(" ")}: ${node.failureSummary.replace(/\s+/g, " ")}`);
    }
  }
}

async function phoneChecks(page, label) {
  const m = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scroll = document.documentElement.scrollWidth;
    let smallest = Infinity;
    let smallestText = "";
    for (const t of document.querySelectorAll("svg.chart text")) {
      const box = t.getBoundingClientRect();
      if (box.width === 0 || !t.textContent.trim()) continue;
      const ctm = t.getScreenCTM();
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < smallest) {
        smallest = px;
        smallestText = t.textContent.trim().slice(0, 30);
      }
    }
    const status = [...document.querySelectorAll("#follow-up ~ * .status, section[aria-labelledby='follow-up'] .status")];
    const outside = status
      .map((s) => s.closest("td") || s)
      .filter((c) => {
        const r = c.getBoundingClientRect();
        return r.left < 0 || r.right > width + 0.5;
      })
      .map((c) => c.textContent.trim());
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 3)
      .map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className : ""));
    if (smallest === Infinity) smallest = null;
    return { width, scroll, smallest, smallestText, statusCount: status.length, outside, wide };
  });
  if (m.scroll > 360) problems.push(`${label}: page is ${m.scroll}px wide at 360px (${m.wide.join(", ")})`);
  if (m.smallest !== null && m.smallest < 11) problems.push(`${label}: chart text "${m.smallestText}" is ${m.smallest.toFixed(1)}px at 360px`);
  if (m.outside.length) problems.push(`${label}: follow-up Status cells outside the viewport: ${m.outside.join(", ")}`);
  return m;
}

try {
  for (const spec of pages) {
    const eq = spec.indexOf("=");
    const name = spec.slice(0, eq);
    const path = spec.slice(eq + 1);
    for (const width of [1280, 360]) {
      const page = await browser.newPage();
      await page.setCacheEnabled(false);
      await page.setViewport({ width, height: 900 });
      const label = `${name} ${width}px`;
      const response = await page.goto(base + path, { waitUntil: "load", timeout: 30_000 });
      if (!response || (response.status() !== 200 && name !== "404")) {
        problems.push(`${label}: ${base + path} answered ${response && response.status()}`);
        await page.close();
        continue;
      }
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      if (width === 360) {
        const m = await phoneChecks(page, label);
        console.log(`${label}: scrollWidth ${m.scroll}, smallest chart text ${m.smallest === null ? "-" : m.smallest.toFixed(1) + "px"}, status cells ${m.statusCount}`);
      }
      await axe(page, label);
      await page.close();
    }
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
for (const p of problems) console.log(`PROBLEM ${p}`);
process.exit(problems.length ? 1 : 0);
