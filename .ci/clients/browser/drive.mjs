// Drives the web client in Debian's Chromium with playwright-core: opens it, logs in on
// Passage's HTML OAuth page, waits for the post to show in the home timeline, and keeps a
// screenshot. Usage: node drive.mjs <client-url> <instance-url> <username> <password> <png>
import { chromium } from "playwright-core";

const [clientUrl, instance, username, password, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  page.on("console", (m) => console.log(`[browser] ${m.text()}`));
  await page.goto(`${clientUrl}?instance=${encodeURIComponent(instance)}`);
  await page.waitForURL(`${instance}/oauth/authorize**`);
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-oauth.png") });
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("button[value=allow]");
  await page.waitForFunction(() => ["done", "error"].includes(document.body.dataset.state), null, { timeout: 30000 });
  await page.screenshot({ path: screenshot, fullPage: true });
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== "done") {
    throw new Error(`the web client failed: ${await page.textContent("#error")}`);
  }
  const shown = await page.textContent(`article[data-id="${await page.evaluate(() => document.body.dataset.posted)}"]`);
  if (!shown.includes(`Hello from a browser, I am ${username}`)) throw new Error(`unexpected post: ${shown}`);
  console.log(`browser: logged in through the OAuth page, posted, read the home timeline; screenshot ${screenshot}`);
} finally {
  await browser.close();
}
