//! The hostile-peer suite (issue 6), growing:
//! - hostile targets for outgoing connections (SSRF): an instance that allows no private
//!   network refuses to reach this machine however the address is given, by name or written
//!   out in any IPv4 or IPv6 form, on every path that fetches: actor and key fetches,
//!   WebFinger, shared lists (the test instances normally allow loopback, as peers of each
//!   other on one machine);
//! - a fake server that serves documents of the wrong type, too large, or claiming another
//!   server's account, and inbox posts unsigned, oversized or nested past reason.
//!
//! Each attack is refused and nothing is stored; the counts are printed.

use reqwest::Method;
use serde_json::json;
use testkit::TestNetwork;

#[tokio::test]
async fn an_instance_refuses_to_reach_private_addresses_however_they_are_written() {
    let mut net = TestNetwork::start(2).await;
    let beta = net.get(1);
    let eve = beta.person("eve").await;
    let port = beta.domain().rsplit(':').next().unwrap().to_owned();
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.federation.allowed_private_networks = Vec::new();
    a.start().await;
    let alpha = net.get(0);
    let data = alpha.running().federation_data();
    let mut refused = 0;

    // By name: `localhost` resolves to loopback only, so WebFinger cannot connect.
    let by_name =
        passage_federation::resolve::handle(&data, &format!("eve@localhost:{port}")).await;
    let why = format!("{:?}", by_name.expect_err("resolved"));
    assert!(why.contains("no public address"), "{why}");
    refused += 1;

    // Written out: every form of this machine's address, for an actor (and its key) fetch.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("[::ffff:127.0.0.1]:{port}"),
        format!("0.0.0.0:{port}"),
        format!("[::]:{port}"),
        format!("127.1.2.3:{port}"),
    ] {
        let url = format!("http://{host}/users/eve");
        let fetched = passage_federation::objects::actor::resolve(&url, &data).await;
        // activitypub_federation refuses hosts written as addresses outright; our guard
        // stands behind it for every other client.
        let why = fetched.expect_err(&url).to_string();
        assert!(
            why.contains("not a public address") || why.contains("must have a domain"),
            "{url}: {why}"
        );
        refused += 1;
    }
    // A WebFinger host written as an address.
    let written =
        passage_federation::resolve::handle(&data, &format!("eve@127.0.0.1:{port}")).await;
    assert!(written.is_err());
    refused += 1;

    // A shared list at a private address: the subscription shows why, nothing changes.
    let root = alpha.admin("root").await;
    let sub = root
        .json(
            Method::POST,
            "/api/v1/admin/domain_permission_subscriptions",
            json!({"uri": format!("http://127.0.0.1:{port}/list"), "permission_type": "block",
                   "as_draft": false}),
        )
        .await;
    assert_eq!(sub.status, 200, "{}", sub.text);
    let done = root
        .post(&format!(
            "/api/passage/v1/admin/domain_permission_subscriptions/{}/refresh",
            sub.body["id"].as_str().unwrap()
        ))
        .await;
    assert!(
        done.body["subscription"]["error"]
            .as_str()
            .unwrap()
            .contains("not a public address"),
        "{}",
        done.text
    );
    refused += 1;

    // Nothing of eve was stored by any of it.
    assert!(
        passage_core::accounts::by_ap_id(alpha.ctx(), &eve.ap_id)
            .await
            .unwrap()
            .is_none()
    );
    println!("{refused} attempts to reach private addresses, {refused} refused");
    net.shutdown().await;
}

/// What the evil server answers at one path: status, content type and body.
#[derive(Clone)]
struct Answer {
    status: u16,
    content_type: &'static str,
    body: String,
}

/// A server on loopback that says whatever the test makes it say.
async fn evil_server(routes: Vec<(&'static str, Answer)>) -> String {
    let mut app = axum::Router::new();
    for (path, answer) in routes {
        app = app.route(
            path,
            axum::routing::get(move || {
                let a = answer.clone();
                async move {
                    let mut response =
                        axum::response::Response::new(axum::body::Body::from(a.body));
                    *response.status_mut() = axum::http::StatusCode::from_u16(a.status).unwrap();
                    let headers = response.headers_mut();
                    headers.insert("content-type", a.content_type.parse().unwrap());
                    response
                }
            }),
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// An actor document claiming to be `id`, with its real public key (`pem`), so that only
/// the place it is served from is wrong.
fn actor_json(id: &str, pem: &str) -> String {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id, "type": "Person", "preferredUsername": "mallory",
        "inbox": format!("{id}/inbox"),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id,
                      "publicKeyPem": pem},
    })
    .to_string()
}

#[tokio::test]
async fn a_fake_server_cannot_pose_as_another_or_overload_a_fetch() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let eve = beta.person("eve").await;
    let mallory = beta.person("mallory").await;
    let data = alpha.running().federation_data();
    let mut routes = vec![];
    let answer = |status, content_type, body: String| Answer {
        status,
        content_type,
        body,
    };
    routes.push(("/json", answer(200, "application/json", String::new())));
    routes.push(("/html", answer(200, "text/html", String::new())));
    routes.push((
        "/impostor",
        answer(
            200,
            "application/activity+json",
            actor_json(&eve.ap_id, &mallory.public_key_pem),
        ),
    ));
    routes.push((
        "/huge",
        answer(
            200,
            "application/activity+json",
            "x".repeat(2 * 1024 * 1024),
        ),
    ));
    let evil = evil_server(routes).await;

    let attacks = [
        (
            "an actor served as plain JSON (media posing as an actor)",
            format!("{evil}/json"),
        ),
        ("an actor served as an HTML page", format!("{evil}/html")),
        ("a 2 MiB document", format!("{evil}/huge")),
    ];
    let mut refused = 0;
    for (what, url) in &attacks {
        let fetched = passage_federation::objects::actor::resolve(url, &data).await;
        assert!(fetched.is_err(), "{what}: fetched {fetched:?}");
        let stored = passage_core::accounts::by_ap_id(alpha.ctx(), url)
            .await
            .unwrap();
        assert!(stored.is_none(), "{what}: stored");
        refused += 1;
    }
    // A document claiming to be eve, with mallory's key: it is not believed; eve is fetched
    // again from her own address, and her own key is the one kept.
    let impostor = format!("{evil}/impostor");
    let kept = passage_federation::objects::actor::resolve(&impostor, &data)
        .await
        .unwrap();
    assert_eq!(kept.ap_id, eve.ap_id);
    assert_eq!(
        kept.public_key_pem, eve.public_key_pem,
        "the impostor's key was kept"
    );
    refused += 1;

    // At the inbox: no signature, too large, nested past any reason.
    let http = reqwest::Client::new();
    let inbox = format!("{}/inbox", alpha.base_url());
    let post = |body: Vec<u8>| {
        http.post(&inbox)
            .header("content-type", "application/activity+json")
            .header("signature", "keyId=\"x\",signature=\"y\"")
            .body(body)
            .send()
    };
    let unsigned = http
        .post(&inbox)
        .header("content-type", "application/activity+json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    let huge = post(vec![b' '; 4 * 1024 * 1024]).await.unwrap();
    assert_eq!(huge.status(), 413);
    let nested = post(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes())
        .await
        .unwrap();
    assert_eq!(nested.status(), 400);
    refused += 3;
    println!(
        "{} attacks by a fake server, {refused} refused",
        attacks.len() + 4
    );
    net.shutdown().await;
}
