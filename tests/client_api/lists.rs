//! Lists: private groupings with their own timeline.

use reqwest::Method;
use serde_json::json;
use testkit::TestNetwork;

#[tokio::test]
async fn lists_hold_followed_accounts_and_show_their_posts() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let bea = a.member("bea").await;
    let cem = a.member("cem").await;
    let dara = a.member("dara").await;
    let (ana, bea_api, cem_api) = (
        a.login("ana").await,
        a.login("bea").await,
        a.login("cem").await,
    );
    for who in [&bea, &cem] {
        ana.post(&format!("/api/v1/accounts/{}/follow", who.id))
            .await;
    }
    let list = ana
        .json(
            Method::POST,
            "/api/v1/lists",
            json!({"title": "Partner cities", "replies_policy": "list"}),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let id = list.body["id"].as_str().unwrap().to_owned();
    let added = ana
        .form(
            Method::POST,
            &format!("/api/v1/lists/{id}/accounts"),
            &[("account_ids[]", &bea.id.to_string())],
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.text);
    let stranger = ana
        .json(
            Method::POST,
            &format!("/api/v1/lists/{id}/accounts"),
            json!({"account_ids": [dara.id.to_string()]}),
        )
        .await;
    assert_eq!(stranger.status, 404, "only followed accounts go in a list");

    bea_api.status("from bea").await;
    cem_api.status("from cem").await;
    let timeline = ana.get(&format!("/api/v1/timelines/list/{id}")).await;
    let texts: Vec<&str> = timeline
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["content"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["<p>from bea</p>"]);
    let members = ana.get(&format!("/api/v1/lists/{id}/accounts")).await;
    assert_eq!(members.body[0]["acct"], "bea");
    let holding = ana.get(&format!("/api/v1/accounts/{}/lists", bea.id)).await;
    assert_eq!(holding.body[0]["title"], "Partner cities");

    let renamed = ana
        .json(
            Method::PUT,
            &format!("/api/v1/lists/{id}"),
            json!({"title": "Partners"}),
        )
        .await;
    assert_eq!(renamed.body["title"], "Partners");
    assert_eq!(
        bea_api.get(&format!("/api/v1/lists/{id}")).await.status,
        404,
        "lists are private"
    );
    let bad = ana
        .json(Method::POST, "/api/v1/lists", json!({"title": ""}))
        .await;
    assert_eq!(bad.status, 422);
    ana.json(Method::DELETE, &format!("/api/v1/lists/{id}"), json!({}))
        .await;
    assert_eq!(ana.get("/api/v1/lists").await.body, json!([]));
    net.shutdown().await;
}
