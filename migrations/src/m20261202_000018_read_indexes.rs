//! Indexes for what every page of posts asks (found with `passage-bench` on a million
//! statuses, where each timeline page scanned the whole posts table twice): replies and
//! boosts counted per post, favourites counted per post, an author's live statuses counted
//! from the index alone, posts that mention a member (home timeline) and posts with a tag
//! (tag timelines, followed tags).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000018_read_indexes"
    }
}

/// (index name, table, columns).
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("idx_posts_in_reply_to_id", "posts", &["in_reply_to_id"]),
    ("idx_posts_reblog_of_id", "posts", &["reblog_of_id"]),
    (
        "idx_posts_author_live",
        "posts",
        &["author_id", "deleted_at", "published_at"],
    ),
    ("idx_likes_post_id", "likes", &["post_id"]),
    (
        "idx_post_mentions_actor",
        "post_mentions",
        &["actor_id", "post_id"],
    ),
    ("idx_post_tags_name", "post_tags", &["name", "post_id"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table(Alias::new(*table));
            for column in *columns {
                index.col(Alias::new(*column));
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            m.drop_index(
                Index::drop()
                    .name(*name)
                    .table(Alias::new(*table))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
