//! The network directory without a central server: alpha knows only beta, beta lists gamma
//! as part of its network, and a member on alpha browses the organisations and cities of
//! all three, never their members, nor servers alpha does not federate with.

use passage_core::moderation::{
    By,
    domains::{self, BlockInput},
    policy::Severity,
};
use testkit::{TestNetwork, client::Client};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_browses_the_organisations_of_the_whole_network_from_any_instance() {
    let net = TestNetwork::start(3).await;
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    domains::allow(alpha.ctx(), By::Operator, &beta.domain(), None)
        .await
        .unwrap();
    domains::allow(beta.ctx(), By::Operator, &gamma.domain(), None)
        .await
        .unwrap();
    beta.organisation("riga", "City of Riga").await;
    beta.member("bea").await;
    gamma.organisation("council", "Refugee Council").await;

    // Each server publishes its peers and its own directory (organisations only).
    let beta_anon = Client::anonymous(&beta.base_url());
    let peers = beta_anon.get("/api/passage/v1/network/peers").await;
    assert_eq!(peers.body, serde_json::json!([gamma.domain()]));
    let own = beta_anon.get("/api/v1/directory?local=true").await;
    assert_eq!(own.status, 200, "{}", own.text);
    let names: Vec<&str> = own
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["riga"], "members are never listed");
    assert_eq!(own.body[0]["group"], true);

    let data = alpha.running().federation_data();
    assert_eq!(
        passage_federation::directory::refresh(&data).await.unwrap(),
        2
    );
    let anon = Client::anonymous(&alpha.base_url());
    let seen = anon.get("/api/passage/v1/network").await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    let servers = seen.body["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 2, "{}", seen.text);
    let gamma_row = servers
        .iter()
        .find(|s| s["domain"] == gamma.domain())
        .unwrap();
    assert_eq!(gamma_row["via"], beta.domain(), "found through beta's list");
    assert_eq!(gamma_row["name"], "gamma", "named by its NodeInfo");
    assert_eq!(gamma_row["software"], "passage");
    let mut accts: Vec<String> = seen.body["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["acct"].as_str().unwrap().to_owned())
        .collect();
    accts.sort();
    let mut expected = [
        format!("riga@{}", beta.domain()),
        format!("council@{}", gamma.domain()),
    ];
    expected.sort();
    assert_eq!(accts, expected, "{}", seen.text);
    let only_gamma = anon
        .get(&format!(
            "/api/passage/v1/network?domain={}",
            gamma.domain()
        ))
        .await;
    assert_eq!(
        only_gamma.body["organisations"].as_array().unwrap().len(),
        1
    );

    let page = anon.get("/network").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("City of Riga") && page.text.contains("Refugee Council"));
    assert!(!page.text.contains("bea"), "members are never listed");

    // A server alpha blocks is left out of its directory.
    domains::block(
        alpha.ctx(),
        By::Operator,
        BlockInput::new(&gamma.domain(), Severity::Suspend),
    )
    .await
    .unwrap();
    assert_eq!(
        passage_federation::directory::refresh(&data).await.unwrap(),
        1
    );
    let after = anon.get("/api/passage/v1/network").await;
    assert_eq!(after.body["organisations"].as_array().unwrap().len(), 1);
    net.shutdown().await;
}
