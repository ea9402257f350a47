//! Probation: a domain that federates, but whose unasked posts and mentions wait for a
//! moderator, across two real instances.

use super::moderation::{audit_log, block_domain};
use reqwest::Method;
use serde_json::json;
use testkit::TestNetwork;

/// The notifications of type `mention` a member has.
async fn mentions(who: &testkit::client::Client) -> Vec<String> {
    let notes = who.get("/api/v1/notifications?types[]=mention").await;
    assert_eq!(notes.status, 200, "{}", notes.text);
    notes
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"]["content"].as_str().unwrap_or("").to_owned())
        .collect()
}

async fn held(root: &testkit::client::Client) -> Vec<serde_json::Value> {
    let queue = root.get("/api/passage/v1/admin/held_posts").await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    queue.body.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_probation_peers_unasked_posts_wait_for_a_moderator() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    let ana_actor = alpha.member("ana").await;
    let ana = alpha.login("ana").await;
    alpha.member("bo").await;
    let eve = beta.member("eve").await;
    let eve_client = beta.login("eve").await;
    beta.member("fay").await;
    let fay_client = beta.login("fay").await;
    // Ana follows eve, so eve's mentions of her are asked for; bo follows nobody.
    net.follow(0, &ana_actor, 1, &eve).await;
    let probation = block_domain(
        &root,
        json!({"domain": beta.domain(), "severity": "probation"}),
    )
    .await;
    assert_eq!(probation.status, 200, "{}", probation.text);
    assert_eq!(probation.body["policy_severity"], "probation");
    let here = alpha.domain();

    // Asked for: eve mentions ana, who follows her. It arrives at once.
    eve_client
        .status(&format!("@ana@{here} see you at the training"))
        .await;
    // Unasked: eve mentions bo, who does not follow her; fay, whom nobody follows, mentions
    // ana.
    eve_client
        .status(&format!("@bo@{here} buy cheap followers"))
        .await;
    let fay_post = fay_client
        .status(&format!("@ana@{here} hello, first post"))
        .await;
    net.deliver_all().await;
    let got = mentions(&ana).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("training"));
    let bo_client = alpha.login("bo").await;
    assert!(mentions(&bo_client).await.is_empty());
    // Both wait, whichever arrived first.
    let queue = held(&root).await;
    assert_eq!(queue.len(), 2, "{queue:?}");
    let by = |who: &str| {
        queue
            .iter()
            .find(|h| h["account"]["username"] == who)
            .unwrap_or_else(|| panic!("nothing held from {who}: {queue:?}"))
            .clone()
    };
    let (from_eve, from_fay) = (by("eve"), by("fay"));
    assert_eq!(from_eve["reason"], "mention");
    assert!(
        from_eve["content"]
            .as_str()
            .unwrap()
            .contains("cheap followers")
    );
    assert_eq!(from_fay["reason"], "mention");
    assert_eq!(mentions(&ana).await.len(), 1);
    // Nothing of a held post is stored: no status, no timeline entry.
    let fay_uri = fay_post["uri"].as_str().unwrap();
    assert!(
        passage_core::posts::by_ap_id(alpha.ctx(), fay_uri)
            .await
            .unwrap()
            .is_none()
    );

    // Members cannot see or touch the queue.
    let refused = ana.get("/api/passage/v1/admin/held_posts").await;
    assert_eq!(refused.status, 403, "{}", refused.text);

    // Fay deletes her post: it leaves the queue too.
    let deleted = fay_client
        .json(
            Method::DELETE,
            &format!("/api/v1/statuses/{}", fay_post["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    net.deliver_all().await;
    assert_eq!(held(&root).await.len(), 1);

    // The moderator lets the mention in: bo is notified now, as if it had just arrived.
    let id = from_eve["id"].as_str().unwrap();
    let approved = root
        .post(&format!("/api/passage/v1/admin/held_posts/{id}/approve"))
        .await;
    assert_eq!(approved.status, 200, "{}", approved.text);
    assert!(
        approved.body["content"]
            .as_str()
            .unwrap()
            .contains("cheap followers")
    );
    assert_eq!(mentions(&bo_client).await.len(), 1);
    assert!(held(&root).await.is_empty());
    let again = root
        .post(&format!("/api/passage/v1/admin/held_posts/{id}/approve"))
        .await;
    assert_eq!(again.status, 404, "{}", again.text);

    // A second unasked mention is turned down: dropped, and audited with the first.
    eve_client
        .status(&format!("@bo@{here} last chance offer"))
        .await;
    net.deliver_all().await;
    let queue = held(&root).await;
    assert_eq!(queue.len(), 1);
    let rejected = root
        .post(&format!(
            "/api/passage/v1/admin/held_posts/{}/reject",
            queue[0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(rejected.status, 200, "{}", rejected.text);
    assert_eq!(mentions(&bo_client).await.len(), 1);
    let (_, actions) = audit_log(&root).await;
    assert_eq!(actions[..2], ["held_post.reject", "held_post.approve"]);
    net.shutdown().await;
}
