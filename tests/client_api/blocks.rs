//! Blocks and mutes keep accounts away: follows end, posts and notifications are hidden.

use reqwest::Method;
use serde_json::json;
use testkit::TestNetwork;

#[tokio::test]
async fn blocks_end_follows_and_hide_and_mutes_hide() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let ana = a.member("ana").await;
    let bea = a.member("bea").await;
    let cem = a.member("cem").await;
    let (ana_api, bea_api, cem_api) = (
        a.login("ana").await,
        a.login("bea").await,
        a.login("cem").await,
    );
    bea_api
        .post(&format!("/api/v1/accounts/{}/follow", ana.id))
        .await;
    ana_api
        .post(&format!("/api/v1/accounts/{}/follow", bea.id))
        .await;
    let beas = bea_api.status("first from bea").await;
    cem_api.status("first from cem").await;
    let local = ana_api.get("/api/v1/timelines/public?local=true").await;
    assert_eq!(local.body.as_array().unwrap().len(), 2);

    let rel = ana_api
        .post(&format!("/api/v1/accounts/{}/block", bea.id))
        .await;
    assert_eq!(
        (
            rel.body["blocking"].clone(),
            rel.body["following"].clone(),
            rel.body["followed_by"].clone()
        ),
        (json!(true), json!(false), json!(false)),
        "{}",
        rel.text
    );
    let theirs = bea_api
        .get(&format!("/api/v1/accounts/relationships?id[]={}", ana.id))
        .await;
    assert_eq!(theirs.body[0]["blocked_by"], true);
    let again = bea_api
        .post(&format!("/api/v1/accounts/{}/follow", ana.id))
        .await;
    assert_eq!(again.status, 403, "{}", again.text);

    let mine = ana_api.status("hello @cem").await;
    bea_api
        .post(&format!(
            "/api/v1/statuses/{}/favourite",
            mine["id"].as_str().unwrap()
        ))
        .await;
    let notes = ana_api.get("/api/v1/notifications").await;
    assert!(
        notes
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["account"]["acct"] != "bea"),
        "{}",
        notes.text
    );
    let local = ana_api.get("/api/v1/timelines/public?local=true").await;
    let authors: Vec<&str> = local
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["account"]["acct"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["ana", "cem"]);

    // Mute cem but keep his notifications.
    let muted = ana_api
        .json(
            Method::POST,
            &format!("/api/v1/accounts/{}/mute", cem.id),
            json!({"notifications": false}),
        )
        .await;
    assert_eq!(
        (
            muted.body["muting"].clone(),
            muted.body["muting_notifications"].clone()
        ),
        (json!(true), json!(false))
    );
    cem_api
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "@ana thanks", "in_reply_to_id": mine["id"]}),
        )
        .await;
    let local = ana_api.get("/api/v1/timelines/public?local=true").await;
    assert_eq!(
        local.body.as_array().unwrap().len(),
        1,
        "only ana's own post"
    );
    let notes = ana_api.get("/api/v1/notifications?types[]=mention").await;
    assert_eq!(notes.body[0]["account"]["acct"], "cem");

    // Reports go to the moderators with the posts they are about.
    let report = ana_api
        .json(
            Method::POST,
            "/api/v1/reports",
            json!({"account_id": bea.id.to_string(), "status_ids": [beas["id"]], "comment": "harassment", "category": "violation"}),
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    assert_eq!(report.body["target_account"]["acct"], "bea");
    assert_eq!(report.body["status_ids"], json!([beas["id"]]));
    let wrong = ana_api
        .json(
            Method::POST,
            "/api/v1/reports",
            json!({"account_id": bea.id.to_string(), "status_ids": [mine["id"]]}),
        )
        .await;
    assert_eq!(
        wrong.status, 422,
        "only the account's own posts: {}",
        wrong.text
    );

    let blocks = ana_api.get("/api/v1/blocks").await;
    assert_eq!(blocks.body[0]["acct"], "bea");
    let mutes = ana_api.get("/api/v1/mutes").await;
    assert_eq!(mutes.body[0]["acct"], "cem");
    ana_api
        .post(&format!("/api/v1/accounts/{}/unblock", bea.id))
        .await;
    ana_api
        .post(&format!("/api/v1/accounts/{}/unmute", cem.id))
        .await;
    let local = ana_api.get("/api/v1/timelines/public?local=true").await;
    assert_eq!(local.body.as_array().unwrap().len(), 3);
    net.shutdown().await;
}
