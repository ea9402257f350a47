//! Moving an account between instances, the fediverse's way: the new account names the old
//! one as an alias, the old one moves, and followers on every server follow the new account.

use passage_core::{accounts::moves, follows};
use reqwest::Method;
use serde_json::json;
use testkit::{
    TestNetwork,
    client::{PASSWORD, fetch_ap},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_moves_and_her_followers_everywhere_follow_the_new_account() {
    let net = TestNetwork::start(3).await;
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    let ana = alpha.member("ana").await;
    let ana_new = beta.member("ana").await;
    let cem = gamma.member("cem").await;
    let dan = alpha.person("dan").await;
    net.follow(2, &cem, 0, &ana).await;
    follows::request(alpha.ctx(), &dan, &ana).await.unwrap();
    let old = alpha.login("ana").await;
    let new = beta.login("ana").await;
    let move_to = |password: &'static str| {
        let old = &old;
        let target = ana_new.ap_id.clone();
        async move {
            old.form(
                Method::POST,
                "/api/v1/accounts/move",
                &[("password", password), ("moved_to_uri", &target)],
            )
            .await
        }
    };

    // Before the new account names the old one, the move is refused and nothing changes.
    let refused = move_to(PASSWORD).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(refused.body["error"].as_str().unwrap().contains("alias"));
    assert_eq!(alpha.reload(&ana).await.moved_to, None);

    let named = new
        .form(
            Method::POST,
            "/api/v1/accounts/alias",
            &[("also_known_as_uris[]", &format!("ana@{}", alpha.domain()))],
        )
        .await;
    assert_eq!(named.status, 200, "{}", named.text);
    assert_eq!(
        named.body["source"]["also_known_as_uris"],
        json!([ana.ap_id])
    );
    let (_, document) = fetch_ap(&ana_new.ap_id).await;
    assert_eq!(document["alsoKnownAs"], json!([ana.ap_id]));

    let wrong = move_to("not the password").await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);

    let moved = move_to(PASSWORD).await;
    assert_eq!(moved.status, 202, "{}", moved.text);
    net.deliver_all().await;

    // cem, on a third server, follows the new account and no longer the old one.
    let old_at_gamma = gamma.known(&ana).await;
    let new_at_gamma = gamma.known(&ana_new).await;
    assert_eq!(gamma.follow_state(&cem, &new_at_gamma).await, Some(true));
    assert_eq!(gamma.follow_state(&cem, &old_at_gamma).await, None);
    assert_eq!(
        old_at_gamma.moved_to.as_deref(),
        Some(ana_new.ap_id.as_str())
    );
    assert_eq!(
        beta.follow_state(&beta.known(&cem).await, &ana_new).await,
        Some(true)
    );
    assert_eq!(
        alpha.follow_state(&alpha.known(&cem).await, &ana).await,
        None,
        "the Undo of the old follow reached alpha"
    );
    // dan, on the old account's own server, moved along.
    let new_at_alpha = alpha.known(&ana_new).await;
    assert_eq!(alpha.follow_state(&dan, &new_at_alpha).await, Some(true));
    assert_eq!(alpha.follow_state(&dan, &ana).await, None);

    // The old account points at the new one: the API's `moved`, the actor's `movedTo`.
    let shown = old.get(&format!("/api/v1/accounts/{}", ana.id)).await;
    assert_eq!(shown.body["moved"]["uri"], ana_new.ap_id.as_str());
    let seen_by_cem = gamma.login("cem").await;
    let at_gamma = seen_by_cem
        .get(&format!("/api/v1/accounts/{}", old_at_gamma.id))
        .await;
    assert_eq!(at_gamma.body["moved"]["uri"], ana_new.ap_id.as_str());
    let (_, document) = fetch_ap(&ana.ap_id).await;
    assert_eq!(document["movedTo"], ana_new.ap_id.as_str());

    // The same Move delivered again changes nothing; a second move so soon is refused.
    let again = moves::receive(
        gamma.ctx(),
        &gamma.reload(&old_at_gamma).await,
        &new_at_gamma,
    )
    .await;
    assert!(again.is_ok());
    assert_eq!(follows::count(gamma.ctx(), &cem, false).await.unwrap(), 1);
    let soon = move_to(PASSWORD).await;
    assert_eq!(soon.status, 422, "{}", soon.text);
    net.shutdown().await;
}
