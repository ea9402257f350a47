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

    let bob_at_alpha = passage_core::accounts::by_ap_id(alpha.ctx(), &bob.ap_id)
        .await
        .unwrap()
        .unwrap();
    let at_alpha = follows::between(alpha.ctx(), &bob_at_alpha, &ana)
        .await
        .unwrap()
        .unwrap();
    assert!(at_alpha.accepted);
    let at_beta = follows::between(beta.ctx(), &bob, &ana_at_beta)
        .await
        .unwrap()
        .unwrap();
    assert!(at_beta.accepted, "the Accept reached beta");
    assert_eq!(follows::count(alpha.ctx(), &ana, true).await.unwrap(), 1);

    // Undo(Follow) removes the relation on both sides.
    follows::unfollow(beta.ctx(), &bob, &ana_at_beta)
        .await
        .unwrap();
    net.deliver_all().await;
    assert!(
        follows::between(alpha.ctx(), &bob_at_alpha, &ana)
            .await
            .unwrap()
            .is_none()
    );
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisation_actors_are_followable_and_locked_accounts_keep_requests_pending() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let city = alpha.organisation("riga", "City of Riga").await;
    let lena = alpha.locked_person("lena").await;
    let bob = beta.person("bob").await;

    let city_at_beta = beta.lookup(&format!("riga@{}", alpha.domain())).await;
    assert_eq!(city_at_beta.kind, "Group");
    assert_eq!(city_at_beta.display_name, "City of Riga");
    follows::request(beta.ctx(), &bob, &city_at_beta)
        .await
        .unwrap();

    let lena_at_beta = beta.lookup(&format!("lena@{}", alpha.domain())).await;
    assert!(lena_at_beta.locked);
    follows::request(beta.ctx(), &bob, &lena_at_beta)
        .await
        .unwrap();
    net.deliver_all().await;

    assert!(
        follows::between(beta.ctx(), &bob, &city_at_beta)
            .await
            .unwrap()
            .unwrap()
            .accepted
    );
    assert!(
        !follows::between(beta.ctx(), &bob, &lena_at_beta)
            .await
            .unwrap()
            .unwrap()
            .accepted,
        "locked: still pending"
    );

    // Lena approves; the Accept travels back.
    let bob_at_alpha = passage_core::accounts::by_ap_id(alpha.ctx(), &bob.ap_id)
        .await
        .unwrap()
        .unwrap();
    follows::accept(alpha.ctx(), &lena, &bob_at_alpha)
        .await
        .unwrap();
    net.deliver_all().await;
    assert!(
        follows::between(beta.ctx(), &bob, &lena_at_beta)
            .await
            .unwrap()
            .unwrap()
            .accepted
    );
    assert_eq!(follows::count(alpha.ctx(), &city, true).await.unwrap(), 1);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_requests_are_dropped_on_both_sides() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let lena = alpha.locked_person("lena").await;
    let bob = beta.person("bob").await;
    let lena_at_beta = beta.lookup(&format!("lena@{}", alpha.domain())).await;
    follows::request(beta.ctx(), &bob, &lena_at_beta)
        .await
        .unwrap();
    net.deliver_all().await;
    let bob_at_alpha = passage_core::accounts::by_ap_id(alpha.ctx(), &bob.ap_id)
        .await
        .unwrap()
        .unwrap();
    follows::reject(alpha.ctx(), &lena, &bob_at_alpha)
        .await
        .unwrap();
    net.deliver_all().await;
    assert!(
        follows::between(beta.ctx(), &bob, &lena_at_beta)
            .await
            .unwrap()
            .is_none()
    );
    net.shutdown().await;
}
