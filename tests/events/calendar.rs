//! Calendar feeds as calendar apps read them: parsed with a real iCalendar parser, series
//! expanded with a real RRULE engine, over plain HTTP.

use passage_core::accounts::Role;
use reqwest::Method;
use serde_json::{Value, json};
use testkit::{
    TestNetwork,
    calendar::{fetch, status_of},
    client::{Client, fetch_ap},
};

async fn publish(ana: &Client, body: Value) -> Value {
    let created = ana.json(Method::POST, "/api/passage/v1/events", body).await;
    assert_eq!(created.status, 200, "{}", created.text);
    created.body
}

#[tokio::test]
async fn feeds_carry_zones_series_exceptions_filters_and_private_answers() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let base = a.base_url();
    let ana_actor = a.member("ana").await;
    a.member("ole").await;
    a.organisation_with("mile", "MILE network", &[(&ana_actor, Role::Admin)])
        .await;
    let (ana, ole) = (a.login("ana").await, a.login("ole").await);

    let training = publish(
        &ana,
        json!({
            "host": "mile", "name": "Leadership training; part 1",
            "description": "Bring a laptop, a pen.",
            "starts_at": "2031-06-01T18:00", "ends_at": "2031-06-01T20:00",
            "timezone": "Europe/Brussels", "category": "LEARNING", "language": "en",
            "place": {"name": "Town hall", "locality": "Brussels", "latitude": 50.8467, "longitude": 4.3525},
        }),
    )
    .await;
    let consultation = publish(
        &ana,
        json!({
            "host": "mile", "name": "Διαβούλευση", "starts_at": "2031-07-02T19:00",
            "timezone": "Europe/Athens", "category": "MEETING", "language": "el",
            "online_url": "https://meet.example/room",
        }),
    )
    .await;
    let private = publish(
        &ana,
        json!({
            "host": "mile", "name": "Board meeting", "starts_at": "2031-06-03T10:00",
            "timezone": "Europe/Brussels", "visibility": "private",
        }),
    )
    .await;
    // Weekly across the end of summer time (26 October 2031).
    let first = publish(
        &ana,
        json!({
            "host": "mile", "name": "Language café", "starts_at": "2031-10-15T18:00",
            "ends_at": "2031-10-15T19:30", "timezone": "Europe/Brussels",
            "category": "LANGUAGE_CULTURE", "recurrence": "RRULE:FREQ=WEEKLY;COUNT=4",
        }),
    )
    .await;
    let series_id = first["series_id"].as_str().unwrap().to_owned();
    assert_eq!(first["recurrence"], "FREQ=WEEKLY;COUNT=4");

    // Each occurrence is an event of its own in the API (and in timelines).
    let listed = ana.get("/api/passage/v1/events?host=mile&limit=50").await;
    let occurrences: Vec<&Value> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["series_id"] == series_id.as_str())
        .collect();
    let starts: Vec<&str> = occurrences
        .iter()
        .map(|e| e["starts_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2031-10-15T16:00:00.000Z",
            "2031-10-22T16:00:00.000Z",
            "2031-10-29T17:00:00.000Z",
            "2031-11-05T17:00:00.000Z"
        ],
        "18:00 in Brussels, before and after summer time"
    );
    let home = ole.get("/api/v1/timelines/public?local=true").await;
    assert_eq!(home.body.as_array().unwrap().len(), 6, "{}", home.text);

    // The instance feed: every public event, in its own zone, with the series as one rule.
    let feed = fetch(&format!("{base}/feed/ics")).await;
    assert_eq!(feed.zones(), ["Europe/Athens", "Europe/Brussels"]);
    let uid = |e: &Value| e["uri"].as_str().unwrap().to_owned();
    let mut uids = feed.uids();
    uids.sort();
    let mut expected = vec![uid(&training), uid(&consultation), series_id.clone()];
    expected.sort();
    assert_eq!(uids, expected, "no private event, one entry per series");
    let t = feed.event(&uid(&training));
    assert_eq!(t.start(), "Europe/Brussels 20310601T180000");
    assert_eq!(t.get("DTEND"), Some("20310601T200000"));
    assert_eq!(t.get("SUMMARY"), Some("Leadership training\\; part 1"));
    assert!(
        t.get("DESCRIPTION")
            .unwrap()
            .contains("Bring a laptop\\, a pen.")
    );
    assert_eq!(t.get("STATUS"), Some("CONFIRMED"));
    assert_eq!(t.get("SEQUENCE"), Some("0"));
    assert_eq!(t.get("GEO"), Some("50.8467;4.3525"));
    assert_eq!(t.get("CATEGORIES"), Some("LEARNING"));
    assert_eq!(t.get("URL"), training["url"].as_str());
    assert_eq!(t.param("ORGANIZER", "CN"), Some("MILE network"));
    let c = feed.event(&uid(&consultation));
    assert_eq!(c.start(), "Europe/Athens 20310702T190000");
    assert_eq!(c.get("CONFERENCE"), Some("https://meet.example/room"));
    let s = feed.event(&series_id);
    assert_eq!(s.get("RRULE"), Some("FREQ=WEEKLY;COUNT=4"));
    let utc: Vec<String> = starts
        .iter()
        .map(|t| t.replace(".000Z", "+00:00"))
        .collect();
    assert_eq!(s.occurrences(), utc, "the rule gives the API's starts");

    // Narrowed by category and by language; one host's feed; unknown hosts are 404.
    let meetings = fetch(&format!("{base}/feed/ics?category=meeting")).await;
    assert_eq!(meetings.uids(), [uid(&consultation)]);
    let greek = fetch(&format!("{base}/feed/ics?language=el")).await;
    assert_eq!(greek.uids(), [uid(&consultation)]);
    let host = fetch(&format!("{base}/@mile/feed/ics")).await;
    assert_eq!(host.uids().len(), 3);
    assert!(
        fetch(&format!("{base}/@ole/feed/ics"))
            .await
            .uids()
            .is_empty()
    );
    assert_eq!(status_of(&format!("{base}/@nobody/feed/ics")).await, 404);

    // "Add to calendar" for one event; a private event has none for strangers.
    let one = fetch(training["ics_url"].as_str().unwrap()).await;
    assert_eq!(one.uids(), [uid(&training)]);
    assert_eq!(status_of(private["ics_url"].as_str().unwrap()).await, 404);

    // Occurrences changed one by one become exceptions of the rule.
    let id_of = |n: usize| occurrences[n]["id"].as_str().unwrap().to_owned();
    let cancelled = ana
        .post(&format!("/api/passage/v1/events/{}/cancel", id_of(1)))
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    let moved = ana
        .json(
            Method::PATCH,
            &format!("/api/passage/v1/events/{}", id_of(2)),
            json!({"starts_at": "2031-10-30T18:00", "ends_at": "2031-10-30T19:30"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    let deleted = ana
        .json(
            Method::DELETE,
            &format!("/api/passage/v1/events/{}", id_of(3)),
            json!({}),
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let feed = fetch(&format!("{base}/@mile/feed/ics")).await;
    let s = feed.event(&series_id);
    assert_eq!(
        s.occurrences(),
        utc[..3],
        "the deleted one is an EXDATE:\n{}",
        feed.text
    );
    let overrides: Vec<_> = feed
        .events()
        .into_iter()
        .filter(|e| e.get("RECURRENCE-ID").is_some())
        .collect();
    assert_eq!(overrides.len(), 2, "{}", feed.text);
    let (o1, o2) = (overrides[0], overrides[1]);
    assert_eq!(o1.get("UID"), Some(series_id.as_str()));
    assert_eq!(o1.get("RECURRENCE-ID"), Some("20311022T180000"));
    assert_eq!(o1.get("STATUS"), Some("CANCELLED"));
    assert_eq!(o1.get("SEQUENCE"), Some("1"));
    assert_eq!(o2.get("RECURRENCE-ID"), Some("20311029T180000"));
    assert_eq!(o2.start(), "Europe/Brussels 20311030T180000");

    // Peers see each occurrence as an Event whose `context` is the series, a collection of
    // the occurrences that remain.
    let (_, occurrence) = fetch_ap(&uid(occurrences[0])).await;
    assert_eq!(occurrence["type"], "Event");
    assert_eq!(occurrence["context"], series_id.as_str());
    let (_, collection) = fetch_ap(&series_id).await;
    assert_eq!(collection["totalItems"], 3, "{collection}");
    assert_eq!(collection["orderedItems"][1], occurrences[1]["uri"]);

    // A member's own answers, at a secret address that can be replaced and revoked.
    let joined = ole
        .post(&format!(
            "/api/passage/v1/events/{}/join",
            training["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(joined.body["rsvp"], "going", "{}", joined.text);
    let issued = ole.post("/api/passage/v1/calendar/answers_feed").await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    let url = issued.body["url"].as_str().unwrap().to_owned();
    assert!(
        issued.body["webcal_url"]
            .as_str()
            .unwrap()
            .starts_with("webcal://")
    );
    let mine = fetch(&url).await;
    assert_eq!(mine.uids(), [uid(&training)]);
    let t = mine.event(&uid(&training));
    assert_eq!(t.param("ATTENDEE", "PARTSTAT"), Some("ACCEPTED"));
    assert_eq!(t.param("ATTENDEE", "CN"), Some("ole"));
    assert_eq!(
        status_of(&format!("{base}/feed/ics/answers/guess")).await,
        404
    );
    let again = ole.post("/api/passage/v1/calendar/answers_feed").await;
    assert_eq!(status_of(&url).await, 404, "the old address stops working");
    let url = again.body["url"].as_str().unwrap().to_owned();
    assert_eq!(status_of(&url).await, 200);
    let revoked = ole
        .json(
            Method::DELETE,
            "/api/passage/v1/calendar/answers_feed",
            json!({}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert_eq!(status_of(&url).await, 404);
    net.shutdown().await;
}
