//! Polls (a post's options, their tallies and who voted what) and threads: every post names
//! the first post of its thread, so a member can mute a whole conversation and direct
//! messages group into conversations the way Mastodon clients show them.

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000003_polls_threads"
    }
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    ThreadId,
}

/// One row per poll, keyed by its post. Options and tallies are JSON arrays of equal length:
/// tallies are counted here for our own polls and copied from the author's `Question` for
/// remote ones.
#[derive(DeriveIden)]
enum Polls {
    Table,
    PostId,
    Options,
    Tallies,
    VotersCount,
    Multiple,
    HideTotals,
    ExpiresAt,
    /// Set once the end has been handled (voters notified, final tallies sent).
    EndedAt,
}

#[derive(DeriveIden)]
enum PollVotes {
    Table,
    Id,
    PollId,
    ActorId,
    Choice,
    ApId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ThreadMutes {
    Table,
    ActorId,
    ThreadId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Polls::Table)
                .col(big_integer(Polls::PostId).primary_key())
                .col(text(Polls::Options))
                .col(text(Polls::Tallies))
                .col(big_integer_null(Polls::VotersCount))
                .col(boolean(Polls::Multiple))
                .col(boolean(Polls::HideTotals))
                .col(timestamp_with_time_zone_null(Polls::ExpiresAt))
                .col(timestamp_with_time_zone_null(Polls::EndedAt))
                .foreign_key(&mut fk(
                    (Polls::Table, Polls::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_polls_expires_at")
                .table(Polls::Table)
                .col(Polls::ExpiresAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PollVotes::Table)
                .col(big_pk_auto(PollVotes::Id))
                .col(big_integer(PollVotes::PollId))
                .col(big_integer(PollVotes::ActorId))
                .col(integer(PollVotes::Choice))
                .col(string_null(PollVotes::ApId).unique_key())
                .col(timestamp_with_time_zone(PollVotes::CreatedAt))
                .foreign_key(&mut fk(
                    (PollVotes::Table, PollVotes::PollId),
                    (Polls::Table, Polls::PostId),
                ))
                .foreign_key(&mut fk(
                    (PollVotes::Table, PollVotes::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_poll_votes_unique")
                .table(PollVotes::Table)
                .col(PollVotes::PollId)
                .col(PollVotes::ActorId)
                .col(PollVotes::Choice)
                .unique()
                .to_owned(),
        )
        .await?;

        m.alter_table(
            Table::alter()
                .table(Posts::Table)
                .add_column(big_integer_null(Posts::ThreadId))
                .to_owned(),
        )
        .await?;
        // Existing posts: a post starts its thread unless its parent is known, then takes the
        // parent's. A few passes cover the threads of a young instance; deeper replies stay
        // their own thread roots, which only means muting a branch rather than the whole tree.
        let db = m.get_connection();
        db.execute_unprepared("UPDATE posts SET thread_id = id WHERE in_reply_to_id IS NULL")
            .await?;
        for _ in 0..8 {
            db.execute_unprepared(
                "UPDATE posts SET thread_id = (SELECT p.thread_id FROM posts p \
                 WHERE p.id = posts.in_reply_to_id) \
                 WHERE thread_id IS NULL AND in_reply_to_id IS NOT NULL",
            )
            .await?;
        }
        db.execute_unprepared("UPDATE posts SET thread_id = id WHERE thread_id IS NULL")
            .await?;
        m.create_index(
            Index::create()
                .name("idx_posts_thread_id")
                .table(Posts::Table)
                .col(Posts::ThreadId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ThreadMutes::Table)
                .col(big_integer(ThreadMutes::ActorId))
                .col(big_integer(ThreadMutes::ThreadId))
                .col(timestamp_with_time_zone(ThreadMutes::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(ThreadMutes::ActorId)
                        .col(ThreadMutes::ThreadId),
                )
                .foreign_key(&mut fk(
                    (ThreadMutes::Table, ThreadMutes::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ThreadMutes::Table.into_iden(),
            PollVotes::Table.into_iden(),
            Polls::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("idx_posts_thread_id").to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Posts::Table)
                .drop_column(Posts::ThreadId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
