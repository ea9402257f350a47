//! Faults: a receiver whose database refuses writes answers 503 (not 500, not 401), so the
//! sender keeps the activity and delivers it once the database takes writes again.

use passage_core::posts::{self, NewPost};
use passage_db::entities::deliveries;
use sea_orm::{ConnectionTrait, Database, EntityTrait};
use testkit::{TestInstance, TestNetwork};

/// Puts an instance's database in read-only mode, as a failover or a full disk would. SQLite
/// instances use one connection, so the pragma reaches it; on PostgreSQL the database is made
/// read-only for new sessions and the instance's open sessions are ended.
async fn set_read_only(instance: &TestInstance, on: bool) {
    if instance.config.database.url.is_empty() {
        let pragma = format!("PRAGMA query_only = {}", if on { "ON" } else { "OFF" });
        instance.ctx().db.execute_unprepared(&pragma).await.unwrap();
        return;
    }
    let admin_url = std::env::var("PASSAGE_TEST_DATABASE_URL").unwrap();
    let admin = Database::connect(&admin_url).await.unwrap();
    let name = instance
        .config
        .database
        .url
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let setting = if on {
        "SET default_transaction_read_only = on"
    } else {
        "RESET default_transaction_read_only"
    };
    admin
        .execute_unprepared(&format!("ALTER DATABASE {name} {setting}"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_whose_database_refuses_writes_answers_503_and_loses_nothing() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let ana = alpha.person("ana").await;
    let bo = beta.person("bo").await;
    net.follow(1, &bo, 0, &ana).await;

    set_read_only(beta, true).await;
    let post = posts::create(alpha.ctx(), &ana, NewPost::public("Consultation on Friday"))
        .await
        .unwrap();
    let stats = alpha.deliver_all().await;
    assert_eq!(stats.delivered, 0, "{stats:?}");
    let rows = deliveries::Entity::find()
        .all(&alpha.ctx().db)
        .await
        .unwrap();
    let waiting: Vec<_> = rows.iter().filter(|d| d.state != "delivered").collect();
    assert_eq!(waiting.len(), 1, "{rows:?}");
    let error = waiting[0].last_error.as_deref().unwrap_or_default();
    assert!(error.contains("503"), "the receiver answered: {error}");
    assert_ne!(
        waiting[0].state, "failed",
        "the sender gave the activity up"
    );

    set_read_only(beta, false).await;
    net.deliver_all().await;
    let copy = beta
        .copy_of(&post)
        .await
        .expect("the post arrived after the fault");
    assert_eq!(copy.ap_id, post.ap_id);
    net.shutdown().await;
}
