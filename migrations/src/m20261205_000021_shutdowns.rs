//! Closing an instance for good: when it began and until when it keeps answering with
//! redirects to the accounts' successors.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000021_shutdowns"
    }
}

#[derive(DeriveIden)]
enum Shutdowns {
    Table,
    Id,
    StartedAt,
    RedirectUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Shutdowns::Table)
                .col(big_pk_auto(Shutdowns::Id))
                .col(timestamp_with_time_zone(Shutdowns::StartedAt))
                .col(timestamp_with_time_zone(Shutdowns::RedirectUntil))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Shutdowns::Table).to_owned())
            .await
    }
}
