//! Public pages: browsers get HTML at the same addresses ActivityPub clients get JSON from;
//! nothing that is not public has a page.

use passage_core::accounts::Role;
use reqwest::Method;
use serde_json::json;
use testkit::{TestNetwork, client::Client};

/// GET `url` with `accept` (and a language): status, content type and body.
async fn get(url: &str, accept: &str, language: &str) -> (u16, String, String) {
    let answer = testkit::client::http()
        .get(url)
        .header("accept", accept)
        .header("accept-language", language)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let kind = answer
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, answer.text().await.unwrap())
}

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const AP: &str = "application/activity+json";

async fn post(ana: &Client, path: &str, body: serde_json::Value) -> serde_json::Value {
    let answer = ana.json(Method::POST, path, body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.body
}

#[tokio::test]
async fn browsers_get_pages_and_peers_get_documents_at_the_same_addresses() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let base = a.base_url();
    let ana_actor = a.member("ana").await;
    let mile = a
        .organisation_with("mile", "MILE network", &[(&ana_actor, Role::Admin)])
        .await;
    let ana = a.login("ana").await;
    let event = post(
        &ana,
        "/api/passage/v1/events",
        json!({
            "host": "mile", "name": "Consultation <evening>", "starts_at": "2031-06-01T18:00",
            "ends_at": "2031-06-01T20:00", "timezone": "Europe/Brussels", "capacity": 25,
            "description": "Bring <b>your</b> questions.",
            "place": {"name": "Town hall", "locality": "Brussels"}, "language": "fr",
            "translations": [{"language": "nl", "name": "Inspraakavond", "description": "Breng je vragen mee."}],
        }),
    )
    .await;
    let private = post(
        &ana,
        "/api/passage/v1/events",
        json!({"host": "mile", "name": "Board meeting", "starts_at": "2031-06-02T10:00",
               "timezone": "Europe/Brussels", "visibility": "private"}),
    )
    .await;
    let report = post(
        &ana,
        "/api/passage/v1/resources",
        json!({
            "host": "mile", "title": "Inclusion toolkit", "description": "How cities listen.",
            "language": "en", "link_url": "https://mile.example/toolkit", "licence": "CC-BY-4.0",
            "translations": [{"language": "el", "title": "Εργαλειοθήκη ένταξης"}],
        }),
    )
    .await;
    let secret = post(
        &ana,
        "/api/passage/v1/resources",
        json!({"host": "mile", "title": "Board minutes", "link_url": "https://mile.example/m",
               "visibility": "members"}),
    )
    .await;
    let uri = |v: &serde_json::Value| v["uri"].as_str().unwrap().to_owned();

    // The event: a page for browsers (escaped, localised, with calendar links), JSON for peers.
    let (status, kind, html) = get(&uri(&event), BROWSER, "fr-BE,fr;q=0.9").await;
    assert_eq!(status, 200, "{html}");
    assert!(kind.starts_with("text/html"), "{kind}");
    for expected in [
        "<html lang=\"fr\">",
        "<h1>Consultation &#60;evening&#62;</h1>",
        "dimanche 1 juin 2031, 18:00–20:00 (Europe/Brussels)",
        "Town hall, Brussels",
        // The page's own words are in the reader's language too.
        "Places restantes</dt><dd>25",
        "Ajouter au calendrier (.ics)",
        "Vous venez ?",
        "calendar.google.com",
        "@mile@",
        "Bring &lt;b&gt;your&lt;/b&gt; questions.",
    ] {
        assert!(html.contains(expected), "{expected:?} missing from {html}");
    }
    assert!(html.contains(&format!("href=\"{}/ics\"", uri(&event))));
    let (status, kind, json) = get(&uri(&event), AP, "fr").await;
    assert_eq!(status, 200);
    assert!(kind.contains("activity+json"), "{kind}");
    assert!(json.contains("\"type\":\"Event\""));

    // Written in two languages: peers get both, primary first; a Dutch reader gets Dutch.
    let (_, doc) = testkit::client::fetch_ap(&uri(&event)).await;
    let names: Vec<&String> = doc["nameMap"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["fr", "nl"], "{doc}");
    assert!(
        doc["contentMap"]["nl"]
            .as_str()
            .unwrap()
            .contains("Breng je vragen mee.")
    );
    let dutch = doc["summaryMap"]["nl"].as_str().unwrap();
    assert!(dutch.contains("zondag 1 juni 2031"), "{dutch}");
    let (_, _, html) = get(&uri(&event), BROWSER, "nl").await;
    assert!(html.contains("<h1>Inspraakavond</h1>"), "{html}");
    assert!(html.contains("zondag 1 juni 2031"), "{html}");

    // The resource, in the reader's language, with its other version one click away.
    let (status, _, html) = get(&uri(&report), BROWSER, "el").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("<h1>Εργαλειοθήκη ένταξης</h1>"), "{html}");
    assert!(html.contains("href=\"?lang=en\""));
    assert!(html.contains("rel=\"license\""));
    let (_, _, html) = get(&format!("{}?lang=en", uri(&report)), BROWSER, "el").await;
    assert!(html.contains("<h1>Inclusion toolkit</h1>"), "{html}");

    // The organisation: events, resources, calendar; members not listed.
    let (status, _, html) = get(&format!("{base}/@mile"), BROWSER, "en").await;
    assert_eq!(status, 200, "{html}");
    for expected in [
        "MILE network",
        "Consultation &#60;evening&#62;",
        "Inclusion toolkit",
        "webcal://",
        "1 member<",
    ] {
        assert!(html.contains(expected), "{expected:?} missing from {html}");
    }
    assert!(!html.contains("Board"), "nothing private shows: {html}");
    assert!(!html.contains("<h2>Members</h2>"));
    let (status, kind, json) = get(&format!("{base}/@mile"), AP, "en").await;
    assert_eq!(status, 200);
    assert!(
        kind.contains("activity+json") && json.contains("\"Group\""),
        "{json}"
    );
    let redirect = testkit::client::http()
        .get(&mile.ap_id)
        .header("accept", BROWSER)
        .send()
        .await
        .unwrap();
    assert!(redirect.status().is_redirection());
    assert_eq!(redirect.headers()["location"], "/@mile");

    // What is not public has no page, and says nothing about itself.
    for hidden in [uri(&private), uri(&secret)] {
        let (status, _, html) = get(&hidden, BROWSER, "en").await;
        assert_eq!(status, 404, "{hidden}");
        assert!(!html.contains("Board"), "{html}");
    }

    // A cancelled event says so.
    ana.post(&format!(
        "/api/passage/v1/events/{}/cancel",
        event["id"].as_str().unwrap()
    ))
    .await;
    let (_, _, html) = get(&uri(&event), BROWSER, "en").await;
    assert!(html.contains("This event is cancelled."), "{html}");
    net.shutdown().await;
}
