//! Several processes serve one instance from one PostgreSQL database: two real `passage`
//! processes, each a web node and a delivery worker, share the delivery queue (claimed
//! `FOR UPDATE SKIP LOCKED`) and the live streams (`LISTEN/NOTIFY`). Every activity reaches
//! every inbox exactly once, and a streaming client of either process sees what was posted
//! through the other. On SQLite, which has one process, a split is refused.

use crate::processes::{Receiver, spawn_server, wait_until};
use futures::StreamExt;
use passage_core::config::DeliveryMode;
use serde_json::Value;
use std::time::{Duration, Instant};
use testkit::{TestNetwork, client::Client};
use tokio_tungstenite::tungstenite::Message;

const FOLLOWERS: usize = 200;
/// Posts made through each process after the streaming checks.
const POSTS_EACH: usize = 10;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The public stream of the process at `base`, as `token`'s client opens it.
async fn public_stream(base: &str, token: &str) -> Socket {
    let url = format!(
        "{}/api/v1/streaming?stream=public&access_token={token}",
        base.replacen("http", "ws", 1)
    );
    let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    socket
}

/// Waits for an `update` whose content holds `text`.
async fn update_with(socket: &mut Socket, text: &str) {
    let wait = async {
        loop {
            let message = match socket.next().await {
                Some(Ok(Message::Text(message))) => message,
                Some(Ok(_)) => continue,
                other => panic!("the stream ended: {other:?}"),
            };
            let message: Value = serde_json::from_str(&message).unwrap();
            if message["event"] == "update" {
                let status: Value =
                    serde_json::from_str(message["payload"].as_str().unwrap()).unwrap();
                if status["content"].as_str().unwrap().contains(text) {
                    return;
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("no update with {text:?}"));
}

async fn answers(base: &str) -> bool {
    testkit::client::http()
        .get(format!("{base}/api/v1/instance"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_send_each_activity_once_and_stream_to_both() {
    let mut net = TestNetwork::start(1).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = net.get(0).config.clone();
    config.delivery.mode = DeliveryMode::Background;

    if config.database.url.is_empty() {
        net.instances[0].stop().await;
        let worker = spawn_server(&config, dir.path(), "worker", &["--role", "worker"]);
        let refused = worker.wait_with_output().await.unwrap();
        assert!(
            !refused.status.success(),
            "a split on SQLite must be refused"
        );
        net.shutdown().await;
        return;
    }

    let receiver = Receiver::default();
    let inboxes = receiver.serve().await;
    let alpha = net.get(0);
    let ana = alpha.member("ana").await;
    alpha.member("bea").await;
    receiver
        .follow(alpha.ctx(), &ana, &inboxes, FOLLOWERS)
        .await;
    // Tokens live in the database: they work on either process.
    let ana_on_a = alpha.login("ana").await;
    let bea_token = alpha.login("bea").await.token.unwrap();
    net.instances[0].stop().await;

    // Both processes answer for the same domain (a load balancer would be in front).
    let base_a = ana_on_a.base.clone();
    let mut config_b = config.clone();
    let port_b = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    config_b.http.bind = format!("127.0.0.1:{port_b}");
    let base_b = format!("http://localhost:{port_b}");
    let mut a = spawn_server(&config, dir.path(), "a", &[]);
    let mut b = spawn_server(&config_b, dir.path(), "b", &[]);
    let started = Instant::now();
    while !(answers(&base_a).await && answers(&base_b).await) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "servers did not start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ana_on_b = Client {
        base: base_b.clone(),
        ..ana_on_a.clone()
    };

    // A client of one process sees what is posted through the other, both ways.
    let mut stream_a = public_stream(&base_a, &bea_token).await;
    let mut stream_b = public_stream(&base_b, &bea_token).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    ana_on_a.status("posted through A").await;
    update_with(&mut stream_b, "posted through A").await;
    ana_on_b.status("posted through B").await;
    update_with(&mut stream_a, "posted through B").await;

    // Both processes send from the one queue while posts keep coming through both.
    for i in 0..POSTS_EACH {
        ana_on_a.status(&format!("A{i}")).await;
        ana_on_b.status(&format!("B{i}")).await;
    }
    let activities = 1 + 2 + 2 * POSTS_EACH; // the Accepts, then each post's Create
    let expected = activities * FOLLOWERS;
    wait_until("every delivery", Duration::from_secs(180), || {
        receiver.distinct() == expected
    })
    .await;
    // Anything sent twice would arrive about now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    a.kill().await.unwrap();
    b.kill().await.unwrap();
    println!(
        "two processes sent {activities} activities to {FOLLOWERS} inboxes each in {:.1} s; \
         {expected} deliveries expected, {} POSTs received",
        started.elapsed().as_secs_f64(),
        receiver.posts()
    );
    assert_eq!(receiver.posts(), expected, "an activity was sent twice");
    net.shutdown().await;
}
