//! The network directory: the servers of the network as this instance last saw them (from
//! its peers' lists and their NodeInfo), and the organisations and cities they list.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000023_network_directory"
    }
}

#[derive(DeriveIden)]
enum NetworkServers {
    Table,
    Id,
    Domain,
    Name,
    Software,
    Users,
    /// The server whose list named it (null: our own list).
    Via,
    Error,
    FetchedAt,
}

#[derive(DeriveIden)]
enum NetworkAccounts {
    Table,
    Id,
    Domain,
    ApId,
    Username,
    DisplayName,
    Note,
    Url,
    Avatar,
    FetchedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(NetworkServers::Table)
                .col(big_pk_auto(NetworkServers::Id))
                .col(string_uniq(NetworkServers::Domain))
                .col(string_null(NetworkServers::Name))
                .col(string_null(NetworkServers::Software))
                .col(big_integer_null(NetworkServers::Users))
                .col(string_null(NetworkServers::Via))
                // Why the last visit failed, if it did.
                .col(text_null(NetworkServers::Error))
                .col(timestamp_with_time_zone(NetworkServers::FetchedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NetworkAccounts::Table)
                .col(big_pk_auto(NetworkAccounts::Id))
                .col(string(NetworkAccounts::Domain))
                .col(string_uniq(NetworkAccounts::ApId))
                .col(string(NetworkAccounts::Username))
                .col(string(NetworkAccounts::DisplayName))
                .col(text(NetworkAccounts::Note))
                .col(string(NetworkAccounts::Url))
                .col(string_null(NetworkAccounts::Avatar))
                .col(timestamp_with_time_zone(NetworkAccounts::FetchedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_network_accounts_domain")
                .table(NetworkAccounts::Table)
                .col(NetworkAccounts::Domain)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(NetworkAccounts::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(NetworkServers::Table).to_owned())
            .await
    }
}
