//! Interop with servers that are not Passage, played by a fake peer on loopback
//! (`testkit::peer`): signed fetches as strict servers check them, actors and objects in the
//! shapes other software sends, and what an inbox must never answer with a 5xx.

use passage_core::posts;
use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::{
    TestNetwork,
    peer::{Fetches, Peer},
};

const AS: &str = "https://www.w3.org/ns/activitystreams";
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A Create of `object` by `name` on `peer`, addressed publicly.
fn create(peer: &Peer, name: &str, object: Value) -> Value {
    let id = object["id"].as_str().unwrap().to_owned();
    json!({
        "@context": AS,
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": peer.actor_id(name),
        "to": [PUBLIC],
        "object": object,
    })
}

/// A public Note by `name` on `peer` with the given extra fields.
fn note(peer: &Peer, name: &str, n: &str, extra: Value) -> Value {
    let mut note = json!({
        "id": format!("{}/notes/{n}", peer.base),
        "type": "Note",
        "attributedTo": peer.actor_id(name),
        "to": [PUBLIC],
        "content": format!("<p>note {n}</p>"),
    });
    note.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    note
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actors_served_only_to_signed_fetches_can_follow() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let ana = alpha.person("ana").await;
    for (fetches, key) in [(Fetches::SignedCavage, 6), (Fetches::SignedRfc9421, 7)] {
        let peer = Peer::start(fetches, key).await;
        peer.actor("sam", |_| {});
        let follow = json!({
            "@context": AS,
            "id": format!("{}/follows/1", peer.base),
            "type": "Follow",
            "actor": peer.actor_id("sam"),
            "object": ana.ap_id,
        });
        let (status, text) = peer.send("sam", &ana.inbox_url, &follow).await;
        assert_eq!(
            status,
            StatusCode::ACCEPTED,
            "{fetches:?}: {text}; refused fetches: {:?}",
            peer.refused()
        );
        let sam = alpha.known_by_ap_id(&peer.actor_id("sam")).await;
        assert_eq!(alpha.follow_state(&sam, &ana).await, Some(true));
        if fetches == Fetches::SignedRfc9421 {
            // One draft-cavage knock refused, then RFC 9421, remembered for the next fetch.
            assert_eq!(peer.refused().len(), 1, "{:?}", peer.refused());
        } else {
            assert!(peer.refused().is_empty(), "{:?}", peer.refused());
        }
    }
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_actor_without_preferred_username_is_verified_and_stored() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let ana = alpha.person("ana").await;
    let peer = Peer::start(Fetches::Open, 8).await;
    peer.actor("4711", |actor| {
        actor.as_object_mut().unwrap().remove("preferredUsername");
    });
    let follow = json!({
        "@context": AS,
        "id": format!("{}/follows/2", peer.base),
        "type": "Follow",
        "actor": peer.actor_id("4711"),
        "object": ana.ap_id,
    });
    let (status, text) = peer.send("4711", &ana.inbox_url, &follow).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{text}");
    let stored = alpha.known_by_ap_id(&peer.actor_id("4711")).await;
    assert_eq!(stored.username, "4711");
    assert_eq!(
        stored.display_name, "",
        "a missing name stays empty, as in Mastodon"
    );
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shapes_mastodon_accepts_are_stored_as_statuses() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let ana = alpha.person("ana").await;
    let peer = Peer::start(Fetches::Open, 9).await;
    let sam = peer.actor("sam", |_| {});
    let parent = note(&peer, "sam", "parent", json!({}));
    let (status, text) = peer
        .send("sam", &ana.inbox_url, &create(&peer, "sam", parent.clone()))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{text}");
    let parent_id = parent["id"].as_str().unwrap();
    let media = |kind: &str| {
        json!({"type": kind, "name": format!("A {kind}"), "content": null,
        "url": {"type": "Link", "mediaType": "video/mp4", "href": format!("{}/files/{kind}", peer.base)}})
    };
    let cases: Vec<(&str, Value)> = vec![
        ("inReplyTo as a list", json!({"inReplyTo": [parent_id]})),
        (
            "inReplyTo as a Link",
            json!({"inReplyTo": {"type": "Link", "href": parent_id}}),
        ),
        (
            "inReplyTo embedded",
            json!({"inReplyTo": {"id": parent_id, "type": "Note"}}),
        ),
        (
            "inReplyTo as a collection",
            json!({"inReplyTo": {"type": "Collection", "items": [parent_id]}}),
        ),
        (
            "attributedTo embedded",
            json!({"attributedTo": sam.clone()}),
        ),
        ("an Audio", media("Audio")),
        ("a Video", media("Video")),
        ("an Image", media("Image")),
        ("a Document", media("Document")),
        (
            "an Event without times",
            json!({"type": "Event", "name": "Picnic", "content": "<p>Bring food</p>"}),
        ),
        (
            "a type list",
            json!({"type": ["Note", "Article"], "name": "Both"}),
        ),
    ];
    for (n, (case, extra)) in cases.into_iter().enumerate() {
        let object = note(&peer, "sam", &n.to_string(), extra.clone());
        let (status, text) = peer
            .send("sam", &ana.inbox_url, &create(&peer, "sam", object.clone()))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{case}: {text}");
        let stored = posts::by_ap_id(alpha.ctx(), object["id"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{case}: not stored"));
        if case.starts_with("inReplyTo") {
            assert_eq!(
                stored.in_reply_to_ap_id.as_deref(),
                Some(parent_id),
                "{case}"
            );
        }
        if let Some(name) = extra["name"].as_str() {
            assert!(stored.content.contains(name), "{case}: {}", stored.content);
        }
        if extra["url"]["href"].is_string() {
            assert!(
                stored.content.contains("/files/"),
                "{case}: {}",
                stored.content
            );
        }
    }
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awkward_input_never_gets_a_server_error() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let ana = alpha.person("ana").await;
    let peer = Peer::start(Fetches::Open, 10).await;
    peer.actor("sam", |_| {});
    let mention = json!({"type": "Mention", "href": ana.ap_id, "name": "@ana"});
    let twice = note(
        &peer,
        "sam",
        "twice",
        json!({"tag": [mention.clone(), mention], "cc": [ana.ap_id]}),
    );
    let (status, text) = peer
        .send("sam", &ana.inbox_url, &create(&peer, "sam", twice.clone()))
        .await;
    assert_eq!(
        status,
        StatusCode::ACCEPTED,
        "a post mentioning ana twice: {text}"
    );
    let stored = posts::by_ap_id(alpha.ctx(), twice["id"].as_str().unwrap())
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(
        posts::mentioned(alpha.ctx(), &stored).await.unwrap().len(),
        1
    );

    // A boost of a post its own server does not serve: accepted, dropped, nothing stored.
    let missing = format!("{}/notes/never-there", peer.base);
    let announce = json!({
        "@context": AS,
        "id": format!("{}/announces/1", peer.base),
        "type": "Announce",
        "actor": peer.actor_id("sam"),
        "to": [PUBLIC],
        "object": {"id": missing, "type": "Note", "attributedTo": peer.actor_id("sam"),
                   "content": "<p>trust me</p>"},
    });
    let (status, text) = peer.send("sam", &ana.inbox_url, &announce).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{text}");
    assert!(
        posts::by_ap_id(alpha.ctx(), &missing)
            .await
            .unwrap()
            .is_none()
    );
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_cannot_loop_and_links_are_web_addresses() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let ana = alpha.person("ana").await;
    let peer = Peer::start(Fetches::Open, 11).await;
    peer.actor("sam", |_| {});
    let first = note(&peer, "sam", "a", json!({"url": "javascript:alert(1)"}));
    let second = note(&peer, "sam", "b", json!({"inReplyTo": first["id"]}));
    for object in [&first, &second] {
        let (status, text) = peer
            .send("sam", &ana.inbox_url, &create(&peer, "sam", object.clone()))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{text}");
    }
    let stored = |id: &Value| {
        let id = id.as_str().unwrap().to_owned();
        async move { posts::by_ap_id(alpha.ctx(), &id).await.unwrap().unwrap() }
    };
    assert_eq!(stored(&first["id"]).await.url, None, "a script is no link");
    // The first post now claims to answer its own reply, then itself: no loop is stored.
    for parent in [&second["id"], &first["id"]] {
        let mut changed = first.clone();
        changed["inReplyTo"] = parent.clone();
        changed["updated"] = json!(chrono::Utc::now().to_rfc3339());
        let update = json!({
            "@context": AS,
            "id": format!("{}/updates/{}", peer.base, uuid::Uuid::new_v4()),
            "type": "Update",
            "actor": peer.actor_id("sam"),
            "to": [PUBLIC],
            "object": changed,
        });
        let (status, text) = peer.send("sam", &ana.inbox_url, &update).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{text}");
        assert_eq!(stored(&first["id"]).await.in_reply_to_id, None);
    }
    let id = stored(&second["id"]).await.id;
    let context = testkit::client::Client::anonymous(&alpha.base_url())
        .get(&format!("/api/v1/statuses/{id}/context"))
        .await;
    assert_eq!(context.status, 200);
    assert_eq!(context.body["ancestors"].as_array().unwrap().len(), 1);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_requests_do_not_spend_the_allowance_of_the_server_they_name() {
    let mut net = TestNetwork::start(1).await;
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.limits.inbox_per_domain_per_minute = 3;
    a.start().await;
    let alpha = net.get(0);
    let ana = alpha.person("ana").await;
    let real = Peer::start(Fetches::Open, 6).await;
    real.actor("eve", |_| {});
    let forger = Peer::start(Fetches::Open, 7).await;
    let post = |n: &str| create(&real, "eve", note(&real, "eve", n, json!({})));
    for n in ["f1", "f2", "f3"] {
        let (status, _) = forger
            .send_claiming(&real.actor_id("eve"), &ana.inbox_url, &post(n))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "forgery {n}");
    }
    let (status, text) = real.send("eve", &ana.inbox_url, &post("real")).await;
    assert_eq!(
        status,
        StatusCode::ACCEPTED,
        "eve's server still delivers: {text}"
    );
    // The forger's address has spent its own allowance: refused before any signature work.
    let (status, _) = forger
        .send_claiming(&real.actor_id("eve"), &ana.inbox_url, &post("f4"))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    net.shutdown().await;
}
