//! Grouped notifications (`/api/v2/notifications`): favourites and boosts of one post and new
//! followers fold into groups with counts and sample accounts; other types stay single;
//! groups are read, listed by account, dismissed; unread counts follow the marker.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn group<'a>(body: &'a Value, kind: &str) -> &'a Value {
    body["notification_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} group in {body}"))
}

#[tokio::test]
async fn favourites_boosts_and_follows_fold_into_groups() {
    let net = testkit::TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, cem) = a.three_members().await;
    let ana_id = ana.get("/api/v1/accounts/verify_credentials").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bea_id = bea.get("/api/v1/accounts/verify_credentials").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cem_id = cem.get("/api/v1/accounts/verify_credentials").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let post = ana
        .status("Our toolkit on participatory budgeting is out")
        .await;
    let post_id = post["id"].as_str().unwrap();
    for client in [&bea, &cem] {
        client
            .post(&format!("/api/v1/statuses/{post_id}/favourite"))
            .await;
        client
            .post(&format!("/api/v1/statuses/{post_id}/reblog"))
            .await;
    }
    cem.post(&format!("/api/v1/accounts/{ana_id}/follow")).await;
    bea.status("@ana thank you for the toolkit").await;

    let page = ana.get("/api/v2/notifications").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let groups = page.body["notification_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 4, "{}", page.text);
    assert_eq!(groups[0]["type"], "mention", "newest first: {}", page.text);
    assert!(
        groups[0]["group_key"]
            .as_str()
            .unwrap()
            .starts_with("ungrouped-")
    );
    let favourites = group(&page.body, "favourite");
    assert_eq!(favourites["notifications_count"], 2);
    assert_eq!(favourites["sample_account_ids"], json!([cem_id, bea_id]));
    assert_eq!(favourites["status_id"], post_id);
    assert_eq!(group(&page.body, "reblog")["notifications_count"], 2);
    assert_eq!(
        group(&page.body, "follow")["sample_account_ids"],
        json!([cem_id])
    );
    assert!(group(&page.body, "follow")["status_id"].is_null());
    // Accounts and statuses come once each, beside the groups.
    assert_eq!(page.body["accounts"].as_array().unwrap().len(), 2);
    let statuses = page.body["statuses"].as_array().unwrap();
    assert_eq!(
        statuses.len(),
        2,
        "the toolkit and the mention: {}",
        page.text
    );

    // v1 carries the same keys, so clients can merge both.
    let v1 = ana.get("/api/v1/notifications?types[]=favourite").await;
    assert_eq!(v1.body.as_array().unwrap().len(), 2);
    assert_eq!(v1.body[0]["group_key"], favourites["group_key"]);

    // A client that groups only favourites sees each boost alone.
    let narrow = ana
        .get("/api/v2/notifications?grouped_types[]=favourite")
        .await;
    assert_eq!(
        narrow.body["notification_groups"].as_array().unwrap().len(),
        5
    );

    let key = favourites["group_key"].as_str().unwrap();
    let one = ana.get(&format!("/api/v2/notifications/{key}")).await;
    assert_eq!(
        one.body["notification_groups"][0]["notifications_count"], 2,
        "{}",
        one.text
    );
    let who = ana
        .get(&format!("/api/v2/notifications/{key}/accounts"))
        .await;
    assert_eq!(who.body.as_array().unwrap().len(), 2, "{}", who.text);

    // Unread counts follow the notifications marker.
    let unread = ana.get("/api/v1/notifications/unread_count").await;
    assert_eq!(unread.body, json!({"count": 6}));
    let unread = ana.get("/api/v2/notifications/unread_count").await;
    assert_eq!(unread.body, json!({"count": 4}));
    let newest = ana.get("/api/v1/notifications?limit=1").await.body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ana.form(
        Method::POST,
        "/api/v1/markers",
        &[("notifications[last_read_id]", &newest)],
    )
    .await;
    assert_eq!(
        ana.get("/api/v1/notifications/unread_count").await.body,
        json!({"count": 0})
    );

    // Paging by notifications: a short page links to the rest.
    let short = ana.get("/api/v2/notifications?limit=2").await;
    assert!(
        short.link().unwrap().contains("max_id="),
        "{:?}",
        short.link()
    );

    let dismissed = ana
        .post(&format!("/api/v2/notifications/{key}/dismiss"))
        .await;
    assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.text);
    let after = ana.get("/api/v2/notifications").await;
    assert_eq!(
        after.body["notification_groups"].as_array().unwrap().len(),
        3
    );
    for bad in ["favourite-x-1", "mention-1-2", "ungrouped-1"] {
        let missing = ana.get(&format!("/api/v2/notifications/{bad}")).await;
        assert_eq!(
            missing.status,
            StatusCode::NOT_FOUND,
            "{bad}: {}",
            missing.text
        );
    }
    // Someone else's group is not found either.
    let theirs = bea
        .get(&format!(
            "/api/v2/notifications/{}",
            group(&page.body, "follow")["group_key"].as_str().unwrap()
        ))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    net.shutdown().await;
}
