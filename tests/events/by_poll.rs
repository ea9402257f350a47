//! Answering from a server without event answers (as on Mastodon): the event's page sends a
//! direct poll from the organisation, and the vote, an ordinary poll vote, is the answer.

use passage_core::accounts::Role;
use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestNetwork, client::Client};

/// Submits the event page's "send me the question" form; returns where it sends the browser.
async fn ask(event_uri: &str, handle: &str) -> String {
    let answer = testkit::client::http()
        .post(format!("{event_uri}/ask"))
        .form(&[("handle", handle)])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    answer.headers()["location"].to_str().unwrap().to_owned()
}

/// The direct mentions `who` received, newest first.
async fn mentions(who: &Client) -> Vec<Value> {
    let found = who.get("/api/v1/notifications?types[]=mention").await;
    found
        .body
        .as_array()
        .unwrap_or_else(|| panic!("{}", found.text))
        .iter()
        .map(|n| n["status"].clone())
        .collect()
}

/// Votes for `choice` in the poll of the newest mention and returns that status.
async fn vote(who: &Client, choice: usize) -> Value {
    let question = mentions(who).await.remove(0);
    assert_eq!(question["visibility"], "direct", "{question}");
    let poll = &question["poll"];
    let options: Vec<&str> = poll["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(options, ["Going", "Not going"]);
    let voted = who
        .json(
            Method::POST,
            &format!("/api/v1/polls/{}/votes", poll["id"].as_str().unwrap()),
            json!({"choices": [choice]}),
        )
        .await;
    assert_eq!(voted.status, 200, "{}", voted.text);
    question
}

#[tokio::test]
async fn a_vote_on_the_organisations_direct_poll_is_an_answer() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    let ana_actor = a.member("ana").await;
    let mile = a
        .organisation_with("mile", "MILE network", &[(&ana_actor, Role::Admin)])
        .await;
    let ana = a.login("ana").await;
    let (_, bea, cem) = b.three_members().await;
    // They follow the organisation first, as the page advises: Mastodon (and Passage) file
    // private mentions from accounts one does not follow under filtered notifications.
    for name in ["bea", "cem"] {
        let member = b.lookup(&format!("{name}@{}", b.domain())).await;
        net.follow(1, &member, 0, &mile).await;
    }
    let event = ana
        .json(
            Method::POST,
            "/api/passage/v1/events",
            json!({"host": "mile", "name": "Mentoring circle", "starts_at": "2031-09-10T17:00",
                   "timezone": "Europe/Riga", "capacity": 1, "language": "en"}),
        )
        .await;
    assert_eq!(event.status, 200, "{}", event.text);
    let uri = event.body["uri"].as_str().unwrap().to_owned();
    let id = event.body["id"].as_str().unwrap().to_owned();

    // bea gives her handle on the page, gets the question, votes "Going": she has the seat.
    let back = ask(&uri, &format!("@bea@{}", b.domain())).await;
    assert!(back.starts_with(&uri) && back.contains("asked=1"), "{back}");
    net.deliver_all().await;
    let question = vote(&bea, 0).await;
    assert!(
        question["content"]
            .as_str()
            .unwrap()
            .contains("Mentoring circle"),
        "{question}"
    );
    net.deliver_all().await;
    net.deliver_all().await;
    let told = mentions(&bea).await.remove(0);
    assert!(
        told["content"].as_str().unwrap().contains("going"),
        "{told}"
    );

    // cem does the same and waits: one seat.
    ask(&uri, &format!("cem@{}", b.domain())).await;
    net.deliver_all().await;
    vote(&cem, 0).await;
    net.deliver_all().await;
    net.deliver_all().await;
    let told = mentions(&cem).await.remove(0);
    assert!(
        told["content"].as_str().unwrap().contains("waiting list"),
        "{told}"
    );
    let people = ana
        .get(&format!("/api/passage/v1/events/{id}/participants"))
        .await;
    let states: Vec<(&str, &str)> = people
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["account"]["username"].as_str().unwrap(),
                p["rsvp"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(states, [("bea", "going"), ("cem", "waiting")]);

    // A second seat: cem moves up and is told the same way.
    let grown = ana
        .json(
            Method::PATCH,
            &format!("/api/passage/v1/events/{id}"),
            json!({"capacity": 2}),
        )
        .await;
    assert_eq!(grown.status, 200, "{}", grown.text);
    net.deliver_all().await;
    let told = mentions(&cem).await.remove(0);
    assert!(
        told["content"].as_str().unwrap().contains("✓ going"),
        "{told}"
    );

    // bea changes her mind. A Mastodon poll takes one vote, so she asks again: as she
    // answered the first question, a second one comes. Asking once more before answering
    // it sends nothing new.
    let before = mentions(&bea).await.len();
    ask(&uri, &format!("bea@{}", b.domain())).await;
    net.deliver_all().await;
    assert_eq!(mentions(&bea).await.len(), before + 1);
    ask(&uri, &format!("bea@{}", b.domain())).await;
    net.deliver_all().await;
    assert_eq!(mentions(&bea).await.len(), before + 1);
    // "Not going" on the new question withdraws her answer.
    vote(&bea, 1).await;
    net.deliver_all().await;
    net.deliver_all().await;
    let told = mentions(&bea).await.remove(0);
    assert!(told["content"].as_str().unwrap().contains('✗'), "{told}");
    let people = ana
        .get(&format!("/api/passage/v1/events/{id}/participants"))
        .await;
    let left: Vec<&str> = people
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["account"]["username"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["cem"]);

    // A bad handle is explained on the page.
    let back = ask(&uri, "not a handle").await;
    assert!(back.contains("ask_error="), "{back}");
    net.shutdown().await;
}

#[tokio::test]
async fn the_form_cannot_make_an_organisation_message_strangers_in_bulk() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let ana_actor = a.member("ana").await;
    a.organisation_with("mile", "MILE network", &[(&ana_actor, Role::Admin)])
        .await;
    let ana = a.login("ana").await;
    let event = ana
        .json(
            Method::POST,
            "/api/passage/v1/events",
            json!({"host": "mile", "name": "Open day", "starts_at": "2031-09-10T17:00",
                   "timezone": "Europe/Riga"}),
        )
        .await;
    let uri = event.body["uri"].as_str().unwrap().to_owned();
    let limit = passage_core::events::by_poll::MAX_QUESTIONS_PER_HOUR;
    for n in 0..limit {
        a.person(&format!("p{n}")).await;
        let back = ask(&uri, &format!("p{n}@{}", a.domain())).await;
        assert!(back.contains("asked=1"), "{n}: {back}");
    }
    a.person("late").await;
    let back = ask(&uri, &format!("late@{}", a.domain())).await;
    assert!(
        back.contains("ask_error=") && back.contains("hour"),
        "{back}"
    );
    net.shutdown().await;
}
