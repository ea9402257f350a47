//! Scheduled statuses: made with `scheduled_at`, holding their upload, listed, moved,
//! cancelled, and published by the chore loop when their time comes.

use super::media::{photo_with_location, upload};
use passage_db::{entities::scheduled_posts, now};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::json;
use std::time::Duration;
use testkit::{TestInstance, TestNetwork};

fn in_secs(secs: u64) -> String {
    (now() + Duration::from_secs(secs)).to_rfc3339()
}

/// Moves a scheduled post's time into the past, as time would.
async fn make_due(instance: &TestInstance, id: &str) {
    let row = scheduled_posts::Entity::find_by_id(id.parse::<i64>().unwrap())
        .one(&instance.ctx().db)
        .await
        .unwrap()
        .unwrap();
    let mut row: scheduled_posts::ActiveModel = row.into();
    row.scheduled_at = Set(now() - Duration::from_secs(1));
    row.update(&instance.ctx().db).await.unwrap();
}

#[tokio::test]
async fn a_scheduled_status_waits_holds_its_media_and_goes_out_on_time() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, _) = a.three_members().await;
    let (status, media) = upload(&ana, "/api/v2/media", photo_with_location(), "lab.jpg").await;
    assert_eq!(status, 200, "{media}");
    let media_id = media["id"].as_str().unwrap();

    let made = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({
                "status": "The leadership training opens on Monday",
                "media_ids": [media_id],
                "visibility": "unlisted",
                "scheduled_at": in_secs(3600),
            }),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let id = made.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        made.body["params"]["text"],
        "The leadership training opens on Monday"
    );
    assert_eq!(made.body["params"]["visibility"], "unlisted");
    assert_eq!(made.body["media_attachments"][0]["id"], media_id);
    assert!(made.body["scheduled_at"].as_str().unwrap().ends_with('Z'));
    assert!(made.body.get("content").is_none(), "not a status yet");

    // The upload is held: no other post may take it meanwhile.
    let taken = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "now", "media_ids": [media_id]}),
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        taken.text
    );
    assert!(taken.body["error"].as_str().unwrap().contains("media_ids"));

    // Too soon, malformed, or otherwise invalid: refused when scheduled, not when due.
    for (body, field) in [
        (
            json!({"status": "soon", "scheduled_at": in_secs(60)}),
            "scheduled_at",
        ),
        (
            json!({"status": "x", "scheduled_at": "next monday"}),
            "scheduled_at",
        ),
        (
            json!({"status": " ", "scheduled_at": in_secs(3600)}),
            "blank",
        ),
    ] {
        let refused = ana.json(Method::POST, "/api/v1/statuses", body).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text
        );
        assert!(
            refused.body["error"].as_str().unwrap().contains(field),
            "{}",
            refused.text
        );
    }

    let list = ana.get("/api/v1/scheduled_statuses").await;
    assert_eq!(list.body.as_array().unwrap().len(), 1, "{}", list.text);
    let path = format!("/api/v1/scheduled_statuses/{id}");
    assert_eq!(bea.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(bea.get("/api/v1/scheduled_statuses").await.body, json!([]));

    let later = in_secs(7200);
    let moved = ana
        .form(Method::PUT, &path, &[("scheduled_at", &later)])
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_ne!(moved.body["scheduled_at"], made.body["scheduled_at"]);

    // Nothing is due yet; then its time comes.
    assert_eq!(a.running().run_chores().await.unwrap(), 0);
    make_due(a, &id).await;
    assert_eq!(a.running().run_chores().await.unwrap(), 1);
    assert_eq!(ana.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(ana.get("/api/v1/scheduled_statuses").await.body, json!([]));
    let me = ana.get("/api/v1/accounts/verify_credentials").await;
    let posted = ana
        .get(&format!(
            "/api/v1/accounts/{}/statuses",
            me.body["id"].as_str().unwrap()
        ))
        .await;
    let post = &posted.body[0];
    assert!(
        post["content"]
            .as_str()
            .unwrap()
            .contains("The leadership training opens on Monday"),
        "{}",
        posted.text
    );
    assert_eq!(post["visibility"], "unlisted");
    assert_eq!(post["media_attachments"][0]["id"], media_id);
    net.shutdown().await;
}

#[tokio::test]
async fn a_cancelled_schedule_frees_its_media() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    let (_, media) = upload(&ana, "/api/v2/media", photo_with_location(), "lab.jpg").await;
    let media_id = media["id"].as_str().unwrap();
    let made = ana
        .form(
            Method::POST,
            "/api/v1/statuses",
            &[
                ("status", "Consultation evening"),
                ("media_ids[]", media_id),
                ("scheduled_at", &in_secs(86_400)),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let path = format!(
        "/api/v1/scheduled_statuses/{}",
        made.body["id"].as_str().unwrap()
    );
    let cancelled = ana.json(Method::DELETE, &path, json!({})).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text);
    assert_eq!(ana.get(&path).await.status, StatusCode::NOT_FOUND);
    let now = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "Posted at once instead", "media_ids": [media_id]}),
        )
        .await;
    assert_eq!(now.status, StatusCode::OK, "{}", now.text);
    assert_eq!(a.running().run_chores().await.unwrap(), 0);
    net.shutdown().await;
}
