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
    let mut dara = Client::anonymous(&a.base_url());
    dara.token = made.body["access_token"].as_str().map(str::to_owned);
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
