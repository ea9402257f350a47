//! What Mastodon-compatible clients need beyond federation: OAuth applications, authorization
//! codes and tokens (stored as SHA-256 digests, never in clear), notifications, bookmarks,
//! timeline markers, idempotency keys for status creation, media attachments, account blocks
//! and mutes, lists, earlier versions of edited posts, pinned posts, members' reports,
//! followed hashtags, and the per-user posting defaults clients read from `source`.

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000002_client_api"
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
}

#[derive(DeriveIden)]
enum Users {
    Table,
    DefaultVisibility,
    DefaultSensitive,
    DefaultLanguage,
    Approved,
    Confirmed,
    ConfirmationToken,
    RegistrationReason,
    NoteSource,
}

#[derive(DeriveIden)]
enum OauthApps {
    Table,
    Id,
    ClientId,
    ClientSecret,
    Name,
    Website,
    RedirectUris,
    Scopes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OauthCodes {
    Table,
    Id,
    CodeDigest,
    AppId,
    ActorId,
    RedirectUri,
    Scopes,
    CodeChallenge,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum OauthTokens {
    Table,
    Id,
    TokenDigest,
    RefreshDigest,
    AppId,
    ActorId,
    Scopes,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    RecipientId,
    FromActorId,
    Kind,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Bookmarks {
    Table,
    Id,
    ActorId,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Markers {
    Table,
    ActorId,
    Timeline,
    LastReadId,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    ActorId,
    Key,
    PostId,
    CreatedAt,
}

/// Blocks (`hide_notifications` unused) and mutes share one shape, in two tables.
#[derive(DeriveIden)]
enum AccountBlocks {
    Table,
}

#[derive(DeriveIden)]
enum AccountMutes {
    Table,
}

#[derive(DeriveIden)]
enum Relation {
    Id,
    ActorId,
    TargetId,
    HideNotifications,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PostVersions {
    Table,
    Id,
    PostId,
    Content,
    Summary,
    Sensitive,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    ReporterId,
    TargetId,
    Category,
    Comment,
    StatusIds,
    RuleIds,
    Forward,
    CreatedAt,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum FollowedTags {
    Table,
    ActorId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Pins {
    Table,
    ActorId,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Lists {
    Table,
    Id,
    ActorId,
    Title,
    RepliesPolicy,
    Exclusive,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ListAccounts {
    Table,
    ListId,
    ActorId,
}

#[derive(DeriveIden)]
enum MediaAttachments {
    Table,
    Id,
    ActorId,
    PostId,
    Kind,
    ContentType,
    FileName,
    ThumbnailName,
    RemoteUrl,
    Description,
    FocusX,
    FocusY,
    Width,
    Height,
    Blurhash,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            string(Users::DefaultVisibility)
                .default("public")
                .to_owned(),
            boolean(Users::DefaultSensitive).default(false).to_owned(),
            string_null(Users::DefaultLanguage).to_owned(),
            boolean(Users::Approved).default(true).to_owned(),
            boolean(Users::Confirmed).default(true).to_owned(),
            string_null(Users::ConfirmationToken).to_owned(),
            text_null(Users::RegistrationReason).to_owned(),
            text_null(Users::NoteSource).to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(OauthApps::Table)
                .col(big_pk_auto(OauthApps::Id))
                .col(string_uniq(OauthApps::ClientId))
                .col(string(OauthApps::ClientSecret))
                .col(string(OauthApps::Name))
                .col(string_null(OauthApps::Website))
                .col(text(OauthApps::RedirectUris))
                .col(string(OauthApps::Scopes))
                .col(timestamp_with_time_zone(OauthApps::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OauthCodes::Table)
                .col(big_pk_auto(OauthCodes::Id))
                .col(string_uniq(OauthCodes::CodeDigest))
                .col(big_integer(OauthCodes::AppId))
                .col(big_integer(OauthCodes::ActorId))
                .col(text(OauthCodes::RedirectUri))
                .col(string(OauthCodes::Scopes))
                .col(string_null(OauthCodes::CodeChallenge))
                .col(timestamp_with_time_zone(OauthCodes::ExpiresAt))
                .foreign_key(&mut fk(
                    (OauthCodes::Table, OauthCodes::AppId),
                    (OauthApps::Table, OauthApps::Id),
                ))
                .foreign_key(&mut fk(
                    (OauthCodes::Table, OauthCodes::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OauthTokens::Table)
                .col(big_pk_auto(OauthTokens::Id))
                .col(string_uniq(OauthTokens::TokenDigest))
                .col(string_null(OauthTokens::RefreshDigest).unique_key())
                .col(big_integer(OauthTokens::AppId))
                .col(big_integer_null(OauthTokens::ActorId))
                .col(string(OauthTokens::Scopes))
                .col(timestamp_with_time_zone(OauthTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(OauthTokens::RevokedAt))
                .foreign_key(&mut fk(
                    (OauthTokens::Table, OauthTokens::AppId),
                    (OauthApps::Table, OauthApps::Id),
                ))
                .foreign_key(&mut fk(
                    (OauthTokens::Table, OauthTokens::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(big_pk_auto(Notifications::Id))
                .col(big_integer(Notifications::RecipientId))
                .col(big_integer(Notifications::FromActorId))
                .col(string(Notifications::Kind))
                .col(big_integer_null(Notifications::PostId))
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .foreign_key(&mut fk(
                    (Notifications::Table, Notifications::RecipientId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (Notifications::Table, Notifications::FromActorId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (Notifications::Table, Notifications::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("notifications_recipient_id")
                .table(Notifications::Table)
                .col(Notifications::RecipientId)
                .col(Notifications::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Bookmarks::Table)
                .col(big_pk_auto(Bookmarks::Id))
                .col(big_integer(Bookmarks::ActorId))
                .col(big_integer(Bookmarks::PostId))
                .col(timestamp_with_time_zone(Bookmarks::CreatedAt))
                .foreign_key(&mut fk(
                    (Bookmarks::Table, Bookmarks::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (Bookmarks::Table, Bookmarks::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("bookmarks_pair")
                .table(Bookmarks::Table)
                .col(Bookmarks::ActorId)
                .col(Bookmarks::PostId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Markers::Table)
                .col(big_integer(Markers::ActorId))
                .col(string(Markers::Timeline))
                .col(big_integer(Markers::LastReadId))
                .col(big_integer(Markers::Version))
                .col(timestamp_with_time_zone(Markers::UpdatedAt))
                .primary_key(Index::create().col(Markers::ActorId).col(Markers::Timeline))
                .foreign_key(&mut fk(
                    (Markers::Table, Markers::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(big_integer(IdempotencyKeys::ActorId))
                .col(string(IdempotencyKeys::Key))
                .col(big_integer(IdempotencyKeys::PostId))
                .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(IdempotencyKeys::ActorId)
                        .col(IdempotencyKeys::Key),
                )
                .foreign_key(&mut fk(
                    (IdempotencyKeys::Table, IdempotencyKeys::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (IdempotencyKeys::Table, IdempotencyKeys::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MediaAttachments::Table)
                .col(big_pk_auto(MediaAttachments::Id))
                .col(big_integer(MediaAttachments::ActorId))
                .col(big_integer_null(MediaAttachments::PostId))
                .col(string(MediaAttachments::Kind))
                .col(string(MediaAttachments::ContentType))
                .col(string_null(MediaAttachments::FileName))
                .col(string_null(MediaAttachments::ThumbnailName))
                .col(text_null(MediaAttachments::RemoteUrl))
                .col(text_null(MediaAttachments::Description))
                .col(double_null(MediaAttachments::FocusX))
                .col(double_null(MediaAttachments::FocusY))
                .col(integer_null(MediaAttachments::Width))
                .col(integer_null(MediaAttachments::Height))
                .col(string_null(MediaAttachments::Blurhash))
                .col(timestamp_with_time_zone(MediaAttachments::CreatedAt))
                .foreign_key(&mut fk(
                    (MediaAttachments::Table, MediaAttachments::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (MediaAttachments::Table, MediaAttachments::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        for (table, name) in [
            (AccountBlocks::Table.into_iden(), "account_blocks_pair"),
            (AccountMutes::Table.into_iden(), "account_mutes_pair"),
        ] {
            m.create_table(
                Table::create()
                    .table(table.clone())
                    .col(big_pk_auto(Relation::Id))
                    .col(big_integer(Relation::ActorId))
                    .col(big_integer(Relation::TargetId))
                    .col(boolean(Relation::HideNotifications).default(true))
                    .col(timestamp_with_time_zone(Relation::CreatedAt))
                    .foreign_key(&mut fk(
                        (table.clone(), Relation::ActorId),
                        (Actors::Table, Actors::Id),
                    ))
                    .foreign_key(&mut fk(
                        (table.clone(), Relation::TargetId),
                        (Actors::Table, Actors::Id),
                    ))
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name(name)
                    .table(table)
                    .col(Relation::ActorId)
                    .col(Relation::TargetId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(PostVersions::Table)
                .col(big_pk_auto(PostVersions::Id))
                .col(big_integer(PostVersions::PostId))
                .col(text(PostVersions::Content))
                .col(text_null(PostVersions::Summary))
                .col(boolean(PostVersions::Sensitive))
                .col(timestamp_with_time_zone(PostVersions::CreatedAt))
                .foreign_key(&mut fk(
                    (PostVersions::Table, PostVersions::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Reports::Table)
                .col(big_pk_auto(Reports::Id))
                .col(big_integer(Reports::ReporterId))
                .col(big_integer(Reports::TargetId))
                .col(string(Reports::Category))
                .col(text(Reports::Comment))
                .col(text(Reports::StatusIds))
                .col(text(Reports::RuleIds))
                .col(boolean(Reports::Forward))
                .col(timestamp_with_time_zone(Reports::CreatedAt))
                .col(timestamp_with_time_zone_null(Reports::ResolvedAt))
                .foreign_key(&mut fk(
                    (Reports::Table, Reports::ReporterId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (Reports::Table, Reports::TargetId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(FollowedTags::Table)
                .col(big_integer(FollowedTags::ActorId))
                .col(string(FollowedTags::Name))
                .col(timestamp_with_time_zone(FollowedTags::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(FollowedTags::ActorId)
                        .col(FollowedTags::Name),
                )
                .foreign_key(&mut fk(
                    (FollowedTags::Table, FollowedTags::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Pins::Table)
                .col(big_integer(Pins::ActorId))
                .col(big_integer(Pins::PostId))
                .col(timestamp_with_time_zone(Pins::CreatedAt))
                .primary_key(Index::create().col(Pins::ActorId).col(Pins::PostId))
                .foreign_key(&mut fk(
                    (Pins::Table, Pins::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (Pins::Table, Pins::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Lists::Table)
                .col(big_pk_auto(Lists::Id))
                .col(big_integer(Lists::ActorId))
                .col(string(Lists::Title))
                .col(string(Lists::RepliesPolicy).default("list"))
                .col(boolean(Lists::Exclusive).default(false))
                .col(timestamp_with_time_zone(Lists::CreatedAt))
                .foreign_key(&mut fk(
                    (Lists::Table, Lists::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ListAccounts::Table)
                .col(big_integer(ListAccounts::ListId))
                .col(big_integer(ListAccounts::ActorId))
                .primary_key(
                    Index::create()
                        .col(ListAccounts::ListId)
                        .col(ListAccounts::ActorId),
                )
                .foreign_key(&mut fk(
                    (ListAccounts::Table, ListAccounts::ListId),
                    (Lists::Table, Lists::Id),
                ))
                .foreign_key(&mut fk(
                    (ListAccounts::Table, ListAccounts::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("media_attachments_post")
                .table(MediaAttachments::Table)
                .col(MediaAttachments::PostId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FollowedTags::Table.into_iden(),
            Reports::Table.into_iden(),
            Pins::Table.into_iden(),
            PostVersions::Table.into_iden(),
            ListAccounts::Table.into_iden(),
            Lists::Table.into_iden(),
            AccountMutes::Table.into_iden(),
            AccountBlocks::Table.into_iden(),
            MediaAttachments::Table.into_iden(),
            IdempotencyKeys::Table.into_iden(),
            Markers::Table.into_iden(),
            Bookmarks::Table.into_iden(),
            Notifications::Table.into_iden(),
            OauthTokens::Table.into_iden(),
            OauthCodes::Table.into_iden(),
            OauthApps::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        for column in [
            Users::DefaultVisibility.into_iden(),
            Users::DefaultSensitive.into_iden(),
            Users::DefaultLanguage.into_iden(),
            Users::Approved.into_iden(),
            Users::Confirmed.into_iden(),
            Users::ConfirmationToken.into_iden(),
            Users::RegistrationReason.into_iden(),
            Users::NoteSource.into_iden(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
