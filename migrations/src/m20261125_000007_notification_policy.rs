//! Members choose whose notifications they accept, filter (into requests they review) or
//! drop; a notification can be filtered, and accepting a request lets that account through.

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000007_notification_policy"
    }
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Filtered,
}

#[derive(DeriveIden)]
enum NotificationPolicies {
    Table,
    ActorId,
    ForNotFollowing,
    ForNotFollowers,
    ForNewAccounts,
    ForPrivateMentions,
    ForLimitedAccounts,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotificationPermissions {
    Table,
    RecipientId,
    FromActorId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .add_column(boolean(Notifications::Filtered).default(false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NotificationPolicies::Table)
                .col(big_integer(NotificationPolicies::ActorId).primary_key())
                .col(string(NotificationPolicies::ForNotFollowing))
                .col(string(NotificationPolicies::ForNotFollowers))
                .col(string(NotificationPolicies::ForNewAccounts))
                .col(string(NotificationPolicies::ForPrivateMentions))
                .col(string(NotificationPolicies::ForLimitedAccounts))
                .col(timestamp_with_time_zone(NotificationPolicies::UpdatedAt))
                .foreign_key(&mut fk(
                    (NotificationPolicies::Table, NotificationPolicies::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NotificationPermissions::Table)
                .col(big_integer(NotificationPermissions::RecipientId))
                .col(big_integer(NotificationPermissions::FromActorId))
                .col(timestamp_with_time_zone(NotificationPermissions::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(NotificationPermissions::RecipientId)
                        .col(NotificationPermissions::FromActorId),
                )
                .foreign_key(&mut fk(
                    (
                        NotificationPermissions::Table,
                        NotificationPermissions::RecipientId,
                    ),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (
                        NotificationPermissions::Table,
                        NotificationPermissions::FromActorId,
                    ),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            NotificationPermissions::Table.into_iden(),
            NotificationPolicies::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .drop_column(Notifications::Filtered)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
