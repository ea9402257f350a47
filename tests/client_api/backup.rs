//! `passage backup` while the instance serves: the copy is consistent (SQLite's integrity
//! check), holds everything written before it began, opens on its own, and comes with the
//! media.

use super::media::{photo_with_location, upload};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use testkit::TestNetwork;

#[tokio::test]
async fn a_backup_taken_while_members_post_is_whole() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    if alpha.ctx().db.get_database_backend() != DbBackend::Sqlite {
        // On PostgreSQL the command points to pg_dump instead; nothing to copy here.
        let refused =
            passage_core::backup::run(alpha.ctx(), std::path::Path::new("/nonexistent")).await;
        assert!(refused.unwrap_err().to_string().contains("pg_dump"));
        net.shutdown().await;
        return;
    }
    alpha.member("ana").await;
    let ana = alpha.login("ana").await;
    upload(&ana, "/api/v2/media", photo_with_location(), "p.jpg").await;
    for n in 0..20 {
        ana.status(&format!("Before the backup {n}")).await;
    }
    // Members keep posting while the copy is made.
    let writer = {
        let ana = alpha.login("ana").await;
        tokio::spawn(async move {
            for n in 0..40 {
                ana.status(&format!("During the backup {n}")).await;
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let done = passage_core::backup::run(alpha.ctx(), dir.path())
        .await
        .unwrap();
    writer.await.unwrap();
    assert!(done.media_files >= 1, "{done:?}");

    let copy = Database::connect(format!("sqlite://{}?mode=ro", done.database.display()))
        .await
        .unwrap();
    let count = |sql: &'static str| {
        let copy = &copy;
        async move {
            copy.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<i64>(0)
                .unwrap()
        }
    };
    let before = count("SELECT count(*) FROM posts WHERE content LIKE '%Before the backup%'").await;
    assert_eq!(before, 20);
    let during = count("SELECT count(*) FROM posts WHERE content LIKE '%During the backup%'").await;
    assert!(during <= 40);
    println!(
        "backup: 20 posts before, {during} of 40 written during it, media {}",
        done.media_files
    );

    // A second backup into the same folder is refused rather than mixed.
    let again = passage_core::backup::run(alpha.ctx(), dir.path()).await;
    assert!(again.unwrap_err().to_string().contains("exists already"));
    net.shutdown().await;
}
