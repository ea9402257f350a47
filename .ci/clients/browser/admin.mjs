// Drives the admin pages in Debian's Chromium with playwright-core, as a moderator would:
// a member files a report through the API, the moderator logs in on /admin/login, resolves
// the report and blocks a domain with the pages' forms; screenshots of each page are kept.
// Usage: node admin.mjs <instance-url> <member> <reported> <admin> <password> <png-prefix>
import { chromium } from "playwright-core";

const [instance, member, reported, admin, password, prefix] = process.argv.slice(2);

async function api(path, options = {}) {
  const response = await fetch(`${instance}${path}`, options);
  const body = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

// The member's report, filed as any app would.
const form = (fields) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fields) });
const app = await api("/api/v1/apps", form({ client_name: "ci", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read write" }));
const token = await api("/oauth/token", form({
  grant_type: "password", client_id: app.client_id, client_secret: app.client_secret,
  username: member, password, scope: "read write",
}));
const target = await api(`/api/v1/accounts/lookup?acct=${reported}`);
const comment = `Spam sent to our members, reported from CI ${Date.now()}`;
await api("/api/v1/reports", {
  ...form({ account_id: target.id, comment, category: "spam" }),
  headers: { "content-type": "application/json", authorization: `Bearer ${token.access_token}` },
});

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  await page.goto(`${instance}/admin/reports`);
  await page.waitForURL(`${instance}/admin/login`);
  await page.fill("#username", admin);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${instance}/admin/reports`);
  const row = page.locator("tr", { hasText: comment });
  await row.waitFor();
  await page.screenshot({ path: `${prefix}-reports.png`, fullPage: true });
  await row.locator("button", { hasText: "Resolve" }).click();
  await page.waitForURL(`${instance}/admin/reports?done=resolved`);
  if ((await page.locator("tr", { hasText: comment }).count()) !== 0) throw new Error("the report is still open");

  await page.click("nav.admin >> text=Domains");
  await page.waitForURL(`${instance}/admin/domains`);
  await page.fill("input[name=domain][placeholder='spam.example']", "spam-wave.example");
  await page.selectOption("select[name=severity]", "suspend");
  await page.check("input[name=reject_media]");
  await page.fill("input[name=private_comment]", "spam wave seen in CI");
  await page.click("button:has-text('Block')");
  await page.waitForURL(`${instance}/admin/domains?done=blocked`);
  const block = page.locator("tr", { hasText: "spam-wave.example" });
  await block.waitFor();
  if (!(await block.textContent()).includes("reject media")) throw new Error("the block lost its options");
  await page.screenshot({ path: `${prefix}-domains.png`, fullPage: true });

  await page.click("nav.admin >> text=Audit log");
  await page.locator("td", { hasText: "domain_block.create" }).first().waitFor();
  await page.locator("td", { hasText: "report.resolve" }).first().waitFor();
  await page.screenshot({ path: `${prefix}-audit.png`, fullPage: true });
  console.log(`admin pages: logged in, resolved a report, blocked a domain, read the audit log; screenshots ${prefix}-*.png`);
} finally {
  await browser.close();
}
