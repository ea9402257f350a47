//! Events and statuses that point to resources (FEP-e232 object links): chosen by id on an
//! event, found in a status's text, carried to peers as `Link` tags, and shown with their
//! titles only to whoever may see the resource.

use passage_core::accounts::Role;
use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestNetwork, client::Client};

async fn post(ana: &Client, path: &str, body: Value) -> Value {
    let answer = ana.json(Method::POST, path, body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.body
}

/// The object links of an ActivityPub document: `(href, name)`.
fn object_links(doc: &Value) -> Vec<(String, String)> {
    doc["tag"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["type"] == "Link")
        .map(|t| {
            assert_eq!(
                t["mediaType"],
                "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
                "{t}"
            );
            (
                t["href"].as_str().unwrap().to_owned(),
                t["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn events_and_statuses_point_to_resources_across_instances() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    let ana_actor = a.member("ana").await;
    let mile = a
        .organisation_with("mile", "MILE network", &[(&ana_actor, Role::Admin)])
        .await;
    let ana = a.login("ana").await;
    b.member("bea").await;
    let bea = b.login("bea").await;
    let bea_actor = b.lookup(&format!("bea@{}", b.domain())).await;
    net.follow(1, &bea_actor, 0, &mile).await;

    let toolkit = post(
        &ana,
        "/api/passage/v1/resources",
        json!({"host": "mile", "title": "Know-your-rights toolkit", "language": "en",
               "link_url": "https://mile.example/kyr", "category": "toolkit"}),
    )
    .await;
    let minutes = post(
        &ana,
        "/api/passage/v1/resources",
        json!({"host": "mile", "title": "Board minutes", "link_url": "https://mile.example/m",
               "visibility": "members"}),
    )
    .await;
    let notes = post(
        &ana,
        "/api/passage/v1/resources",
        json!({"host": "mile", "title": "Trainer notes", "link_url": "https://mile.example/n",
               "visibility": "followers"}),
    )
    .await;
    let toolkit_uri = toolkit["uri"].as_str().unwrap().to_owned();
    // B has the resource before the event that points to it.
    net.deliver_all().await;
    let event_of = |resources: Vec<&Value>| {
        json!({"host": "mile", "name": "Rights training", "starts_at": "2031-05-04T10:00",
               "timezone": "Europe/Athens", "language": "en",
               "resource_ids": resources.iter().map(|r| r["id"].clone()).collect::<Vec<_>>()})
    };

    // A public event may not point to what fewer people can see; errors name the field and
    // nothing is stored.
    for (hidden, why) in [
        (&minutes, "fewer people"),
        (&notes, "fewer people"),
        (&json!({"id": "999999"}), "no resource"),
    ] {
        let refused = ana
            .json(
                Method::POST,
                "/api/passage/v1/events",
                event_of(vec![&toolkit, hidden]),
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text);
        let error = refused.body["error"].as_str().unwrap();
        assert!(
            error.contains("resource_ids") && error.contains(why),
            "{error}"
        );
    }
    let listed = ana.get("/api/passage/v1/events?host=mile").await;
    assert_eq!(listed.body, json!([]), "nothing half-stored");

    // A followers-only event of the same host may point to a followers-only resource.
    let private = post(
        &ana,
        "/api/passage/v1/events",
        json!({"host": "mile", "name": "Trainers' meeting", "starts_at": "2031-05-03T10:00",
               "timezone": "Europe/Athens", "visibility": "private",
               "resource_ids": [notes["id"]]}),
    )
    .await;
    assert_eq!(private["resources"][0]["title"], "Trainer notes");

    let event = post(&ana, "/api/passage/v1/events", event_of(vec![&toolkit])).await;
    assert_eq!(
        event["resources"],
        json!([{"url": toolkit_uri, "title": "Know-your-rights toolkit",
                "status_id": toolkit["id"]}])
    );
    let event_uri = event["uri"].as_str().unwrap().to_owned();
    net.deliver_all().await;

    // Peers get the link as a tag, and Mastodon readers see it closing the summary.
    let (_, doc) = testkit::client::fetch_ap(&event_uri).await;
    assert_eq!(
        object_links(&doc),
        [(toolkit_uri.clone(), "Know-your-rights toolkit".to_owned())]
    );
    assert!(
        doc["summary"].as_str().unwrap().contains(&format!(
            "📎 <a href=\"{toolkit_uri}\">Know-your-rights toolkit</a>"
        )),
        "{doc}"
    );

    // On B, bea's event shows the resource, tied to B's copy of it.
    let remote = bea
        .get(&format!("/api/passage/v1/events?host=mile@{}", a.domain()))
        .await;
    let linked = &remote.body[0]["resources"][0];
    assert_eq!(linked["url"], toolkit_uri.as_str(), "{}", remote.text);
    assert_eq!(linked["title"], "Know-your-rights toolkit");
    let copy = bea
        .get(&format!(
            "/api/v1/statuses/{}",
            linked["status_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(copy.body["uri"], toolkit_uri.as_str(), "{}", copy.text);

    // The event's page lists it; a French reader reads the page's words in French.
    let page = testkit::client::http()
        .get(format!("{event_uri}?lang=fr"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h2>Ressources</h2>"), "{page}");
    assert!(
        page.contains(&format!(
            "<a href=\"{toolkit_uri}\">Know-your-rights toolkit</a>"
        )),
        "{page}"
    );

    // A status that writes the resource's address links it too.
    let status = ana
        .status(&format!("Before the training, read {toolkit_uri}"))
        .await;
    let (_, doc) = testkit::client::fetch_ap(status["uri"].as_str().unwrap()).await;
    assert_eq!(
        object_links(&doc),
        [(toolkit_uri.clone(), toolkit_uri.clone())]
    );

    // Links can be changed and cleared.
    let cleared = ana
        .json(
            Method::PATCH,
            &format!("/api/passage/v1/events/{}", event["id"].as_str().unwrap()),
            json!({"resource_ids": []}),
        )
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(cleared.body["resources"], json!([]));
    let (_, doc) = testkit::client::fetch_ap(&event_uri).await;
    assert!(object_links(&doc).is_empty(), "{doc}");
    net.shutdown().await;
}
