//! Test kit: real Passage instances in one process, each on `localhost:PORT` with its own
//! database (a SQLite file, or a fresh PostgreSQL database when
//! `PASSAGE_TEST_DATABASE_URL` is set), talking over real HTTP with real signatures.
//! Delivery is manual: [`TestNetwork::deliver_all`] drains every queue instead of sleeping.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use passage_core::{
    Actor, Context,
    accounts::{self, ActorKind, NewAccount},
    config::Config,
    keys::{KeyPair, KeyPool, KeySource, key_pair_from, parse_private_pem},
};
use passage_server::Instance;
use sea_orm::{ConnectionTrait, Database};
use std::{path::PathBuf, sync::Arc};
use tokio::net::TcpListener;

pub mod calendar;
pub mod client;
pub mod peer;
pub mod relay;
pub mod s3;

const TEST_TOML: &str = include_str!("../../config/test.toml");

/// RSA keys generated once and shipped with the tests (key generation costs 0.1-0.4 s).
pub fn key_pool() -> Arc<KeyPool> {
    Arc::new(KeyPool::new(key_pool_pairs()))
}

/// The shipped keys with their private halves, for tests that play a remote server.
pub fn key_pool_pairs() -> Vec<KeyPair> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("support/keys");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            key_pair_from(&parse_private_pem(&std::fs::read_to_string(f).unwrap()).unwrap())
                .unwrap()
        })
        .collect()
}

/// One instance of the network, restartable on the same port and database.
pub struct TestInstance {
    pub name: &'static str,
    pub port: u16,
    pub config: Config,
    keys: Arc<dyn KeySource>,
    running: Option<Instance>,
    _dir: tempfile::TempDir,
    pg_database: Option<String>,
}

impl TestInstance {
    pub fn domain(&self) -> String {
        format!("localhost:{}", self.port)
    }

    pub fn base_url(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    pub fn ctx(&self) -> &Context {
        self.running
            .as_ref()
            .expect("instance is running")
            .context()
    }

    pub fn running(&self) -> &Instance {
        self.running.as_ref().expect("instance is running")
    }

    pub async fn start(&mut self) {
        assert!(self.running.is_none(), "{} already runs", self.name);
        let ctx = passage_server::context(self.config.clone(), Some(self.keys.clone()))
            .await
            .unwrap();
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.running = Some(Instance::start(ctx, listener).await.unwrap());
    }

    /// Stops serving (graceful); the database stays.
    pub async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
    }

    /// Stops as a crash would.
    pub async fn kill(&mut self) {
        if let Some(running) = self.running.take() {
            running.kill().await;
        }
    }

    pub async fn deliver_all(&self) -> passage_federation::delivery::DeliveryStats {
        self.running().deliver_all().await.unwrap()
    }

    /// A member account (`Person`) with no login.
    pub async fn person(&self, username: &str) -> Actor {
        accounts::create(self.ctx(), NewAccount::person(username))
            .await
            .unwrap()
    }

    /// A member who can log in: email `<username>@example.org`, password [`client::PASSWORD`].
    pub async fn member(&self, username: &str) -> Actor {
        let mut new = NewAccount::person(username);
        new.email = Some(format!("{username}@example.org"));
        new.password = Some(client::PASSWORD.to_owned());
        accounts::create(self.ctx(), new).await.unwrap()
    }

    /// An admin of the instance, logged in with the admin scopes as well.
    pub async fn admin(&self, username: &str) -> client::Client {
        let mut new = NewAccount::person(username);
        new.email = Some(format!("{username}@example.org"));
        new.password = Some(client::PASSWORD.to_owned());
        new.role = passage_core::accounts::Role::Admin;
        accounts::create(self.ctx(), new).await.unwrap();
        client::Client::login_with_scopes(
            &self.base_url(),
            username,
            "read write follow push admin:read admin:write",
        )
        .await
    }

    /// Logs `username` in through the OAuth flow a mobile app uses (see [`client::Client`]).
    pub async fn login(&self, username: &str) -> client::Client {
        client::Client::login(&self.base_url(), username).await
    }

    /// Members ana, bea and cem, each logged in.
    pub async fn three_members(&self) -> (client::Client, client::Client, client::Client) {
        for name in ["ana", "bea", "cem"] {
            self.member(name).await;
        }
        (
            self.login("ana").await,
            self.login("bea").await,
            self.login("cem").await,
        )
    }

    pub async fn locked_person(&self, username: &str) -> Actor {
        let mut new = NewAccount::person(username);
        new.locked = true;
        accounts::create(self.ctx(), new).await.unwrap()
    }

    /// An organisation actor (`Group`).
    pub async fn organisation(&self, username: &str, name: &str) -> Actor {
        let mut new = NewAccount::person(username);
        new.kind = ActorKind::Group;
        new.display_name = name.to_owned();
        accounts::create(self.ctx(), new).await.unwrap()
    }

    /// An organisation with `members` in their roles (set as the instance would, by no one).
    pub async fn organisation_with(
        &self,
        username: &str,
        name: &str,
        members: &[(&Actor, accounts::Role)],
    ) -> Actor {
        let org = self.organisation(username, name).await;
        for (member, role) in members {
            passage_core::organisations::set_member(self.ctx(), None, &org, member, *role)
                .await
                .unwrap();
        }
        org
    }

    /// The id of the local account `username` (its client API id).
    pub async fn member_id(&self, username: &str) -> i64 {
        accounts::local_by_username(self.ctx(), username)
            .await
            .unwrap()
            .id
    }

    /// Reloads an actor row.
    pub async fn reload(&self, actor: &Actor) -> Actor {
        accounts::by_id(self.ctx(), actor.id).await.unwrap()
    }

    /// This instance's copy of an actor it already knows (local or remote).
    pub async fn known(&self, actor: &Actor) -> Actor {
        self.known_by_ap_id(&actor.ap_id).await
    }

    /// This instance's copy of the actor with id `ap_id`, which it must know.
    pub async fn known_by_ap_id(&self, ap_id: &str) -> Actor {
        accounts::by_ap_id(self.ctx(), ap_id)
            .await
            .unwrap()
            .expect("actor known here")
    }

    /// This instance's copy of a post, if it has one.
    pub async fn copy_of(&self, post: &passage_core::Post) -> Option<passage_core::Post> {
        passage_core::posts::by_ap_id(self.ctx(), &post.ap_id)
            .await
            .unwrap()
    }

    /// The follow relation between two actors as this instance sees it: `None` when there is
    /// none, `Some(accepted)` otherwise.
    pub async fn follow_state(&self, follower: &Actor, followee: &Actor) -> Option<bool> {
        passage_core::follows::between(self.ctx(), follower, followee)
            .await
            .unwrap()
            .map(|f| f.accepted)
    }

    /// Resolves `user@domain` from this instance (WebFinger for remote handles).
    pub async fn lookup(&self, handle: &str) -> Actor {
        passage_federation::resolve::handle(&self.running().federation_data(), handle)
            .await
            .unwrap()
    }
}

/// Two or three instances that federate with each other.
pub struct TestNetwork {
    pub instances: Vec<TestInstance>,
}

const NAMES: [&str; 3] = ["alpha", "beta", "gamma"];

impl TestNetwork {
    pub async fn start(n: usize) -> Self {
        let keys: Arc<dyn KeySource> = key_pool();
        let mut instances = Vec::new();
        for name in NAMES.into_iter().take(n) {
            let port = {
                let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                probe.local_addr().unwrap().port()
            };
            let dir = tempfile::tempdir().unwrap();
            let mut config = passage_server::config::from_toml(TEST_TOML).unwrap();
            config.instance.domain = format!("localhost:{port}");
            config.instance.name = name.to_owned();
            config.http.bind = format!("127.0.0.1:{port}");
            config.storage.data_dir = dir.path().display().to_string();
            let pg_database = match std::env::var("PASSAGE_TEST_DATABASE_URL") {
                Ok(admin_url) if !admin_url.is_empty() => {
                    let db_name = format!("passage_test_{}", uuid::Uuid::new_v4().simple());
                    let admin = Database::connect(&admin_url).await.unwrap();
                    admin
                        .execute_unprepared(&format!("CREATE DATABASE {db_name}"))
                        .await
                        .unwrap();
                    config.database.url = replace_db_name(&admin_url, &db_name);
                    Some(db_name)
                }
                _ => None,
            };
            let mut instance = TestInstance {
                name,
                port,
                config,
                keys: keys.clone(),
                running: None,
                _dir: dir,
                pg_database,
            };
            instance.start().await;
            instances.push(instance);
        }
        Self { instances }
    }

    pub fn get(&self, i: usize) -> &TestInstance {
        &self.instances[i]
    }

    /// Drains every running instance's queue, repeatedly, until the network is quiet.
    pub async fn deliver_all(&self) {
        for _ in 0..20 {
            let mut busy = false;
            for instance in self.instances.iter().filter(|i| i.running.is_some()) {
                let stats = instance.deliver_all().await;
                busy |= stats.delivered > 0 || stats.rendered > 0;
            }
            if !busy {
                return;
            }
        }
        panic!("the network did not quiet down after 20 rounds");
    }

    /// `follower` (on instance `from`) looks `target` (on instance `to`) up by handle and
    /// follows it; the queues are drained. Returns `from`'s copy of the target.
    pub async fn follow(&self, from: usize, follower: &Actor, to: usize, target: &Actor) -> Actor {
        let target_here = self
            .get(from)
            .lookup(&format!("{}@{}", target.username, self.get(to).domain()))
            .await;
        passage_core::follows::request(self.get(from).ctx(), follower, &target_here)
            .await
            .unwrap();
        self.deliver_all().await;
        target_here
    }

    /// Stops all instances and drops their PostgreSQL databases.
    pub async fn shutdown(mut self) {
        for instance in &mut self.instances {
            instance.stop().await;
        }
        if let Ok(admin_url) = std::env::var("PASSAGE_TEST_DATABASE_URL") {
            let admin = Database::connect(&admin_url).await.unwrap();
            for db in self.instances.iter().filter_map(|i| i.pg_database.as_ref()) {
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                    .await
                    .unwrap();
            }
        }
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    parsed.set_path(&format!("/{name}"));
    parsed.to_string()
}
