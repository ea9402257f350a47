//! Durable delivery: nothing is lost when the receiver is down or the sender dies.

use passage_core::posts::{self, NewPost};
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
