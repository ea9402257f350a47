// The web client's logic (bundled with esbuild into app.bundle.js). See index.html.
import { createOAuthAPIClient, createRestAPIClient } from "masto";

const here = new URL(location.href);
const redirectUri = here.origin + here.pathname;

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function start(instance) {
  const masto = createRestAPIClient({ url: instance });
  const app = await masto.v1.apps.create({
    clientName: "Passage browser test",
    redirectUris: redirectUri,
    scopes: "read write",
    website: here.origin,
  });
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(12)));
  sessionStorage.setItem("login", JSON.stringify({ instance, app, verifier, state }));
  const authorize = new URL(instance + "/oauth/authorize");
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope: "read write",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  location.href = authorize.toString();
}

async function finish(code, state) {
  const login = JSON.parse(sessionStorage.getItem("login"));
  if (!login || login.state !== state) throw new Error("state does not match");
  const oauth = createOAuthAPIClient({ url: login.instance });
  const token = await oauth.token.create({
    grantType: "authorization_code",
    clientId: login.app.clientId,
    clientSecret: login.app.clientSecret,
    redirectUri,
    code,
    codeVerifier: login.verifier,
    scope: "read write",
  });
  const masto = createRestAPIClient({ url: login.instance, accessToken: token.accessToken });
  const me = await masto.v1.accounts.verifyCredentials();
  document.getElementById("who").textContent = `Logged in as @${me.acct} (${me.source.privacy} by default)`;
  const posted = await masto.v1.statuses.create({ status: `Hello from a browser, I am ${me.username}` });
  const home = await masto.v1.timelines.home.list({ limit: 5 });
  const timeline = document.getElementById("timeline");
  for (const status of home) {
    const article = document.createElement("article");
    article.dataset.id = status.id;
    article.innerHTML = `<strong>${status.account.displayName || status.account.username}</strong>${status.content}`;
    timeline.append(article);
  }
  if (!home.some((s) => s.id === posted.id)) throw new Error("the new post is not in the home timeline");
  document.body.dataset.posted = posted.id;
  document.body.dataset.state = "done";
}

async function main() {
  const code = here.searchParams.get("code");
  if (code) {
    await finish(code, here.searchParams.get("state"));
  } else {
    await start(here.searchParams.get("instance"));
  }
}

main().catch((e) => {
  document.getElementById("error").textContent = String(e && (e.stack || e));
  document.body.dataset.state = "error";
});
