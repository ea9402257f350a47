//! The notification policy: private mentions from strangers wait under requests by default,
//! replies to one's own private posts do not; requests are accepted (the account gets
//! through from then on) or dismissed; a "drop" rule records nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::client::{Answer, Client};

async fn dm(client: &Client, text: &str, reply: Option<&str>) -> Answer {
    let body = json!({"status": text, "visibility": "direct", "in_reply_to_id": reply});
    let answer = client.json(Method::POST, "/api/v1/statuses", body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer
}

async fn mentions(client: &Client) -> Vec<Value> {
    let list = client.get("/api/v1/notifications?types[]=mention").await;
    list.body.as_array().unwrap().clone()
}

async fn id_of(client: &Client) -> String {
    let me = client.get("/api/v1/accounts/verify_credentials").await;
    me.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn strangers_private_mentions_wait_until_accepted() {
    let net = testkit::TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, cem) = a.three_members().await;
    let (bea_id, cem_id) = (id_of(&bea).await, id_of(&cem).await);

    let policy = ana.get("/api/v2/notifications/policy").await;
    assert_eq!(
        policy.body["for_private_mentions"], "filter",
        "{}",
        policy.text
    );
    assert_eq!(policy.body["for_not_following"], "accept");

    dm(&bea, "@ana I need help with my residence papers", None).await;
    assert!(mentions(&ana).await.is_empty(), "held back");
    let policy = ana.get("/api/v2/notifications/policy").await;
    assert_eq!(
        policy.body["summary"],
        json!({"pending_requests_count": 1, "pending_notifications_count": 1})
    );
    let requests = ana.get("/api/v1/notifications/requests").await;
    assert_eq!(requests.body[0]["id"], bea_id.as_str(), "{}", requests.text);
    assert_eq!(requests.body[0]["account"]["username"], "bea");
    assert_eq!(requests.body[0]["notifications_count"], "1");
    assert!(
        requests.body[0]["last_status"]["content"]
            .as_str()
            .unwrap()
            .contains("residence papers")
    );
    let all = ana
        .get("/api/v1/notifications?types[]=mention&include_filtered=true")
        .await;
    assert_eq!(all.body.as_array().unwrap().len(), 1);

    // A reply to one's own private post is never held back.
    let asked = dm(&ana, "@cem could you translate the flyer?", None).await;
    let asked_id = asked.body["id"].as_str().unwrap().to_owned();
    dm(&cem, "@ana yes, tomorrow", Some(&asked_id)).await;
    assert_eq!(mentions(&ana).await.len(), 1);

    // Accepting brings the waiting notification in, and lets bea through from now on.
    let accepted = ana
        .post(&format!("/api/v1/notifications/requests/{bea_id}/accept"))
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    dm(&bea, "@ana thank you!", None).await;
    assert_eq!(mentions(&ana).await.len(), 3);
    assert_eq!(
        ana.get("/api/v1/notifications/requests").await.body,
        json!([])
    );

    // Dismissing deletes what waited; the next one waits again.
    dm(&cem, "@ana another question", None).await;
    let dismissed = ana
        .form(
            Method::POST,
            "/api/v1/notifications/requests/dismiss",
            &[("id[]", &cem_id)],
        )
        .await;
    assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.text);
    let policy = ana.get("/api/v2/notifications/policy").await;
    assert_eq!(policy.body["summary"]["pending_notifications_count"], 0);
    dm(&cem, "@ana one more", None).await;
    let waiting = ana
        .get(&format!("/api/v1/notifications/requests/{cem_id}"))
        .await;
    assert_eq!(waiting.body["notifications_count"], "1", "{}", waiting.text);
    assert_eq!(
        ana.get(&format!("/api/v1/notifications/requests/{bea_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    net.shutdown().await;
}

#[tokio::test]
async fn a_drop_rule_records_nothing_and_bad_values_are_refused() {
    let net = testkit::TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, cem) = a.three_members().await;
    let ana_id = id_of(&ana).await;
    // Ana follows bea, so bea is never caught by the rules.
    ana.post(&format!("/api/v1/accounts/{}/follow", id_of(&bea).await))
        .await;

    let changed = ana
        .json(
            Method::PATCH,
            "/api/v2/notifications/policy",
            json!({"for_not_following": "drop"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(changed.body["for_not_following"], "drop");
    assert_eq!(
        changed.body["for_private_mentions"], "filter",
        "others kept"
    );
    let v1 = ana.get("/api/v1/notifications/policy").await;
    assert_eq!(v1.body["filter_not_following"], true, "{}", v1.text);

    let post = ana.status("Call for partners: inclusion lab").await;
    let post_id = post["id"].as_str().unwrap();
    cem.post(&format!("/api/v1/statuses/{post_id}/favourite"))
        .await;
    cem.post(&format!("/api/v1/accounts/{ana_id}/follow")).await;
    bea.post(&format!("/api/v1/statuses/{post_id}/favourite"))
        .await;
    let all = ana.get("/api/v1/notifications?include_filtered=true").await;
    let kinds: Vec<(&str, &str)> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["type"].as_str().unwrap(),
                n["account"]["username"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds, [("favourite", "bea")], "{}", all.text);

    let refused = ana
        .json(
            Method::PATCH,
            "/api/v2/notifications/policy",
            json!({"for_new_accounts": "ignore"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body["error"]
            .as_str()
            .unwrap()
            .contains("for_new_accounts")
    );
    net.shutdown().await;
}
