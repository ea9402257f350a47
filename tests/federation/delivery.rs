//! Durable delivery: nothing is lost when the receiver is down or the sender dies.

use passage_core::{
    posts::{self, NewPost},
    reactions,
};
use passage_db::queries::deliveries;
use testkit::TestNetwork;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_is_down_gets_the_activity_when_it_is_back() {
    let mut net = TestNetwork::start(2).await;
    let ana = net.get(0).person("ana").await;
    let bob = net.get(1).person("bob").await;
    net.follow(1, &bob, 0, &ana).await;

    net.instances[1].stop().await;
    let post = posts::create(net.get(0).ctx(), &ana, NewPost::public("Report published"))
        .await
        .unwrap();
    let stats = net.get(0).deliver_all().await;
    assert_eq!(stats.delivered, 0, "beta is down");
    assert!(
        stats.failed >= 1,
        "the attempt failed and was kept for retry: {stats:?}"
    );

    net.instances[1].start().await;
    net.deliver_all().await;
    assert!(net.get(1).copy_of(&post).await.is_some());
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_killed_after_storing_delivers_after_restart() {
    let mut net = TestNetwork::start(2).await;
    let ana = net.get(0).person("ana").await;
    let bob = net.get(1).person("bob").await;
    net.follow(1, &bob, 0, &ana).await;

    let post = posts::create(net.get(0).ctx(), &ana, NewPost::public("Toolkit v2"))
        .await
        .unwrap();
    net.instances[0].kill().await;
    net.instances[0].start().await;
    net.deliver_all().await;
    assert!(net.get(1).copy_of(&post).await.is_some());
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_that_keeps_failing_is_skipped_until_it_speaks_again() {
    let mut net = TestNetwork::start(2).await;
    let ana = net.get(0).person("ana").await;
    let bob = net.get(1).person("bob").await;
    net.follow(1, &bob, 0, &ana).await;
    let first = posts::create(net.get(0).ctx(), &ana, NewPost::public("First"))
        .await
        .unwrap();
    net.deliver_all().await;

    net.instances[1].stop().await;
    let missed = posts::create(net.get(0).ctx(), &ana, NewPost::public("While down"))
        .await
        .unwrap();
    for _ in 0..net.get(0).config.delivery.unreachable_after_failures {
        net.get(0).deliver_all().await;
    }
    let beta_host = net.get(1).domain();
    let marked = |net: &TestNetwork| {
        let (db, host) = (net.get(0).ctx().db.clone(), beta_host.clone());
        async move {
            deliveries::instance(&db, &host)
                .await
                .unwrap()
                .and_then(|i| i.unreachable_since)
                .is_some()
        }
    };
    assert!(marked(&net).await, "unreachable after repeated failures");
    // New activities are not queued for it at all.
    let skipped = posts::create(net.get(0).ctx(), &ana, NewPost::public("Skipped"))
        .await
        .unwrap();
    net.get(0).deliver_all().await;

    // Beta comes back and speaks first (bob likes ana's post): alpha clears the mark.
    net.instances[1].start().await;
    let first_at_beta = net.get(1).copy_of(&first).await.unwrap();
    reactions::like(net.get(1).ctx(), &bob, &first_at_beta)
        .await
        .unwrap();
    net.get(1).deliver_all().await;
    assert!(
        !marked(&net).await,
        "a signed activity from beta clears the mark"
    );

    let after = posts::create(net.get(0).ctx(), &ana, NewPost::public("After"))
        .await
        .unwrap();
    net.deliver_all().await;
    assert!(
        net.get(1).copy_of(&missed).await.is_some(),
        "retries went on"
    );
    assert!(net.get(1).copy_of(&skipped).await.is_none());
    assert!(net.get(1).copy_of(&after).await.is_some());
    net.shutdown().await;
}
