//! The authorisation holes found in review (issue 25), one test each: followers-only posts
//! through lists, bookmarks and favourites; reads with a token lacking the scope or a frozen
//! login; links on the consent page; the per-address limit; follow lists; reports.

use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestNetwork, client::Client};

fn contents(answer: &testkit::client::Answer) -> Vec<String> {
    answer
        .body
        .as_array()
        .unwrap_or_else(|| panic!("{}", answer.text))
        .iter()
        .map(|s| s["content"].as_str().unwrap().to_owned())
        .collect()
}

async fn private_post(client: &Client, text: &str) -> Value {
    let posted = client
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": text, "visibility": "private"}),
        )
        .await;
    assert_eq!(posted.status, 200, "{}", posted.text);
    posted.body
}

#[tokio::test]
async fn lists_bookmarks_and_favourites_show_only_what_the_owner_may_see() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, _) = a.three_members().await;
    let bea_id = a.member_id("bea").await;
    let locked = bea
        .form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &[("locked", "true")],
        )
        .await;
    assert_eq!(locked.status, 200);
    private_post(&bea, "for my followers").await;

    // A pending request is enough to put bea in a list (as Mastodon), not to read her.
    ana.post(&format!("/api/v1/accounts/{bea_id}/follow")).await;
    let list = ana
        .json(Method::POST, "/api/v1/lists", json!({"title": "City"}))
        .await;
    let list_id = list.body["id"].as_str().unwrap().to_owned();
    let added = ana
        .form(
            Method::POST,
            &format!("/api/v1/lists/{list_id}/accounts"),
            &[("account_ids[]", &bea_id.to_string())],
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.text);
    let timeline = format!("/api/v1/timelines/list/{list_id}");
    assert!(
        contents(&ana.get(&timeline).await).is_empty(),
        "pending: nothing private"
    );

    // Accepted: she reads, bookmarks and favourites it.
    let me = ana.get("/api/v1/accounts/verify_credentials").await;
    let ana_id = me.body["id"].as_str().unwrap().to_owned();
    let accepted = bea
        .post(&format!("/api/v1/follow_requests/{ana_id}/authorize"))
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    let seen = ana.get(&timeline).await;
    assert_eq!(contents(&seen).len(), 1);
    let post_id = seen.body[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        ana.post(&format!("/api/v1/statuses/{post_id}/bookmark"))
            .await
            .status,
        200
    );
    assert_eq!(
        ana.post(&format!("/api/v1/statuses/{post_id}/favourite"))
            .await
            .status,
        200
    );

    // Removed as a follower: out of the list, and nothing of bea's is shown any more.
    let removed = bea
        .post(&format!("/api/v1/accounts/{ana_id}/remove_from_followers"))
        .await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert!(contents(&ana.get(&timeline).await).is_empty());
    let members = ana.get(&format!("/api/v1/lists/{list_id}/accounts")).await;
    assert_eq!(
        members.body.as_array().unwrap().len(),
        0,
        "{}",
        members.text
    );
    assert!(contents(&ana.get("/api/v1/bookmarks").await).is_empty());
    assert!(contents(&ana.get("/api/v1/favourites").await).is_empty());
    net.shutdown().await;
}

#[tokio::test]
async fn a_narrow_token_or_a_frozen_login_reads_nothing_private() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, _, _) = a.three_members().await;
    let bea_id = a.member_id("bea").await;
    let dm = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "@bea the address is...", "visibility": "direct"}),
        )
        .await;
    let dm_id = dm.body["id"].as_str().unwrap().to_owned();
    let media_only = Client::login_with_scopes(&a.base_url(), "bea", "write:media").await;
    for path in [
        format!("/api/v1/statuses/{dm_id}"),
        format!("/api/v1/statuses/{dm_id}/context"),
        format!("/api/v1/accounts/{bea_id}/statuses"),
        "/api/v1/timelines/public".to_owned(),
        "/api/v2/search?q=ana".to_owned(),
    ] {
        let answer = media_only.get(&path).await;
        assert_eq!(answer.status, 403, "{path}: {}", answer.text);
    }
    let stream = media_only.get("/api/v1/streaming/direct").await;
    assert_eq!(stream.status, 403, "{}", stream.text);

    // Frozen by a moderator: her full token reads nothing either.
    let full = a.login("bea").await;
    assert_eq!(
        full.get(&format!("/api/v1/statuses/{dm_id}")).await.status,
        200
    );
    let root = a.admin("root").await;
    let froze = root
        .json(
            Method::POST,
            &format!("/api/v1/admin/accounts/{bea_id}/action"),
            json!({"type": "disable"}),
        )
        .await;
    assert_eq!(froze.status, 200, "{}", froze.text);
    let answer = full.get(&format!("/api/v1/statuses/{dm_id}")).await;
    assert_eq!(answer.status, 403, "{}", answer.text);
    net.shutdown().await;
}

#[tokio::test]
async fn follow_lists_are_shown_only_when_their_owner_chooses() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, _) = a.three_members().await;
    let bea_id = a.member_id("bea").await;
    ana.post(&format!("/api/v1/accounts/{bea_id}/follow")).await;
    let path = format!("/api/v1/accounts/{bea_id}/followers");
    let anonymous = Client::anonymous(&a.base_url());
    assert_eq!(anonymous.get(&path).await.body, json!([]));
    assert_eq!(ana.get(&path).await.body, json!([]));
    assert_eq!(
        bea.get(&path).await.body.as_array().unwrap().len(),
        1,
        "her own"
    );
    let me = bea.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(me.body["source"]["hide_collections"], true);
    bea.form(
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        &[("hide_collections", "false")],
    )
    .await;
    assert_eq!(anonymous.get(&path).await.body.as_array().unwrap().len(), 1);
    net.shutdown().await;
}

#[tokio::test]
async fn an_app_cannot_put_a_script_on_the_consent_page() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let anonymous = Client::anonymous(&a.base_url());
    let app = anonymous
        .form(
            Method::POST,
            "/api/v1/apps",
            &[
                ("client_name", "Evil"),
                ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
                ("website", "javascript:alert(document.cookie)"),
            ],
        )
        .await;
    assert_eq!(app.status, 422, "{}", app.text);
    let good = anonymous
        .form(
            Method::POST,
            "/api/v1/apps",
            &[
                ("client_name", "Good"),
                ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
                ("website", "https://app.example"),
            ],
        )
        .await;
    assert_eq!(good.status, 200, "{}", good.text);
    let page = anonymous
        .http
        .get(format!(
            "{}/oauth/authorize?response_type=code&client_id={}&redirect_uri=urn:ietf:wg:oauth:2.0:oob",
            a.base_url(),
            good.body["client_id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script-src"), "{csp}");
    net.shutdown().await;
}

#[tokio::test]
async fn another_authorization_scheme_is_counted_as_anonymous() {
    let mut net = TestNetwork::start(1).await;
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.limits.api_per_ip_per_5_minutes = 3;
    a.start().await;
    let a = net.get(0);
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let answer = http
            .get(format!("{}/api/v1/timelines/public", a.base_url()))
            .header("authorization", "Basic dXNlcjpwYXNz")
            .send()
            .await
            .unwrap();
        statuses.push(answer.status().as_u16());
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    // Guessed bearer tokens are counted too.
    let guessed = http
        .get(format!("{}/api/v1/timelines/public", a.base_url()))
        .bearer_auth("guessed")
        .send()
        .await
        .unwrap();
    assert_eq!(guessed.status(), 429);
    net.shutdown().await;
}

#[tokio::test]
async fn a_report_names_only_posts_the_reporter_can_see() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, _) = a.three_members().await;
    let ana_id = a.member_id("ana").await;
    let hidden = private_post(&ana, "not for bea").await;
    let report = bea
        .json(
            Method::POST,
            "/api/v1/reports",
            json!({"account_id": ana_id.to_string(), "status_ids": [hidden["id"]]}),
        )
        .await;
    assert_eq!(report.status, 422, "{}", report.text);
    net.shutdown().await;
}
