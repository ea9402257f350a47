//! Account actions beyond limit and suspend: each action is a warning (Mastodon's strike)
//! with its text, an optional expiry and at most one appeal; frozen logins and accounts whose
//! media is always marked sensitive; notifications that carry a warning; and when an account
//! was purged (a local one 30 days after its suspension, a remote one when it deleted itself).

use super::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000014_account_warnings"
    }
}

#[derive(DeriveIden)]
enum AccountWarnings {
    Table,
    Id,
    TargetId,
    ModeratorId,
    Action,
    Text,
    ReportId,
    ExpiresAt,
    LiftedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Appeals {
    Table,
    Id,
    WarningId,
    AccountId,
    Text,
    ApprovedAt,
    RejectedAt,
    DecidedById,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
    SensitizedAt,
    PurgedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Disabled,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    WarningId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AccountWarnings::Table)
                .col(big_pk_auto(AccountWarnings::Id))
                .col(big_integer(AccountWarnings::TargetId))
                .col(big_integer_null(AccountWarnings::ModeratorId))
                .col(string(AccountWarnings::Action))
                .col(text(AccountWarnings::Text).default(""))
                .col(big_integer_null(AccountWarnings::ReportId))
                .col(timestamp_with_time_zone_null(AccountWarnings::ExpiresAt))
                .col(timestamp_with_time_zone_null(AccountWarnings::LiftedAt))
                .col(timestamp_with_time_zone(AccountWarnings::CreatedAt))
                .foreign_key(&mut fk(
                    (AccountWarnings::Table, AccountWarnings::TargetId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Appeals::Table)
                .col(big_pk_auto(Appeals::Id))
                .col(big_integer(Appeals::WarningId).unique_key())
                .col(big_integer(Appeals::AccountId))
                .col(text(Appeals::Text))
                .col(timestamp_with_time_zone_null(Appeals::ApprovedAt))
                .col(timestamp_with_time_zone_null(Appeals::RejectedAt))
                .col(big_integer_null(Appeals::DecidedById))
                .col(timestamp_with_time_zone(Appeals::CreatedAt))
                .foreign_key(&mut fk(
                    (Appeals::Table, Appeals::WarningId),
                    (AccountWarnings::Table, AccountWarnings::Id),
                ))
                .to_owned(),
        )
        .await?;
        let added = [
            (
                Actors::Table.into_iden(),
                timestamp_with_time_zone_null(Actors::SensitizedAt),
            ),
            (
                Actors::Table.into_iden(),
                timestamp_with_time_zone_null(Actors::PurgedAt),
            ),
            (
                Users::Table.into_iden(),
                boolean(Users::Disabled).default(false).to_owned(),
            ),
            (
                Notifications::Table.into_iden(),
                big_integer_null(Notifications::WarningId),
            ),
        ];
        for (table, mut column) in added {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let added = [
            (Actors::Table.into_iden(), Actors::SensitizedAt.into_iden()),
            (Actors::Table.into_iden(), Actors::PurgedAt.into_iden()),
            (Users::Table.into_iden(), Users::Disabled.into_iden()),
            (
                Notifications::Table.into_iden(),
                Notifications::WarningId.into_iden(),
            ),
        ];
        for (table, column) in added {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        for table in [
            Appeals::Table.into_iden(),
            AccountWarnings::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
