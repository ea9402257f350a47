//! Members' content filters, Mastodon's v2 shape: a filter has a title, the contexts it
//! applies in, an action (warn, hide, blur) and an optional end; it matches keywords (whole
//! words or anywhere) and individual posts.

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000004_filters"
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
enum Filters {
    Table,
    Id,
    ActorId,
    Title,
    /// Comma-separated contexts: home, notifications, public, thread, account.
    Contexts,
    Action,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FilterKeywords {
    Table,
    Id,
    FilterId,
    Keyword,
    WholeWord,
}

#[derive(DeriveIden)]
enum FilterStatuses {
    Table,
    Id,
    FilterId,
    PostId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Filters::Table)
                .col(big_pk_auto(Filters::Id))
                .col(big_integer(Filters::ActorId))
                .col(string(Filters::Title))
                .col(string(Filters::Contexts))
                .col(string(Filters::Action))
                .col(timestamp_with_time_zone_null(Filters::ExpiresAt))
                .col(timestamp_with_time_zone(Filters::CreatedAt))
                .foreign_key(&mut fk(
                    (Filters::Table, Filters::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_filters_actor_id")
                .table(Filters::Table)
                .col(Filters::ActorId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(FilterKeywords::Table)
                .col(big_pk_auto(FilterKeywords::Id))
                .col(big_integer(FilterKeywords::FilterId))
                .col(string(FilterKeywords::Keyword))
                .col(boolean(FilterKeywords::WholeWord))
                .foreign_key(&mut fk(
                    (FilterKeywords::Table, FilterKeywords::FilterId),
                    (Filters::Table, Filters::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(FilterStatuses::Table)
                .col(big_pk_auto(FilterStatuses::Id))
                .col(big_integer(FilterStatuses::FilterId))
                .col(big_integer(FilterStatuses::PostId))
                .foreign_key(&mut fk(
                    (FilterStatuses::Table, FilterStatuses::FilterId),
                    (Filters::Table, Filters::Id),
                ))
                .foreign_key(&mut fk(
                    (FilterStatuses::Table, FilterStatuses::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        for (name, table, column) in [
            (
                "idx_filter_keywords_filter_id",
                FilterKeywords::Table.into_iden(),
                FilterKeywords::FilterId.into_iden(),
            ),
            (
                "idx_filter_statuses_filter_id",
                FilterStatuses::Table.into_iden(),
                FilterStatuses::FilterId.into_iden(),
            ),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(table)
                    .col(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FilterStatuses::Table.into_iden(),
            FilterKeywords::Table.into_iden(),
            Filters::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
