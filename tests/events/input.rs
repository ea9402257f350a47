//! Bad event input gets a clear 422 naming the field, and nothing is stored.

use reqwest::Method;
use serde_json::json;
use testkit::TestNetwork;

#[tokio::test]
async fn bad_events_are_refused_with_the_field_named_and_nothing_stored() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    let good = json!({
        "name": "Consultation evening",
        "starts_at": "2031-03-01T18:00",
        "ends_at": "2031-03-01T20:00",
        "timezone": "Europe/Athens",
    });
    let cases = [
        ("ends_at", json!({"ends_at": "2031-03-01T17:00"}), "ends_at"),
        (
            "timezone",
            json!({"timezone": "Europe/Atlantis"}),
            "timezone",
        ),
        ("capacity", json!({"capacity": -1}), "capacity"),
        ("capacity text", json!({"capacity": "many"}), "capacity"),
        (
            "starts_at",
            json!({"starts_at": "next tuesday"}),
            "starts_at",
        ),
        ("name", json!({"name": "  "}), "name"),
        ("category", json!({"category": "KNITTING"}), "category"),
        (
            "online_url",
            json!({"online_url": "javascript:alert(1)"}),
            "online_url",
        ),
        ("external", json!({"join_mode": "external"}), "external_url"),
        ("visibility", json!({"visibility": "direct"}), "visibility"),
        ("latitude", json!({"place": {"latitude": 123}}), "latitude"),
        (
            "endless series",
            json!({"recurrence": "FREQ=WEEKLY"}),
            "recurrence",
        ),
        (
            "long series",
            json!({"recurrence": "FREQ=DAILY;COUNT=500"}),
            "recurrence",
        ),
        (
            "translation in the primary language",
            json!({"language": "en", "translations": [{"language": "en", "name": "Again"}]}),
            "language",
        ),
        (
            "translation without a name",
            json!({"translations": [{"language": "el", "name": " "}]}),
            "name",
        ),
        (
            "not a rule",
            json!({"recurrence": "every other week"}),
            "recurrence",
        ),
    ];
    for (case, change, field) in cases {
        let mut body = good.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let answer = ana.json(Method::POST, "/api/passage/v1/events", body).await;
        assert_eq!(answer.status, 422, "{case}: {}", answer.text);
        let error = answer.body["error"].as_str().unwrap();
        assert!(error.contains(field), "{case}: {error}");
    }
    let listed = ana.get("/api/passage/v1/events?local=true").await;
    assert_eq!(listed.body, json!([]), "nothing half-stored");
    let home = ana.get("/api/v1/timelines/home").await;
    assert_eq!(home.body, json!([]));

    let ok = ana.json(Method::POST, "/api/passage/v1/events", good).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let id = ok.body["id"].as_str().unwrap();
    // A past event takes no answers; an unknown one is 404.
    let past = ana
        .json(
            Method::PATCH,
            &format!("/api/passage/v1/events/{id}"),
            json!({"starts_at": "2020-01-01T10:00", "ends_at": "2020-01-01T11:00"}),
        )
        .await;
    assert_eq!(past.status, 200, "{}", past.text);
    assert_eq!(past.body["previous_starts_at"], "2031-03-01T16:00:00.000Z");
    let late = ana.post(&format!("/api/passage/v1/events/{id}/join")).await;
    assert_eq!(late.status, 422, "{}", late.text);
    // A series is chosen when it is created, not added later.
    let series = ana
        .json(
            Method::PATCH,
            &format!("/api/passage/v1/events/{id}"),
            json!({"recurrence": "FREQ=WEEKLY;COUNT=3"}),
        )
        .await;
    assert_eq!(series.status, 422, "{}", series.text);
    assert!(series.text.contains("recurrence"), "{}", series.text);
    let missing = ana.get("/api/passage/v1/events/999999").await;
    assert_eq!(missing.status, 404);
    // Editing an event as a plain status is refused with a pointer to the events API.
    let edit = ana
        .json(
            Method::PUT,
            &format!("/api/v1/statuses/{id}"),
            json!({"status": "x"}),
        )
        .await;
    assert_eq!(edit.status, 422, "{}", edit.text);
    net.shutdown().await;
}
