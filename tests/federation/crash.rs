//! A sender killed mid fan-out (a real process, `SIGKILL`) loses nothing: after a restart
//! every inbox has every activity. The organisation has 1,000 followers, each on its own
//! inbox of a counting receiver, and one post: 2,000 deliveries (the post, and the Accept of
//! each follow). Outcomes are recorded as each send ends, so only sends in flight at the kill
//! (at most `delivery.workers`) can reach their inbox twice; receivers drop the repeat by
//! activity id.

use crate::processes::{Receiver, spawn_server, wait_until};
use passage_core::{
    config::DeliveryMode,
    posts::{self, NewPost},
};
use passage_db::entities::deliveries;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::time::Duration;
use testkit::TestNetwork;

const FOLLOWERS: usize = 1000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_killed_mid_fan_out_delivers_everything_after_restart() {
    let receiver = Receiver::slow(Duration::from_millis(3));
    let base = receiver.serve().await;
    let mut net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let org = alpha.organisation("riga", "City of Riga").await;
    receiver.follow(alpha.ctx(), &org, &base, FOLLOWERS).await;
    posts::create(alpha.ctx(), &org, NewPost::public("Consultation on Friday"))
        .await
        .unwrap();
    let expected = 2 * FOLLOWERS;

    // The same instance, now as its own process sending in the background.
    let a = &mut net.instances[0];
    a.stop().await;
    let mut config = a.config.clone();
    config.delivery.mode = DeliveryMode::Background;
    // On PostgreSQL claims left by the killed run wait for their lease, which follows this.
    config.federation.request_timeout_secs = 3;
    let dir = tempfile::tempdir().unwrap();
    let mut server = spawn_server(&config, dir.path(), "crash-test", &[]);
    wait_until("the fan-out to start", Duration::from_secs(120), || {
        receiver.posts() >= 300
    })
    .await;
    server.kill().await.unwrap(); // SIGKILL
    let at_kill = receiver.distinct();
    assert!(at_kill < expected, "the fan-out ended before the kill");

    let mut server = spawn_server(&config, dir.path(), "crash-test", &[]);
    wait_until("every delivery", Duration::from_secs(300), || {
        receiver.distinct() == expected
    })
    .await;
    // Let anything still queued arrive, then stop.
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.kill().await.unwrap();

    let repeated = receiver.posts() - expected;
    println!(
        "killed after {at_kill} of {expected} deliveries; after the restart all {expected} arrived, \
         {repeated} twice (in flight at the kill, at most {} workers)",
        config.delivery.workers
    );
    assert!(repeated <= config.delivery.workers, "{repeated} repeats");
    let a = &mut net.instances[0];
    a.start().await;
    let undelivered = deliveries::Entity::find()
        .filter(deliveries::Column::State.ne("delivered"))
        .count(&a.ctx().db)
        .await
        .unwrap();
    assert_eq!(undelivered, 0, "the sender still holds deliveries");
    net.shutdown().await;
}
