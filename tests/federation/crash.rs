//! A sender killed mid fan-out (a real process, `SIGKILL`) loses nothing: after a restart
//! every inbox has every activity. The organisation has 1,000 followers, each on its own
//! inbox of a counting receiver, and one post: 2,000 deliveries (the post, and the Accept of
//! each follow). Outcomes are recorded as each send ends, so only sends in flight at the kill
//! (at most `delivery.workers`) can reach their inbox twice; receivers drop the repeat by
//! activity id.

use passage_core::{
    accounts::{self, ActorKind, RemoteActor},
    config::DeliveryMode,
    db::entities::deliveries,
    follows,
    posts::{self, NewPost},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};
use testkit::TestNetwork;

const FOLLOWERS: usize = 1000;

/// Counts, per inbox and activity id, the signed POSTs it receives; slow enough (3 ms a
/// request) that the fan-out is still running when the sender is killed.
#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<HashMap<(String, String), usize>>>,
    posts: Arc<AtomicUsize>,
}

impl Receiver {
    async fn serve(&self) -> String {
        use axum::{extract::Path, http::HeaderMap, http::StatusCode};
        let me = self.clone();
        let inbox = move |Path(name): Path<String>, headers: HeaderMap, body: String| {
            let me = me.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(3)).await;
                if !headers.contains_key("signature") {
                    return StatusCode::UNAUTHORIZED;
                }
                let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                *me.seen.lock().unwrap().entry((name, id)).or_default() += 1;
                me.posts.fetch_add(1, Ordering::SeqCst);
                StatusCode::ACCEPTED
            }
        };
        let app = axum::Router::new().route("/users/{name}/inbox", axum::routing::post(inbox));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        base
    }

    fn distinct(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn posts(&self) -> usize {
        self.posts.load(Ordering::SeqCst)
    }
}

/// Runs the real server binary on `config` (written to a file beside its data).
fn spawn_server(
    config: &passage_core::config::Config,
    dir: &std::path::Path,
) -> tokio::process::Child {
    let path = dir.join("crash-test.toml");
    std::fs::write(&path, toml::to_string(config).unwrap()).unwrap();
    tokio::process::Command::new(env!("CARGO_BIN_EXE_passage-under-test"))
        .arg("--config")
        .arg(&path)
        .arg("serve")
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

async fn wait_until(what: &str, limit: Duration, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_killed_mid_fan_out_delivers_everything_after_restart() {
    let receiver = Receiver::default();
    let base = receiver.serve().await;
    let mut net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let org = alpha.organisation("riga", "City of Riga").await;
    let key = testkit::key_pool_pairs()[0].public_pem.clone();
    for i in 0..FOLLOWERS {
        let id = format!("{base}/users/m{i}");
        let remote = RemoteActor {
            ap_id: id.clone(),
            kind: ActorKind::Person,
            username: format!("m{i}"),
            display_name: format!("Member {i}"),
            summary_html: String::new(),
            inbox: format!("{id}/inbox"),
            shared_inbox: None,
            outbox: None,
            followers: None,
            following: None,
            url: None,
            public_key_pem: key.clone(),
            locked: false,
            avatar_url: None,
            header_url: None,
            fields: Vec::new(),
        };
        let member = accounts::upsert_remote(alpha.ctx(), remote).await.unwrap();
        follows::receive_request(alpha.ctx(), &member, &org, &format!("{id}/follow"))
            .await
            .unwrap();
    }
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
    let mut server = spawn_server(&config, dir.path());
    wait_until("the fan-out to start", Duration::from_secs(120), || {
        receiver.posts() >= 300
    })
    .await;
    server.kill().await.unwrap(); // SIGKILL
    let at_kill = receiver.distinct();
    assert!(at_kill < expected, "the fan-out ended before the kill");

    let mut server = spawn_server(&config, dir.path());
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
