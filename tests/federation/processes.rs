//! For the tests that run the server as separate processes: the real binary started on a
//! configuration (to kill it mid-work, or to run several against one database), and a
//! receiver that counts what every inbox gets, per activity id.

use passage_core::{
    Actor, Context,
    accounts::{self, ActorKind, RemoteActor},
    follows,
};
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

/// Counts, per inbox and activity id, the signed POSTs it receives. `delay` slows each request
/// (a fan-out then lasts long enough to be interrupted).
#[derive(Clone, Default)]
pub struct Receiver {
    seen: Arc<Mutex<HashMap<(String, String), usize>>>,
    posts: Arc<AtomicUsize>,
    delay: Duration,
}

impl Receiver {
    /// A receiver that takes `delay` over each request.
    pub fn slow(delay: Duration) -> Self {
        Self {
            delay,
            ..Default::default()
        }
    }

    /// Serves `/users/{name}/inbox` on a loopback port; its base URL.
    pub async fn serve(&self) -> String {
        use axum::{extract::Path, http::HeaderMap, http::StatusCode};
        let me = self.clone();
        let inbox = move |Path(name): Path<String>, headers: HeaderMap, body: String| {
            let me = me.clone();
            async move {
                tokio::time::sleep(me.delay).await;
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

    /// `n` members at `base` (this receiver's URL), each with an inbox of their own, follow
    /// `org` of the instance of `ctx`: it owes each an `Accept`.
    pub async fn follow(&self, ctx: &Context, org: &Actor, base: &str, n: usize) {
        let key = testkit::key_pool_pairs()[0].public_pem.clone();
        for i in 0..n {
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
                also_known_as: Vec::new(),
                says_moved: false,
                discoverable: false,
            };
            let member = accounts::upsert_remote(ctx, remote).await.unwrap();
            follows::receive_request(ctx, &member, org, &format!("{id}/follow"))
                .await
                .unwrap();
        }
    }

    /// Distinct (inbox, activity) pairs received.
    pub fn distinct(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// Every POST received, repeats included.
    pub fn posts(&self) -> usize {
        self.posts.load(Ordering::SeqCst)
    }
}

/// Runs the real server binary on `config` (written to `dir/<name>.toml`) with `args` after
/// `serve`.
pub fn spawn_server(
    config: &passage_core::config::Config,
    dir: &std::path::Path,
    name: &str,
    args: &[&str],
) -> tokio::process::Child {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, toml::to_string(config).unwrap()).unwrap();
    tokio::process::Command::new(env!("CARGO_BIN_EXE_passage-under-test"))
        .arg("--config")
        .arg(&path)
        .arg("serve")
        .args(args)
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

pub async fn wait_until(what: &str, limit: Duration, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
