// The search box that finds a district, driven by tests/browser.rs:
//   node search.mjs <chromium> <page-url> <name>
// With JavaScript, at 360 px: the box is in the first screen, typing <name>
// (in lower case, its first "a" written "á") leaves one item in the list,
// the one named <name>. Without JavaScript: every item is listed and
// the box is hidden. Prints one line per problem and exits 1 when there is any.
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const puppeteer = require("puppeteer-core");

const [browserPath, url, name] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "rapor-search-"));
const problems = [];
const browser = await puppeteer.launch({
  executablePath: browserPath,
  headless: true,
  userDataDir: profile,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 60_000,
});

const visible = () => Array.from(document.querySelectorAll("#finder-list > li"))
  .filter((li) => li.offsetParent !== null)
  .map((li) => li.querySelector("a.found").textContent);

try {
  const page = await browser.newPage();
  await page.setViewport({ width: 360, height: 740 });
  await page.goto(url, { waitUntil: "load" });
  const all = (await page.evaluate(visible)).length;
  const box = await page.$eval(".finder-box", (b) => {
    const r = b.getBoundingClientRect();
    return { shown: b.offsetParent !== null, top: r.top + window.scrollY };
  });
  if (!box.shown) problems.push("with JavaScript the search box is hidden");
  if (box.top > 740) problems.push(`the search box starts ${Math.round(box.top)} px down, below the first screen`);
  await page.type("#finder-q", name.toLowerCase().replace("a", "á"));
  const left = await page.evaluate(visible);
  if (left.length !== 1 || left[0] !== name) problems.push(`typing "${name}" leaves ${JSON.stringify(left)}`);
  const status = await page.$eval("#finder-status", (s) => s.textContent);
  if (!status.includes("1")) problems.push(`the status says "${status}"`);
  await page.click("#finder-q", { clickCount: 3 });
  await page.keyboard.press("Backspace");
  const back = (await page.evaluate(visible)).length;
  if (back !== all) problems.push(`clearing the box lists ${back} of ${all}`);

  const plain = await browser.newPage();
  await plain.setJavaScriptEnabled(false);
  await plain.setViewport({ width: 360, height: 740 });
  await plain.goto(url, { waitUntil: "load" });
  const listed = (await plain.evaluate(visible)).length;
  const total = await plain.$$eval("#finder-list > li", (l) => l.length);
  if (listed !== total || total < 2) problems.push(`without JavaScript ${listed} of ${total} districts are listed`);
  const hidden = await plain.$eval(".finder-box", (b) => b.offsetParent === null);
  if (!hidden) problems.push("without JavaScript the search box shows");
  console.log(`${url}: ${all} districts, "${name}" found alone; ${listed} listed without JavaScript`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
