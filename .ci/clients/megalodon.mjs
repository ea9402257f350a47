// megalodon 10.3.0 (Node 22) against a running Passage instance: server detection through
// NodeInfo, app registration, the browser OAuth flow (out-of-band code read from the login
// page), a media upload, a post, a follow, relationships (`id[]`), the home timeline and the
// notifications.
import fs from "node:fs";
import generator, { detector } from "megalodon";

const [base, password, picture] = process.argv.slice(2);
const OOB = "urn:ietf:wg:oauth:2.0:oob";
function check(condition, what) {
  if (!condition) {
    console.error("megalodon check failed:", what);
    process.exit(1);
  }
}

check((await detector(base)) === "mastodon", "detector reads NodeInfo's upstream");
const anon = generator("mastodon", base);
const app = await anon.registerApp("megalodon CI", { scopes: ["read", "write", "follow"], redirect_uris: OOB });
check(app.url.includes("/oauth/authorize"), app.url);

// The member's part: the login page, filled in and submitted.
const page = await (await fetch(app.url)).text();
const form = new URLSearchParams();
for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
  form.append(name, value.replaceAll("&amp;", "&"));
}
form.append("username", "ana");
form.append("password", password);
form.append("decision", "allow");
const shown = await (await fetch(new URL("/oauth/authorize", base), { method: "POST", body: form })).text();
const code = shown.match(/id="code">([^<]+)</)[1];
const token = await anon.fetchAccessToken(app.client_id, app.client_secret, code, OOB);

const client = generator("mastodon", base, token.access_token);
const me = (await client.verifyAccountCredentials()).data;
check(me.acct === "ana", me.acct);
const media = (await client.uploadMedia(fs.createReadStream(picture), { description: "From megalodon" })).data;
check(media.url && media.description === "From megalodon", JSON.stringify(media));
const status = (await client.postStatus("Hello from megalodon", { media_ids: [media.id] })).data;
check(status.media_attachments[0].id === media.id, JSON.stringify(status));
const found = (await client.search("bea", { type: "accounts" })).data.accounts;
check(found[0]?.acct === "bea", JSON.stringify(found));
await client.followAccount(found[0].id);
const relationships = (await client.getRelationships([found[0].id])).data;
check(relationships[0].following === true, JSON.stringify(relationships));
const home = (await client.getHomeTimeline({ limit: 5 })).data;
check(home[0].id === status.id, "own post first in home");
const notifications = (await client.getNotifications()).data;
check(notifications.length > 0, "notifications");
check(status.url.endsWith(`/@ana/${status.id}`), `a status's url names its id: ${status.url}`);
const reblog = (await client.reblogStatus(home.find((s) => s.account.acct === "bea")?.id ?? status.id)).data;
check(reblog.reblogged === true && reblog.reblog?.reblogged === true, JSON.stringify(reblog));
console.log("megalodon: detection, OAuth login, media, post, search, follow, relationships, timeline, notifications: ok");
