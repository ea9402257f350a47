//! Profiles get pictures and fields (avatars and headers of every actor, the name/value pairs
//! Mastodon shows under a bio), custom emoji (ours and those remote posts carry) and posts
//! scheduled for later, with the uploads they hold back from other posts.

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000006_profiles_emoji_schedules"
    }
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
    AvatarUrl,
    HeaderUrl,
    Fields,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MediaAttachments {
    Table,
    ScheduledPostId,
}

#[derive(DeriveIden)]
enum ScheduledPosts {
    Table,
    Id,
    ActorId,
    ScheduledAt,
    Params,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CustomEmojis {
    Table,
    Id,
    Shortcode,
    Domain,
    ImageUrl,
    FileName,
    ApId,
    Category,
    VisibleInPicker,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PostEmojis {
    Table,
    PostId,
    EmojiId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            text_null(Actors::AvatarUrl),
            text_null(Actors::HeaderUrl),
            text_null(Actors::Fields),
        ] {
            let mut column = column;
            m.alter_table(
                Table::alter()
                    .table(Actors::Table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(MediaAttachments::Table)
                .add_column(big_integer_null(MediaAttachments::ScheduledPostId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ScheduledPosts::Table)
                .col(big_integer(ScheduledPosts::Id).primary_key())
                .col(big_integer(ScheduledPosts::ActorId))
                .col(timestamp_with_time_zone(ScheduledPosts::ScheduledAt))
                .col(text(ScheduledPosts::Params))
                .col(timestamp_with_time_zone(ScheduledPosts::CreatedAt))
                .foreign_key(&mut fk(
                    (ScheduledPosts::Table, ScheduledPosts::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_scheduled_posts_scheduled_at")
                .table(ScheduledPosts::Table)
                .col(ScheduledPosts::ScheduledAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CustomEmojis::Table)
                .col(big_pk_auto(CustomEmojis::Id))
                .col(string(CustomEmojis::Shortcode))
                // Empty for ours: a unique index treats NULLs as distinct.
                .col(string(CustomEmojis::Domain))
                .col(text(CustomEmojis::ImageUrl))
                .col(string_null(CustomEmojis::FileName))
                .col(text_null(CustomEmojis::ApId))
                .col(string_null(CustomEmojis::Category))
                .col(boolean(CustomEmojis::VisibleInPicker))
                .col(timestamp_with_time_zone(CustomEmojis::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_custom_emojis_shortcode_domain")
                .table(CustomEmojis::Table)
                .col(CustomEmojis::Shortcode)
                .col(CustomEmojis::Domain)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PostEmojis::Table)
                .col(big_integer(PostEmojis::PostId))
                .col(big_integer(PostEmojis::EmojiId))
                .primary_key(
                    Index::create()
                        .col(PostEmojis::PostId)
                        .col(PostEmojis::EmojiId),
                )
                .foreign_key(&mut fk(
                    (PostEmojis::Table, PostEmojis::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .foreign_key(&mut fk(
                    (PostEmojis::Table, PostEmojis::EmojiId),
                    (CustomEmojis::Table, CustomEmojis::Id),
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PostEmojis::Table.into_iden(),
            CustomEmojis::Table.into_iden(),
            ScheduledPosts::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(MediaAttachments::Table)
                .drop_column(MediaAttachments::ScheduledPostId)
                .to_owned(),
        )
        .await?;
        for column in [Actors::AvatarUrl, Actors::HeaderUrl, Actors::Fields] {
            m.alter_table(
                Table::alter()
                    .table(Actors::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
