//! Hostile targets for outgoing connections (SSRF): an instance that allows no private
//! network refuses to reach this machine however the address is given, by name or written
//! out in any IPv4 or IPv6 form, on every path that fetches: actor and key fetches,
//! WebFinger, shared lists. Nothing is stored from a refused fetch. (The test instances
//! normally allow loopback, as peers of each other on one machine.)

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
