//! A local suspension seen from another server: the account's document says `suspended` at
//! once, and thirty days later the account is purged here and its `Delete` removes its posts
//! and follows on every server that knew it.

use passage_db::entities::actors;
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;
use testkit::{TestNetwork, client::fetch_ap};

#[tokio::test]
async fn a_suspended_member_is_purged_after_thirty_days_on_every_server() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    let sam = alpha.member("sam").await;
    let sam_client = alpha.login("sam").await;
    let eve = beta.member("eve").await;
    let sam_on_beta = net.follow(1, &eve, 0, &sam).await;
    let posted = sam_client.status("Hello from sam").await;
    net.deliver_all().await;
    let post = passage_core::posts::by_ap_id(alpha.ctx(), posted["uri"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        beta.copy_of(&post).await.is_some(),
        "delivered before the suspension"
    );

    // Suspended: the document other servers fetch keeps only what identifies the account.
    let suspended = root
        .json(
            Method::POST,
            &format!("/api/v1/admin/accounts/{}/action", sam.id),
            json!({"type": "suspend", "text": "spam"}),
        )
        .await;
    assert_eq!(suspended.status, 200, "{}", suspended.text);
    net.deliver_all().await;
    let (status, doc) = fetch_ap(&sam.ap_id).await;
    assert_eq!(status, 200);
    assert_eq!(doc["suspended"], true, "{doc}");
    assert!(
        doc.get("name").is_none() && doc.get("summary").is_none(),
        "{doc}"
    );

    // Thirty days on, the chores purge it here and tell every server.
    let mut row: actors::ActiveModel = alpha.reload(&sam).await.into();
    row.suspended_at = Set(Some(passage_db::now() - chrono::Duration::days(31)));
    row.update(&alpha.ctx().db).await.unwrap();
    assert!(alpha.running().run_chores().await.unwrap() >= 1);
    net.deliver_all().await;

    let here = passage_core::posts::by_id(alpha.ctx(), post.id)
        .await
        .unwrap();
    assert!(here.deleted_at.is_some());
    let there = beta.copy_of(&post).await.unwrap();
    assert!(
        there.deleted_at.is_some(),
        "the Delete of the account reached beta"
    );
    assert_eq!(beta.follow_state(&eve, &sam_on_beta).await, None);
    let (status, _) = fetch_ap(&sam.ap_id).await;
    assert_eq!(status, 410);
    let login =
        passage_core::accounts::verify_login(alpha.ctx(), "sam", testkit::client::PASSWORD).await;
    assert!(login.is_err(), "the login is gone");
    let restore = root
        .post(&format!("/api/v1/admin/accounts/{}/unsuspend", sam.id))
        .await;
    assert_eq!(restore.status, 422, "{}", restore.text);
    let log = root.get("/api/passage/v1/admin/audit_log?limit=1").await;
    assert_eq!(log.body[0]["action"], "account.purge");
    net.shutdown().await;
}
