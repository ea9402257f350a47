//! The second part of federation moderation:
//! - `held_posts`: unsolicited posts from domains on probation, waiting for a moderator;
//! - `domain_drafts`: blocks and allows proposed by an import or a subscription, applied when
//!   an admin accepts them;
//! - `domain_excludes`: domains that imports and subscriptions never touch;
//! - `domain_subscriptions`: shared lists fetched from an address, with a priority;
//! - which subscription made each block or allow, so a list retracting it can be followed.

use super::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000013_moderation_queue"
    }
}

#[derive(DeriveIden)]
enum HeldPosts {
    Table,
    Id,
    ApId,
    AuthorId,
    Reason,
    Object,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum DomainDrafts {
    Table,
    Id,
    Kind,
    Domain,
    Severity,
    RejectMedia,
    RejectReports,
    MediaSensitive,
    StripAvatars,
    FollowersOnly,
    PrivateComment,
    PublicComment,
    Obfuscate,
    SubscriptionId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DomainExcludes {
    Table,
    Id,
    Domain,
    PrivateComment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DomainSubscriptions {
    Table,
    Id,
    Kind,
    Uri,
    Title,
    Format,
    Priority,
    AsDraft,
    AdoptOrphans,
    RemoveRetracted,
    FetchedAt,
    SucceededAt,
    Error,
    Count,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DomainBlocks {
    Table,
    SubscriptionId,
}

#[derive(DeriveIden)]
enum DomainAllows {
    Table,
    SubscriptionId,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HeldPosts::Table)
                .col(big_pk_auto(HeldPosts::Id))
                .col(string(HeldPosts::ApId).unique_key())
                .col(big_integer(HeldPosts::AuthorId))
                .col(string(HeldPosts::Reason))
                .col(text(HeldPosts::Object))
                .col(timestamp_with_time_zone(HeldPosts::ReceivedAt))
                .foreign_key(&mut fk(
                    (HeldPosts::Table, HeldPosts::AuthorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DomainSubscriptions::Table)
                .col(big_pk_auto(DomainSubscriptions::Id))
                .col(string(DomainSubscriptions::Kind))
                .col(text(DomainSubscriptions::Uri))
                .col(text_null(DomainSubscriptions::Title))
                .col(string_null(DomainSubscriptions::Format))
                .col(integer(DomainSubscriptions::Priority).default(0))
                .col(boolean(DomainSubscriptions::AsDraft).default(true))
                .col(boolean(DomainSubscriptions::AdoptOrphans).default(false))
                .col(boolean(DomainSubscriptions::RemoveRetracted).default(false))
                .col(timestamp_with_time_zone_null(
                    DomainSubscriptions::FetchedAt,
                ))
                .col(timestamp_with_time_zone_null(
                    DomainSubscriptions::SucceededAt,
                ))
                .col(text_null(DomainSubscriptions::Error))
                .col(integer(DomainSubscriptions::Count).default(0))
                .col(timestamp_with_time_zone(DomainSubscriptions::CreatedAt))
                .col(timestamp_with_time_zone(DomainSubscriptions::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DomainDrafts::Table)
                .col(big_pk_auto(DomainDrafts::Id))
                .col(string(DomainDrafts::Kind))
                .col(string(DomainDrafts::Domain))
                .col(string(DomainDrafts::Severity))
                .col(boolean(DomainDrafts::RejectMedia).default(false))
                .col(boolean(DomainDrafts::RejectReports).default(false))
                .col(boolean(DomainDrafts::MediaSensitive).default(false))
                .col(boolean(DomainDrafts::StripAvatars).default(false))
                .col(boolean(DomainDrafts::FollowersOnly).default(false))
                .col(text_null(DomainDrafts::PrivateComment))
                .col(text_null(DomainDrafts::PublicComment))
                .col(boolean(DomainDrafts::Obfuscate).default(false))
                .col(big_integer_null(DomainDrafts::SubscriptionId))
                .col(timestamp_with_time_zone(DomainDrafts::CreatedAt))
                .foreign_key(&mut fk(
                    (DomainDrafts::Table, DomainDrafts::SubscriptionId),
                    (DomainSubscriptions::Table, DomainSubscriptions::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("domain_drafts_kind_domain")
                .table(DomainDrafts::Table)
                .col(DomainDrafts::Kind)
                .col(DomainDrafts::Domain)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DomainExcludes::Table)
                .col(big_pk_auto(DomainExcludes::Id))
                .col(string(DomainExcludes::Domain).unique_key())
                .col(text_null(DomainExcludes::PrivateComment))
                .col(timestamp_with_time_zone(DomainExcludes::CreatedAt))
                .to_owned(),
        )
        .await?;
        // No foreign key (SQLite cannot add one to a table): deleting a subscription orphans
        // or removes what it made, in code.
        for table in [
            DomainBlocks::Table.into_iden(),
            DomainAllows::Table.into_iden(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(big_integer_null(DomainBlocks::SubscriptionId))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DomainBlocks::Table.into_iden(),
            DomainAllows::Table.into_iden(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .drop_column(DomainAllows::SubscriptionId)
                    .to_owned(),
            )
            .await?;
        }
        for table in [
            DomainExcludes::Table.into_iden(),
            DomainDrafts::Table.into_iden(),
            DomainSubscriptions::Table.into_iden(),
            HeldPosts::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
