//! Federation moderation: what an instance decided about other domains (blocks with a
//! severity and flags, allows for allow-list mode), accounts limited or suspended, who handles
//! each report, and the audit log of every moderation action (who, what, why, when).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000012_moderation"
    }
}

#[derive(DeriveIden)]
enum DomainBlocks {
    Table,
    Id,
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
    ExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DomainAllows {
    Table,
    Id,
    Domain,
    PrivateComment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    AssignedToId,
    ResolvedById,
    ForwardedAt,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    SilencedAt,
    SuspendedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ModeratorId,
    Action,
    Target,
    Reason,
    Detail,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DomainBlocks::Table)
                .col(big_pk_auto(DomainBlocks::Id))
                .col(string(DomainBlocks::Domain).unique_key())
                .col(string(DomainBlocks::Severity))
                .col(boolean(DomainBlocks::RejectMedia).default(false))
                .col(boolean(DomainBlocks::RejectReports).default(false))
                .col(boolean(DomainBlocks::MediaSensitive).default(false))
                .col(boolean(DomainBlocks::StripAvatars).default(false))
                .col(boolean(DomainBlocks::FollowersOnly).default(false))
                .col(text_null(DomainBlocks::PrivateComment))
                .col(text_null(DomainBlocks::PublicComment))
                .col(boolean(DomainBlocks::Obfuscate).default(false))
                .col(timestamp_with_time_zone_null(DomainBlocks::ExpiresAt))
                .col(timestamp_with_time_zone(DomainBlocks::CreatedAt))
                .col(timestamp_with_time_zone(DomainBlocks::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DomainAllows::Table)
                .col(big_pk_auto(DomainAllows::Id))
                .col(string(DomainAllows::Domain).unique_key())
                .col(text_null(DomainAllows::PrivateComment))
                .col(timestamp_with_time_zone(DomainAllows::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_pk_auto(AuditLog::Id))
                // No foreign key: the log outlives the accounts it names.
                .col(big_integer_null(AuditLog::ModeratorId))
                .col(string(AuditLog::Action))
                .col(text(AuditLog::Target))
                .col(text_null(AuditLog::Reason))
                .col(text(AuditLog::Detail))
                .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                .to_owned(),
        )
        .await?;
        for column in [
            timestamp_with_time_zone_null(Actors::SilencedAt),
            timestamp_with_time_zone_null(Actors::SuspendedAt),
        ] {
            add_column(m, Actors::Table, column).await?;
        }
        for column in [
            big_integer_null(Reports::AssignedToId),
            big_integer_null(Reports::ResolvedById),
            timestamp_with_time_zone_null(Reports::ForwardedAt),
        ] {
            add_column(m, Reports::Table, column).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            DomainAllows::Table.into_iden(),
            DomainBlocks::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        let added = [
            (
                Reports::Table.into_iden(),
                Reports::AssignedToId.into_iden(),
            ),
            (
                Reports::Table.into_iden(),
                Reports::ResolvedById.into_iden(),
            ),
            (Reports::Table.into_iden(), Reports::ForwardedAt.into_iden()),
            (Actors::Table.into_iden(), Actors::SilencedAt.into_iden()),
            (Actors::Table.into_iden(), Actors::SuspendedAt.into_iden()),
        ];
        for (table, column) in added {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Adds one column: SQLite takes one per `ALTER TABLE`.
async fn add_column(
    m: &SchemaManager<'_>,
    table: impl IntoIden,
    mut column: ColumnDef,
) -> Result<(), DbErr> {
    m.alter_table(
        Table::alter()
            .table(table)
            .add_column(&mut column)
            .to_owned(),
    )
    .await
}
