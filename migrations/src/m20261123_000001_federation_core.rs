//! The walking skeleton's tables: actors and their logins, follows, posts with their mentions
//! and tags, likes, the durable outbox (intents, rendered activities, per-inbox deliveries),
//! per-instance delivery health and the ids of activities already received.

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_federation_core"
    }
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
    ApId,
    Kind,
    Username,
    Domain,
    Local,
    DisplayName,
    Summary,
    InboxUrl,
    SharedInboxUrl,
    OutboxUrl,
    FollowersUrl,
    FollowingUrl,
    Url,
    PublicKeyPem,
    PrivateKeyPem,
    Locked,
    CreatedAt,
    UpdatedAt,
    FetchedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    ActorId,
    Email,
    PasswordHash,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Follows {
    Table,
    Id,
    ApId,
    FollowerId,
    FolloweeId,
    Accepted,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    ApId,
    AuthorId,
    Url,
    Content,
    Source,
    Summary,
    Sensitive,
    Language,
    Visibility,
    InReplyToApId,
    InReplyToId,
    ReblogOfId,
    Local,
    PublishedAt,
    EditedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum PostMentions {
    Table,
    PostId,
    ActorId,
}

#[derive(DeriveIden)]
enum PostTags {
    Table,
    PostId,
    Name,
}

#[derive(DeriveIden)]
enum Likes {
    Table,
    Id,
    ApId,
    ActorId,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutboxIntents {
    Table,
    Id,
    ActorId,
    Intent,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutgoingActivities {
    Table,
    Id,
    ApId,
    ActorId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    Id,
    ActivityId,
    InboxUrl,
    Host,
    State,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Instances {
    Table,
    Host,
    Failures,
    UnreachableSince,
    LastSuccessAt,
}

#[derive(DeriveIden)]
enum ReceivedActivities {
    Table,
    ApId,
    ReceivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Actors::Table)
                .col(big_pk_auto(Actors::Id))
                .col(string_uniq(Actors::ApId))
                .col(string(Actors::Kind))
                .col(string(Actors::Username))
                .col(string(Actors::Domain))
                .col(boolean(Actors::Local))
                .col(string(Actors::DisplayName))
                .col(text(Actors::Summary))
                .col(string(Actors::InboxUrl))
                .col(string_null(Actors::SharedInboxUrl))
                .col(string_null(Actors::OutboxUrl))
                .col(string_null(Actors::FollowersUrl))
                .col(string_null(Actors::FollowingUrl))
                .col(string_null(Actors::Url))
                .col(text(Actors::PublicKeyPem))
                .col(text_null(Actors::PrivateKeyPem))
                .col(boolean(Actors::Locked))
                .col(timestamp_with_time_zone(Actors::CreatedAt))
                .col(timestamp_with_time_zone(Actors::UpdatedAt))
                .col(timestamp_with_time_zone_null(Actors::FetchedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("actors_domain_username")
                .table(Actors::Table)
                .col(Actors::Domain)
                .col(Actors::Username)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(big_integer_uniq(Users::ActorId))
                .col(string_uniq(Users::Email))
                .col(string(Users::PasswordHash))
                .col(string(Users::Role))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .foreign_key(&mut fk(
                    (Users::Table, Users::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Follows::Table)
                .col(big_pk_auto(Follows::Id))
                .col(string_uniq(Follows::ApId))
                .col(big_integer(Follows::FollowerId))
                .col(big_integer(Follows::FolloweeId))
                .col(boolean(Follows::Accepted))
                .col(timestamp_with_time_zone(Follows::CreatedAt))
                .foreign_key(&mut fk(
                    (Follows::Table, Follows::FollowerId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (Follows::Table, Follows::FolloweeId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("follows_pair")
                .table(Follows::Table)
                .col(Follows::FollowerId)
                .col(Follows::FolloweeId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("follows_followee")
                .table(Follows::Table)
                .col(Follows::FolloweeId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Posts::Table)
                .col(big_pk_auto(Posts::Id))
                .col(string_uniq(Posts::ApId))
                .col(big_integer(Posts::AuthorId))
                .col(string_null(Posts::Url))
                .col(text(Posts::Content))
                .col(text_null(Posts::Source))
                .col(text_null(Posts::Summary))
                .col(boolean(Posts::Sensitive))
                .col(string_null(Posts::Language))
                .col(string(Posts::Visibility))
                .col(string_null(Posts::InReplyToApId))
                .col(big_integer_null(Posts::InReplyToId))
                .col(big_integer_null(Posts::ReblogOfId))
                .col(boolean(Posts::Local))
                .col(timestamp_with_time_zone(Posts::PublishedAt))
                .col(timestamp_with_time_zone_null(Posts::EditedAt))
                .col(timestamp_with_time_zone_null(Posts::DeletedAt))
                .foreign_key(&mut fk(
                    (Posts::Table, Posts::AuthorId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(Posts::Table, Posts::InReplyToId)
                        .to(Posts::Table, Posts::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(&mut fk(
                    (Posts::Table, Posts::ReblogOfId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("posts_author_published")
                .table(Posts::Table)
                .col(Posts::AuthorId)
                .col(Posts::PublishedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PostMentions::Table)
                .col(big_integer(PostMentions::PostId))
                .col(big_integer(PostMentions::ActorId))
                .primary_key(
                    Index::create()
                        .col(PostMentions::PostId)
                        .col(PostMentions::ActorId),
                )
                .foreign_key(&mut fk(
                    (PostMentions::Table, PostMentions::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .foreign_key(&mut fk(
                    (PostMentions::Table, PostMentions::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PostTags::Table)
                .col(big_integer(PostTags::PostId))
                .col(string(PostTags::Name))
                .primary_key(Index::create().col(PostTags::PostId).col(PostTags::Name))
                .foreign_key(&mut fk(
                    (PostTags::Table, PostTags::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Likes::Table)
                .col(big_pk_auto(Likes::Id))
                .col(string_uniq(Likes::ApId))
                .col(big_integer(Likes::ActorId))
                .col(big_integer(Likes::PostId))
                .col(timestamp_with_time_zone(Likes::CreatedAt))
                .foreign_key(&mut fk(
                    (Likes::Table, Likes::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (Likes::Table, Likes::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("likes_pair")
                .table(Likes::Table)
                .col(Likes::ActorId)
                .col(Likes::PostId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OutboxIntents::Table)
                .col(big_pk_auto(OutboxIntents::Id))
                .col(big_integer(OutboxIntents::ActorId))
                .col(text(OutboxIntents::Intent))
                .col(timestamp_with_time_zone(OutboxIntents::CreatedAt))
                .foreign_key(&mut fk(
                    (OutboxIntents::Table, OutboxIntents::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OutgoingActivities::Table)
                .col(big_pk_auto(OutgoingActivities::Id))
                .col(string(OutgoingActivities::ApId))
                .col(big_integer(OutgoingActivities::ActorId))
                .col(text(OutgoingActivities::Body))
                .col(timestamp_with_time_zone(OutgoingActivities::CreatedAt))
                .foreign_key(&mut fk(
                    (OutgoingActivities::Table, OutgoingActivities::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Deliveries::Table)
                .col(big_pk_auto(Deliveries::Id))
                .col(big_integer(Deliveries::ActivityId))
                .col(string(Deliveries::InboxUrl))
                .col(string(Deliveries::Host))
                .col(string(Deliveries::State))
                .col(integer(Deliveries::Attempts))
                .col(timestamp_with_time_zone(Deliveries::NextAttemptAt))
                .col(text_null(Deliveries::LastError))
                .col(timestamp_with_time_zone(Deliveries::CreatedAt))
                .foreign_key(&mut fk(
                    (Deliveries::Table, Deliveries::ActivityId),
                    (OutgoingActivities::Table, OutgoingActivities::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("deliveries_due")
                .table(Deliveries::Table)
                .col(Deliveries::State)
                .col(Deliveries::NextAttemptAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Instances::Table)
                .col(string(Instances::Host).primary_key())
                .col(integer(Instances::Failures))
                .col(timestamp_with_time_zone_null(Instances::UnreachableSince))
                .col(timestamp_with_time_zone_null(Instances::LastSuccessAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ReceivedActivities::Table)
                .col(string(ReceivedActivities::ApId).primary_key())
                .col(timestamp_with_time_zone(ReceivedActivities::ReceivedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReceivedActivities::Table.into_iden(),
            Instances::Table.into_iden(),
            Deliveries::Table.into_iden(),
            OutgoingActivities::Table.into_iden(),
            OutboxIntents::Table.into_iden(),
            Likes::Table.into_iden(),
            PostTags::Table.into_iden(),
            PostMentions::Table.into_iden(),
            Posts::Table.into_iden(),
            Follows::Table.into_iden(),
            Users::Table.into_iden(),
            Actors::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
