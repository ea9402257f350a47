//! Account actions as a moderator takes them and a member lives them: warn, freeze, mark
//! sensitive, with a notice in the app, one appeal, an expiry, and the admin account lists.

use super::media::{photo_with_location, upload};
use passage_db::entities::account_warnings;
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};
use testkit::{TestNetwork, client::Client};

async fn act(root: &Client, target: i64, body: Value) -> u16 {
    let done = root
        .json(
            Method::POST,
            &format!("/api/v1/admin/accounts/{target}/action"),
            body,
        )
        .await;
    done.status.as_u16()
}

/// The usernames an admin account list gives.
async fn usernames(root: &Client, path: &str) -> Vec<String> {
    let listed = root.get(path).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_member_is_warned_frozen_and_appeals_once_and_actions_expire() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let root = alpha.admin("root").await;
    let sam = alpha.member("sam").await;
    let sam_client = alpha.login("sam").await;
    alpha.member("lea").await;
    let lea_client = alpha.login("lea").await;

    // The lists: v1's flags and v2's filters; members cannot read them.
    let local = usernames(&root, "/api/v1/admin/accounts?local=true").await;
    assert!(local.contains(&"sam".to_owned()) && local.contains(&"root".to_owned()));
    assert_eq!(
        usernames(
            &root,
            "/api/v2/admin/accounts?origin=local&permissions=staff"
        )
        .await,
        ["root"]
    );
    let one = root
        .get(&format!("/api/v1/admin/accounts/{}", sam.id))
        .await;
    assert_eq!(one.body["email"], "sam@example.org");
    assert_eq!(one.body["disabled"], false);
    assert_eq!(lea_client.get("/api/v1/admin/accounts").await.status, 403);
    let bad = root.get("/api/v2/admin/accounts?status=banished").await;
    assert_eq!(bad.status, 422, "{}", bad.text);

    // Marked sensitive: sam's pictures are behind a warning from now on, and sam is told.
    let text = "Graphic pictures need a content warning here.";
    assert_eq!(
        act(&root, sam.id, json!({"type": "sensitive", "text": text})).await,
        200
    );
    let (_, media) = upload(&sam_client, "/api/v2/media", photo_with_location(), "p.jpg").await;
    let posted = sam_client
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "from the march", "media_ids": [media["id"]]}),
        )
        .await;
    assert_eq!(posted.body["sensitive"], true, "{}", posted.text);
    let notes = sam_client
        .get("/api/v1/notifications?types[]=moderation_warning")
        .await;
    assert_eq!(
        notes.body[0]["type"], "moderation_warning",
        "{}",
        notes.text
    );
    assert_eq!(notes.body[0]["moderation_warning"]["action"], "sensitive");
    assert_eq!(notes.body[0]["moderation_warning"]["text"], text);

    // Frozen: the login answers only who it is, its warnings and its appeal.
    assert_eq!(
        act(&root, sam.id, json!({"type": "disable", "text": "spam"})).await,
        200
    );
    let home = sam_client.get("/api/v1/timelines/home").await;
    assert_eq!(home.status, 403, "{}", home.text);
    assert_eq!(home.body["error"], "Your login is currently disabled");
    let me = sam_client.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(
        usernames(&root, "/api/v2/admin/accounts?status=disabled").await,
        ["sam"]
    );
    let warnings = sam_client.get("/api/passage/v1/moderation_warnings").await;
    assert_eq!(warnings.status, 200, "{}", warnings.text);
    assert_eq!(warnings.body.as_array().unwrap().len(), 2);
    let frozen_id = warnings.body[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(warnings.body[0]["action"], "disable");

    // One appeal; a second is refused; others cannot appeal sam's warning.
    let appeal_path = format!("/api/passage/v1/moderation_warnings/{frozen_id}/appeal");
    let appealed = sam_client
        .json(
            Method::POST,
            &appeal_path,
            json!({"text": "It was a mistake."}),
        )
        .await;
    assert_eq!(appealed.status, 200, "{}", appealed.text);
    assert_eq!(appealed.body["appeal"]["state"], "pending");
    let again = sam_client
        .json(Method::POST, &appeal_path, json!({"text": "Please."}))
        .await;
    assert_eq!(again.status, 422, "{}", again.text);
    let not_hers = lea_client
        .json(Method::POST, &appeal_path, json!({"text": "Me too."}))
        .await;
    assert_eq!(not_hers.status, 404, "{}", not_hers.text);

    // The moderator grants it: the freeze is lifted.
    let queue = root.get("/api/passage/v1/admin/appeals").await;
    assert_eq!(queue.body.as_array().unwrap().len(), 1, "{}", queue.text);
    assert_eq!(queue.body[0]["warning"]["action"], "disable");
    let granted = root
        .post(&format!(
            "/api/passage/v1/admin/appeals/{}/approve",
            queue.body[0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(granted.body["state"], "approved", "{}", granted.text);
    assert_eq!(sam_client.get("/api/v1/timelines/home").await.status, 200);
    let shown = sam_client
        .get(&format!("/api/passage/v1/moderation_warnings/{frozen_id}"))
        .await;
    assert_eq!(shown.body["appeal"]["state"], "approved");
    assert!(shown.body["lifted_at"].is_string());

    // A limit for an hour, lifted by the chores once the hour has passed.
    assert_eq!(
        act(
            &root,
            sam.id,
            json!({"type": "silence", "expires_in": 3600})
        )
        .await,
        200
    );
    let limited = account_warnings::Entity::find()
        .all(&alpha.ctx().db)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.action == "silence")
        .unwrap();
    let mut row: account_warnings::ActiveModel = limited.into();
    row.expires_at = Set(Some(passage_db::now() - chrono::Duration::seconds(1)));
    row.update(&alpha.ctx().db).await.unwrap();
    alpha.running().run_chores().await.unwrap();
    let one = root
        .get(&format!("/api/v1/admin/accounts/{}", sam.id))
        .await;
    assert_eq!(one.body["silenced"], false, "{}", one.text);
    assert_eq!(one.body["sensitized"], true);
    let log = root.get("/api/passage/v1/admin/audit_log?limit=1").await;
    assert_eq!(log.body[0]["action"], "account.unsilence");
    assert!(log.body[0]["moderator_id"].is_null());
    net.shutdown().await;
}
