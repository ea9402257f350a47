//! An organisation on A publishes an event with one seat; members on B and C answer it, wait,
//! move up when a seat frees, and hear of the cancellation, whether or not they follow.

use passage_core::accounts::Role;
use reqwest::Method;
use serde_json::{Value, json};
use testkit::{
    TestNetwork,
    calendar::{Feed, fetch},
    client::Client,
};

/// The event as `who` sees it on their own instance.
async fn event_on(who: &Client, id: &str) -> Value {
    let answer = who.get(&format!("/api/passage/v1/events/{id}")).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.body
}

/// Finds the remote event by its URL through search (fetched when unknown) and returns its
/// id on `who`'s instance.
async fn find_event(who: &Client, url: &str) -> String {
    let found = who
        .get(&format!(
            "/api/v2/search?q={url}&type=statuses&resolve=true"
        ))
        .await;
    found.body["statuses"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("not found: {}", found.text))
        .to_owned()
}

/// `who`'s private feed of the events they answered, on their own instance.
async fn answers_feed(who: &Client) -> String {
    let issued = who.post("/api/passage/v1/calendar/answers_feed").await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    issued.body["url"].as_str().unwrap().to_owned()
}

/// The answer `feed` shows for the event `uid`, if it holds it.
fn partstat(feed: &Feed, uid: &str) -> Option<String> {
    feed.events()
        .into_iter()
        .find(|e| e.get("UID") == Some(uid))
        .map(|e| {
            e.param("ATTENDEE", "PARTSTAT")
                .unwrap_or_default()
                .to_owned()
        })
}

#[tokio::test]
async fn answers_wait_move_up_and_hear_of_cancellation_across_instances() {
    let net = TestNetwork::start(3).await;
    let (a, b, c) = (net.get(0), net.get(1), net.get(2));
    let ana_actor = a.member("ana").await;
    a.member("ole").await;
    let mile = a
        .organisation_with("mile", "MILE network", &[(&ana_actor, Role::Admin)])
        .await;
    let (ana, ole) = (a.login("ana").await, a.login("ole").await);
    let (_, bea, cem) = b.three_members().await;
    c.member("eva").await;
    let eva = c.login("eva").await;
    let partner = b.organisation("partner", "Partner association").await;
    let bea_actor = b.lookup(&format!("bea@{}", b.domain())).await;
    net.follow(1, &bea_actor, 0, &mile).await;
    net.follow(1, &partner, 0, &mile).await;

    // A moderator-less member cannot publish as the organisation.
    let refused = ole
        .json(
            Method::POST,
            "/api/passage/v1/events",
            json!({"host": "mile", "name": "x", "starts_at": "2031-06-01T18:00", "timezone": "Europe/Riga"}),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);

    let created = ana
        .json(
            Method::POST,
            "/api/passage/v1/events",
            json!({
                "host": "mile",
                "name": "Leadership training",
                "description": "Two hours on running a #consultation.",
                "starts_at": "2031-06-01T18:00",
                "ends_at": "2031-06-01T20:00",
                "timezone": "Europe/Brussels",
                "capacity": 1,
                "category": "learning",
                "place": {"name": "Town hall", "street_address": "Grand-Place 1", "locality": "Brussels", "postal_code": "1000", "country": "Belgium"},
                "online_url": "https://meet.example/room",
                "language": "en"
            }),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let event = &created.body;
    assert_eq!(
        event["starts_at"], "2031-06-01T16:00:00.000Z",
        "18:00 in Brussels (CEST)"
    );
    assert_eq!(event["category"], "LEARNING");
    assert_eq!(event["remaining_capacity"], 1);
    let url = event["url"].as_str().unwrap().to_owned();
    let uid = event["uri"].as_str().unwrap().to_owned();
    let id_a = event["id"].as_str().unwrap().to_owned();
    net.deliver_all().await;
    let org_feed = format!("{}/@mile/feed/ics", a.base_url());
    let listed = fetch(&org_feed).await;
    assert_eq!(listed.event(&uid).get("STATUS"), Some("CONFIRMED"));
    let (bea_feed, cem_feed) = (answers_feed(&bea).await, answers_feed(&cem).await);
    assert_eq!(partstat(&fetch(&bea_feed).await, &uid), None);

    // Followers on B see it as a status a microblog client can use: name, date, place, link.
    let home = bea.get("/api/v1/timelines/home").await;
    let status = &home.body[0];
    let content = status["content"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", home.text));
    for expected in [
        "Leadership training",
        "Sunday 1 June 2031, 18:00–20:00 (Europe/Brussels)",
        "Town hall",
        "https://meet.example/room",
        "consultation",
    ] {
        assert!(
            content.contains(expected),
            "{expected:?} missing from {content}"
        );
    }
    let id_b = status["id"].as_str().unwrap().to_owned();
    let copy = event_on(&bea, &id_b).await;
    assert_eq!(copy["timezone"], "Europe/Brussels");
    assert_eq!(copy["place"]["locality"], "Brussels");
    assert_eq!(copy["online_url"], "https://meet.example/room");
    assert_eq!(copy["capacity"], 1);
    assert_eq!(copy["local"], false);
    let listed = bea
        .get(&format!("/api/passage/v1/events?host=mile@{}", a.domain()))
        .await;
    assert_eq!(listed.body[0]["id"], id_b.as_str(), "{}", listed.text);

    // bea takes the one seat; cem (B) and eva (C, who follows nobody) wait in that order.
    let joined = bea
        .post(&format!("/api/passage/v1/events/{id_b}/join"))
        .await;
    assert_eq!(joined.body["rsvp"], "pending", "{}", joined.text);
    net.deliver_all().await;
    assert_eq!(event_on(&bea, &id_b).await["rsvp"], "going");
    cem.post(&format!("/api/passage/v1/events/{id_b}/join"))
        .await;
    let id_c = find_event(&eva, &url).await;
    let joined = eva
        .post(&format!("/api/passage/v1/events/{id_c}/join"))
        .await;
    assert_eq!(joined.status, 200, "{}", joined.text);
    net.deliver_all().await;
    assert_eq!(
        event_on(&cem, &id_b).await["rsvp"],
        "pending",
        "waiting: not accepted yet"
    );
    // Their calendars on B say so: bea is in, cem waits for an answer.
    assert_eq!(
        partstat(&fetch(&bea_feed).await, &uid).as_deref(),
        Some("ACCEPTED")
    );
    assert_eq!(
        partstat(&fetch(&cem_feed).await, &uid).as_deref(),
        Some("NEEDS-ACTION")
    );

    // Only organisers see who answered; joins are not copied to other participants.
    let people = ana
        .get(&format!("/api/passage/v1/events/{id_a}/participants"))
        .await;
    let states: Vec<(String, String)> = people
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["account"]["username"].as_str().unwrap().to_owned(),
                p["rsvp"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("bea".into(), "going".into()),
            ("cem".into(), "waiting".into()),
            ("eva".into(), "waiting".into())
        ]
    );
    let waiting = ana
        .get(&format!("/api/passage/v1/events/{id_a}/waiting_list"))
        .await;
    assert_eq!(waiting.body.as_array().unwrap().len(), 2);
    let nosy = ole
        .get(&format!("/api/passage/v1/events/{id_a}/participants"))
        .await;
    assert_eq!(nosy.status, 403, "{}", nosy.text);
    let nosy = bea
        .get(&format!("/api/passage/v1/events/{id_b}/participants"))
        .await;
    assert_ne!(nosy.status, 200, "{}", nosy.text);

    // bea leaves: her seat goes to cem, who is told; eva keeps waiting.
    bea.post(&format!("/api/passage/v1/events/{id_b}/leave"))
        .await;
    net.deliver_all().await;
    assert_eq!(event_on(&cem, &id_b).await["rsvp"], "going");
    assert_eq!(event_on(&bea, &id_b).await["rsvp"], Value::Null);
    assert_eq!(event_on(&eva, &id_c).await["rsvp"], "pending");
    let people = ana
        .get(&format!("/api/passage/v1/events/{id_a}/participants"))
        .await;
    assert_eq!(people.body.as_array().unwrap().len(), 2);
    assert_eq!(people.body[0]["account"]["username"], "cem");
    assert_eq!(people.body[0]["rsvp"], "going");
    assert_eq!(partstat(&fetch(&bea_feed).await, &uid), None, "bea left");
    assert_eq!(
        partstat(&fetch(&cem_feed).await, &uid).as_deref(),
        Some("ACCEPTED")
    );

    // Cancelling reaches followers and participants alike (eva follows nobody).
    let cancelled = ana
        .post(&format!("/api/passage/v1/events/{id_a}/cancel"))
        .await;
    assert_eq!(cancelled.body["status"], "cancelled", "{}", cancelled.text);
    net.deliver_all().await;
    assert_eq!(event_on(&bea, &id_b).await["status"], "cancelled");
    assert_eq!(event_on(&eva, &id_c).await["status"], "cancelled");
    // Calendars strike it through: the host's feed on A and cem's own feed on B.
    let listed = fetch(&org_feed).await;
    let on_a = listed.event(&uid);
    assert_eq!(on_a.get("STATUS"), Some("CANCELLED"));
    assert_eq!(on_a.get("SEQUENCE"), Some("1"));
    let mine = fetch(&cem_feed).await;
    let on_b = mine.event(&uid);
    assert_eq!(on_b.get("STATUS"), Some("CANCELLED"));
    assert_ne!(on_b.get("SEQUENCE"), Some("0"), "{}", mine.text);
    let late = b.member("dan").await;
    let _ = late;
    let dan = b.login("dan").await;
    let refused = dan
        .post(&format!("/api/passage/v1/events/{id_b}/join"))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.body["error"]
            .as_str()
            .unwrap()
            .contains("cancelled")
    );

    net.shutdown().await;
}
