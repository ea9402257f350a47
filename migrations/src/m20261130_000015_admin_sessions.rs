//! Sessions of the admin pages: a staff member's login in a browser, kept as a digest of
//! the cookie's secret (as OAuth tokens are), ending after a set time or at logout.

use super::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000015_admin_sessions"
    }
}

#[derive(DeriveIden)]
enum AdminSessions {
    Table,
    Id,
    TokenDigest,
    ActorId,
    CreatedAt,
    ExpiresAt,
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
                .table(AdminSessions::Table)
                .col(big_pk_auto(AdminSessions::Id))
                .col(string(AdminSessions::TokenDigest).unique_key())
                .col(big_integer(AdminSessions::ActorId))
                .col(timestamp_with_time_zone(AdminSessions::CreatedAt))
                .col(timestamp_with_time_zone(AdminSessions::ExpiresAt))
                .foreign_key(&mut fk(
                    (AdminSessions::Table, AdminSessions::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AdminSessions::Table).to_owned())
            .await
    }
}
