//! WebFinger lookup, Follow / Accept across instances, locked accounts, organisations, Undo.

use passage_core::follows;
use testkit::TestNetwork;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webfinger_lookup_then_follow_and_accept() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let ana = alpha.person("ana").await;
    let bob = beta.person("bob").await;

    let ana_at_beta = beta.lookup(&format!("ana@{}", alpha.domain())).await;
    assert_eq!(ana_at_beta.ap_id, ana.ap_id);
    assert!(!ana_at_beta.local);
    assert_eq!(ana_at_beta.public_key_pem, ana.public_key_pem);

    let pending = follows::request(beta.ctx(), &bob, &ana_at_beta)
        .await
        .unwrap();
    assert!(!pending.accepted, "remote follows wait for Accept");
    net.deliver_all().await;

    let bob_at_alpha = alpha.known(&bob).await;
    assert_eq!(alpha.follow_state(&bob_at_alpha, &ana).await, Some(true));
    assert_eq!(
        beta.follow_state(&bob, &ana_at_beta).await,
        Some(true),
        "the Accept reached beta"
    );
    assert_eq!(follows::count(alpha.ctx(), &ana, true).await.unwrap(), 1);

    // Undo(Follow) removes the relation on both sides.
    follows::unfollow(beta.ctx(), &bob, &ana_at_beta)
        .await
        .unwrap();
    net.deliver_all().await;
    assert_eq!(alpha.follow_state(&bob_at_alpha, &ana).await, None);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisation_actors_are_followable_and_locked_accounts_keep_requests_pending() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let city = alpha.organisation("riga", "City of Riga").await;
    let lena = alpha.locked_person("lena").await;
    let bob = beta.person("bob").await;

    let city_at_beta = net.follow(1, &bob, 0, &city).await;
    assert_eq!(city_at_beta.kind, "Group");
    assert_eq!(city_at_beta.display_name, "City of Riga");
    assert_eq!(beta.follow_state(&bob, &city_at_beta).await, Some(true));
    assert_eq!(follows::count(alpha.ctx(), &city, true).await.unwrap(), 1);

    let lena_at_beta = net.follow(1, &bob, 0, &lena).await;
    assert!(lena_at_beta.locked);
    assert_eq!(
        beta.follow_state(&bob, &lena_at_beta).await,
        Some(false),
        "locked: still pending"
    );

    // Lena approves; the Accept travels back.
    follows::accept(alpha.ctx(), &lena, &alpha.known(&bob).await)
        .await
        .unwrap();
    net.deliver_all().await;
    assert_eq!(beta.follow_state(&bob, &lena_at_beta).await, Some(true));
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_requests_are_dropped_on_both_sides() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let lena = alpha.locked_person("lena").await;
    let bob = beta.person("bob").await;
    let lena_at_beta = net.follow(1, &bob, 0, &lena).await;
    follows::reject(alpha.ctx(), &lena, &alpha.known(&bob).await)
        .await
        .unwrap();
    net.deliver_all().await;
    assert_eq!(beta.follow_state(&bob, &lena_at_beta).await, None);
    net.shutdown().await;
}
