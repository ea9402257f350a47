//! The optional public list of moderated servers (`/api/v1/instance/domain_blocks`): off by
//! default, for members or for all as configured, with obfuscated names masked and internal
//! severities (probation, none) left out.

use passage_core::config::PublicBlocklist;
use reqwest::Method;
use serde_json::json;
use testkit::{TestNetwork, client::Client};

const PATH: &str = "/api/v1/instance/domain_blocks";

#[tokio::test]
async fn the_list_of_moderated_servers_is_shown_only_as_configured() {
    let mut net = TestNetwork::start(1).await;
    let root = net.get(0).admin("root").await;
    for block in [
        json!({"domain": "spam.example", "severity": "suspend", "public_comment": "spam wave",
               "private_comment": "seen by moderators only"}),
        json!({"domain": "hidden.example", "severity": "silence", "obfuscate": true}),
        json!({"domain": "quiet.example", "severity": "probation"}),
    ] {
        let made = root
            .json(Method::POST, "/api/v1/admin/domain_blocks", block)
            .await;
        assert_eq!(made.status, 200, "{}", made.text);
    }
    net.get(0).member("mia").await;
    let off = Client::anonymous(&net.get(0).base_url()).get(PATH).await;
    assert_eq!(off.status, 404, "{}", off.text);

    let a = &mut net.instances[0];
    a.stop().await;
    a.config.federation.public_blocklist = PublicBlocklist::Members;
    a.start().await;
    let a = net.get(0);
    assert_eq!(Client::anonymous(&a.base_url()).get(PATH).await.status, 401);
    let listed = a.login("mia").await.get(PATH).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(
        listed.body,
        json!([
            {"domain": "h****n.example", "digest": passage_core::moderation::domains::digest("hidden.example"),
             "severity": "silence", "comment": null},
            {"domain": "spam.example", "digest": passage_core::moderation::domains::digest("spam.example"),
             "severity": "suspend", "comment": "spam wave"},
        ])
    );

    let a = &mut net.instances[0];
    a.stop().await;
    a.config.federation.public_blocklist = PublicBlocklist::All;
    a.start().await;
    let open = Client::anonymous(&net.get(0).base_url()).get(PATH).await;
    assert_eq!(open.body.as_array().map(Vec::len), Some(2), "{}", open.text);
    net.shutdown().await;
}
