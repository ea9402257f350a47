//! Sign-up through the API (toot's `register`, megalodon): per the instance's mode.

use reqwest::Method;
use serde_json::json;
use testkit::{TestNetwork, client::Client};

/// An app and its own token (client credentials), as toot gets one to register.
async fn app_token(base: &str) -> Client {
    let mut anon = Client::anonymous(base);
    let app = anon
        .json(
            Method::POST,
            "/api/v1/apps",
            json!({"client_name": "toot", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write follow"}),
        )
        .await;
    let token = anon
        .json(
            Method::POST,
            "/oauth/token",
            json!({"grant_type": "client_credentials", "client_id": app.body["client_id"],
                   "client_secret": app.body["client_secret"], "scope": "read write"}),
        )
        .await;
    assert_eq!(token.status, 200, "{}", token.text);
    anon.token = token.body["access_token"].as_str().map(str::to_owned);
    anon
}

/// A client holding the token a sign-up answered with.
fn with_token(base: &str, signed_up: &testkit::client::Answer) -> Client {
    let mut client = Client::anonymous(base);
    client.token = signed_up.body["access_token"].as_str().map(str::to_owned);
    client
}

fn signup(reason: Option<&str>) -> serde_json::Value {
    json!({"username": "dara", "email": "dara@example.org", "password": "a long password",
           "agreement": "1", "locale": "lv", "reason": reason})
}

#[tokio::test]
async fn registration_follows_the_instance_mode() {
    let mut net = TestNetwork::start(1).await;
    let app = app_token(&net.get(0).base_url()).await;
    // The default mode is invite-only.
    let refused = app
        .json(Method::POST, "/api/v1/accounts", signup(None))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(
        refused.body["error"]
            .as_str()
            .unwrap()
            .contains("invitation")
    );

    let a = &mut net.instances[0];
    a.stop().await;
    a.config.instance.registrations = passage_core::config::Registrations::Approval;
    a.start().await;
    let a = net.get(0);
    let app = app_token(&a.base_url()).await;
    let no_reason = app
        .json(Method::POST, "/api/v1/accounts", signup(None))
        .await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body["error"].as_str().unwrap().contains("reason"));
    let mut short = signup(Some("I work with the city's newcomers desk"));
    short["password"] = json!("short");
    let short = app.json(Method::POST, "/api/v1/accounts", short).await;
    assert!(
        short.body["error"].as_str().unwrap().contains("password"),
        "{}",
        short.text
    );

    let made = app
        .json(
            Method::POST,
            "/api/v1/accounts",
            signup(Some("I work with the city's newcomers desk")),
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.text);
    let dara = with_token(&a.base_url(), &made);
    assert_eq!(
        dara.get("/api/v1/accounts/verify_credentials").await.status,
        401,
        "pending approval"
    );

    passage_core::accounts::approve(a.ctx(), "dara")
        .await
        .unwrap();
    let me = dara.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(
        (me.status.as_u16(), me.body["acct"].as_str()),
        (200, Some("dara"))
    );
    let taken = app
        .json(Method::POST, "/api/v1/accounts", signup(Some("again")))
        .await;
    assert_eq!(taken.status, 422, "{}", taken.text);
    net.shutdown().await;
}

fn signup_as(username: &str, email: &str, invite: Option<&str>) -> serde_json::Value {
    json!({"username": username, "email": email, "password": "a long password",
           "agreement": "1", "invite_code": invite})
}

#[tokio::test]
async fn invitations_email_domain_blocks_and_daily_limits_guard_sign_ups() {
    let mut net = TestNetwork::start(1).await;
    let a = net.get(0);
    let root = a.admin("root").await;
    let made = root
        .json(
            Method::POST,
            "/api/passage/v1/admin/invites",
            json!({"max_uses": 1, "expires_in": 86400}),
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.text);
    let code = made.body["code"].as_str().unwrap().to_owned();
    let blocked = root
        .json(
            Method::POST,
            "/api/v1/admin/email_domain_blocks",
            json!({"domain": "spam.example"}),
        )
        .await;
    assert_eq!(blocked.status, 200, "{}", blocked.text);

    // Apps check a code before signing up with it, as with Mastodon 4.3.
    let app = app_token(&a.base_url()).await;
    let shown = app.get(&format!("/api/v1/invites/{code}")).await;
    assert_eq!(
        shown.body["instance_api_url"],
        a.base_url().as_str(),
        "{}",
        shown.text
    );
    assert_eq!(app.get("/api/v1/invites/nonsense").await.status, 404);

    // A blocked provider (its subdomains too) and addresses that hide one are refused.
    for email in [
        "dara@mail.spam.example",
        "dara@example.org%spam.example",
        "\"x@spam.example\"@example.org",
    ] {
        let refused = app
            .json(
                Method::POST,
                "/api/v1/accounts",
                signup_as("dara", email, Some(&code)),
            )
            .await;
        assert_eq!(refused.status, 422, "{email}: {}", refused.text);
        assert!(
            refused.body["error"].as_str().unwrap().contains("email:"),
            "{}",
            refused.text
        );
    }

    // The invitation opens the invite-only instance, without waiting for approval, once.
    let joined = app
        .json(
            Method::POST,
            "/api/v1/accounts",
            signup_as("dara", "dara@example.org", Some(&code)),
        )
        .await;
    assert_eq!(joined.status, 200, "{}", joined.text);
    let dara = with_token(&a.base_url(), &joined);
    assert_eq!(
        dara.get("/api/v1/accounts/verify_credentials").await.status,
        200
    );
    let used_up = app
        .json(
            Method::POST,
            "/api/v1/accounts",
            signup_as("emil", "emil@example.org", Some(&code)),
        )
        .await;
    assert_eq!(used_up.status, 422, "{}", used_up.text);
    assert!(
        used_up.body["error"]
            .as_str()
            .unwrap()
            .contains("invite_code")
    );
    let listed = root.get("/api/passage/v1/admin/invites").await;
    assert_eq!(listed.body[0]["uses"], 1);
    assert_eq!(listed.body[0]["usable"], false);

    // An open instance takes two sign-ups a day here: dara's and one more.
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.instance.registrations = passage_core::config::Registrations::Open;
    a.config.accounts.registrations_per_day = 2;
    a.start().await;
    let app = app_token(&net.get(0).base_url()).await;
    let second = app
        .json(
            Method::POST,
            "/api/v1/accounts",
            signup_as("emil", "emil@example.org", None),
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    let third = app
        .json(
            Method::POST,
            "/api/v1/accounts",
            signup_as("fred", "fred@example.org", None),
        )
        .await;
    assert_eq!(third.status, 403, "{}", third.text);
    assert!(third.body["error"].as_str().unwrap().contains("tomorrow"));
    net.shutdown().await;
}

#[tokio::test]
async fn an_open_instance_nobody_moderates_takes_sign_ups_for_approval() {
    let mut net = TestNetwork::start(1).await;
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.instance.registrations = passage_core::config::Registrations::Open;
    a.start().await;
    let a = net.get(0);
    let root = a.admin("root").await;
    let app = app_token(&a.base_url()).await;

    // No moderator has done anything yet: the sign-up waits.
    let waiting = app
        .json(
            Method::POST,
            "/api/v1/accounts",
            signup_as("dara", "dara@example.org", None),
        )
        .await;
    assert_eq!(waiting.status, 200, "{}", waiting.text);
    let dara = with_token(&a.base_url(), &waiting);
    assert_eq!(
        dara.get("/api/v1/accounts/verify_credentials").await.status,
        401
    );

    // A moderator acts (any audited action): sign-ups are taken at once again.
    let blocked = root
        .json(
            Method::POST,
            "/api/v1/admin/email_domain_blocks",
            json!({"domain": "spam.example"}),
        )
        .await;
    assert_eq!(blocked.status, 200, "{}", blocked.text);
    let joined = app
        .json(
            Method::POST,
            "/api/v1/accounts",
            signup_as("emil", "emil@example.org", None),
        )
        .await;
    let emil = with_token(&a.base_url(), &joined);
    assert_eq!(
        emil.get("/api/v1/accounts/verify_credentials").await.status,
        200
    );
    net.shutdown().await;
}
