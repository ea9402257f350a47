//! Closing an instance for good: every account with a successor moves and its followers on
//! every server follow the successor, the others are deleted, and the closing instance
//! takes no new accounts.

use passage_core::{CoreError, accounts, accounts::moves, shutdown};
use passage_federation::shutdown::{Plan, run};
use testkit::TestNetwork;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closing_instance_leaves_every_follower_pointed_at_the_successors() {
    let net = TestNetwork::start(3).await;
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    let ana = alpha.person("ana").await;
    let bo = alpha.person("bo").await;
    let cem = alpha.person("cem").await;
    alpha.person("dan").await;
    let ana_next = beta.person("ana").await;
    let bo_next = gamma.person("bo").await;
    beta.person("dan").await;
    let gus = gamma.person("gus").await;
    let ben = beta.person("ben").await;
    let ana_seen = net.follow(2, &gus, 0, &ana).await;
    net.follow(2, &gus, 0, &bo).await;
    let cem_seen = net.follow(2, &gus, 0, &cem).await;
    net.follow(1, &ben, 0, &bo).await;
    // The successors name the old accounts (dan's does not).
    moves::set_aliases(beta.ctx(), &ana_next, vec![ana.ap_id.clone()])
        .await
        .unwrap();
    moves::set_aliases(gamma.ctx(), &bo_next, vec![bo.ap_id.clone()])
        .await
        .unwrap();
    net.deliver_all().await;

    let plan = Plan {
        successors: vec![
            ("ana".into(), format!("ana@{}", beta.domain())),
            ("bo".into(), bo_next.ap_id.clone()),
            ("dan".into(), format!("dan@{}", beta.domain())),
        ],
        delete_others: true,
        redirect_days: 30,
    };
    let config = passage_federation::Federation::config(alpha.ctx().clone())
        .await
        .unwrap();
    let report = run(&config, plan).await.unwrap();
    net.deliver_all().await;

    assert_eq!(
        report.moved,
        vec![
            ("ana".to_owned(), ana_next.ap_id.clone()),
            ("bo".to_owned(), bo_next.ap_id.clone())
        ]
    );
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].0, "dan");
    assert!(
        report.refused[0].1.contains("alias"),
        "{:?}",
        report.refused
    );
    assert_eq!(report.deleted, vec!["cem".to_owned()]);

    // Followers on gamma and beta now follow the successors, and no longer the old accounts.
    let ana_next_on_gamma = gamma.known_by_ap_id(&ana_next.ap_id).await;
    let bo_next_on_beta = beta.known_by_ap_id(&bo_next.ap_id).await;
    assert_eq!(
        gamma.follow_state(&gus, &ana_next_on_gamma).await,
        Some(true)
    );
    assert_eq!(gamma.follow_state(&gus, &bo_next).await, Some(true));
    assert_eq!(beta.follow_state(&ben, &bo_next_on_beta).await, Some(true));
    assert_eq!(gamma.follow_state(&gus, &ana_seen).await, None);
    assert_eq!(
        gamma.reload(&ana_seen).await.moved_to,
        Some(ana_next.ap_id.clone())
    );
    // cem is gone everywhere.
    assert!(gamma.reload(&cem_seen).await.purged_at.is_some());
    assert_eq!(gamma.follow_state(&gus, &cem_seen).await, None);

    // The closing instance takes no new accounts, and says until when it answers.
    let refused = accounts::register(
        alpha.ctx(),
        accounts::Registration {
            username: "newcomer".into(),
            email: "newcomer@example.org".into(),
            password: "a long enough password".into(),
            agreement: true,
            reason: None,
            invite_code: None,
        },
    )
    .await;
    assert!(
        matches!(&refused, Err(CoreError::Forbidden(m)) if m.contains("closing")),
        "{refused:?}"
    );
    let instance = testkit::client::Client::anonymous(&alpha.base_url())
        .get("/api/v2/instance")
        .await;
    assert_eq!(instance.body["registrations"]["enabled"], false);
    assert!(
        instance.body["registrations"]["message"]
            .as_str()
            .unwrap()
            .contains("closing"),
        "{}",
        instance.text
    );
    let closing = shutdown::current(alpha.ctx()).await.unwrap().unwrap();
    assert!(!shutdown::is_over(&closing));
    assert!(closing.redirect_until > chrono::Utc::now() + chrono::Duration::days(29));
    net.shutdown().await;
}
