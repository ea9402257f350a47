//! A local post's `url` becomes its page at `/@name/ID` (the client API's id), which apps
//! open; it was the ActivityPub id, whose last segment no app could look up. Events and
//! resources keep theirs (their id is their page).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000025_post_pages"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "UPDATE posts SET url = (SELECT a.url FROM actors a WHERE a.id = posts.author_id) \
                 || '/' || CAST(posts.id AS TEXT) \
                 WHERE local AND url = ap_id AND ap_id LIKE '%/posts/%' \
                 AND EXISTS (SELECT 1 FROM actors a WHERE a.id = posts.author_id AND a.url IS NOT NULL)",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "UPDATE posts SET url = ap_id WHERE local AND ap_id LIKE '%/posts/%'",
            )
            .await
            .map(|_| ())
    }
}
