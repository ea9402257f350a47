//! Relays between instances, in both common styles: an instance that follows nobody sees a
//! public event through the relay, fetched from its own server (never as the relay tells
//! it), while followers-only posts and unsubscribed instances get nothing.

use passage_core::accounts::Role;
use reqwest::Method;
use serde_json::{Value, json};
use testkit::{
    TestNetwork,
    relay::{Relay, Style},
};

async fn one_relay_between_three_instances(style: Style) {
    let net = TestNetwork::start(3).await;
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    let relay = Relay::start(style, 5).await;
    let ana = alpha.member("ana").await;
    alpha
        .organisation_with("mile", "MILE network", &[(&ana, Role::Admin)])
        .await;

    // alpha's admin subscribes through the API, gamma's from the command line's function.
    let admin = alpha.admin("root").await;
    let added = admin
        .form(
            Method::POST,
            "/api/passage/v1/admin/relays",
            &[("url", &relay.address())],
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.body["state"], "pending");
    let expected_style = if style == Style::Mastodon {
        "mastodon"
    } else {
        "litepub"
    };
    assert_eq!(added.body["style"], expected_style);
    passage_federation::relays::subscribe(&gamma.running().federation_data(), &relay.address())
        .await
        .unwrap();
    net.deliver_all().await;
    assert_eq!(relay.subscribers(), 2);
    let listed = admin.get("/api/passage/v1/admin/relays").await;
    assert_eq!(listed.body[0]["state"], "accepted", "{}", listed.text);

    // A public event by alpha's organisation reaches gamma, which follows nobody.
    let ana_client = alpha.login("ana").await;
    let created = ana_client
        .json(
            Method::POST,
            "/api/passage/v1/events",
            json!({
                "host": "mile",
                "name": "Consultation on housing",
                "description": "Open to every city of the network.",
                "starts_at": "2031-03-01T10:00",
                "timezone": "Europe/Riga",
                "language": "en"
            }),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let uri = created.body["uri"].as_str().unwrap().to_owned();
    let before = relay.passed_on();
    net.deliver_all().await;
    assert_eq!(
        relay.passed_on(),
        before + 1,
        "to gamma only, not back to alpha"
    );
    let seen = passage_core::posts::by_ap_id(gamma.ctx(), &uri)
        .await
        .unwrap();
    let seen = seen.expect("the event reached gamma through the relay");
    assert!(
        seen.content.contains("Open to every city"),
        "taken from its own server, not as the relay told it: {}",
        seen.content
    );
    assert!(
        passage_core::posts::by_ap_id(beta.ctx(), &uri)
            .await
            .unwrap()
            .is_none()
    );
    gamma.member("gus").await;
    let public = gamma
        .login("gus")
        .await
        .get("/api/v1/timelines/public")
        .await;
    let uris: Vec<&str> = public
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["uri"].as_str())
        .collect();
    assert!(uris.contains(&uri.as_str()), "{}", public.text);

    // A followers-only post does not go to the relay at all.
    let passed = relay.passed_on();
    let private = ana_client
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "For followers only", "visibility": "private"}),
        )
        .await;
    assert_eq!(private.status, 200, "{}", private.text);
    net.deliver_all().await;
    assert_eq!(relay.passed_on(), passed);

    // Leaving: the relay hears of it.
    let id = listed.body[0]["id"].as_str().unwrap().to_owned();
    let left = admin
        .json(
            Method::DELETE,
            &format!("/api/passage/v1/admin/relays/{id}"),
            Value::Null,
        )
        .await;
    assert_eq!(left.status, 200, "{}", left.text);
    net.deliver_all().await;
    assert_eq!(relay.subscribers(), 1);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mastodon_style_relay_carries_a_public_event_to_an_instance_that_follows_nobody() {
    one_relay_between_three_instances(Style::Mastodon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_litepub_relay_carries_a_public_event_to_an_instance_that_follows_nobody() {
    one_relay_between_three_instances(Style::LitePub).await;
}
