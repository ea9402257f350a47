//! Calendars: a member's private feed of the events they answered is reached through a secret
//! token (stored as a digest, like OAuth tokens), and events remember what a calendar needs to
//! describe a change and a series: a `sequence` that grows with each change, and, for an
//! occurrence of a recurring series, the start its rule gave it (`recurrence_id`).

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261127_000009_calendars"
    }
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Sequence,
    RecurrenceId,
    SeriesId,
}

#[derive(DeriveIden)]
enum CalendarTokens {
    Table,
    ActorId,
    TokenDigest,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table(Events::Table)
                .add_column(integer(Events::Sequence).default(0))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Events::Table)
                .add_column(timestamp_with_time_zone_null(Events::RecurrenceId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_events_series")
                .table(Events::Table)
                .col(Events::SeriesId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CalendarTokens::Table)
                .col(big_integer(CalendarTokens::ActorId).primary_key())
                .col(string(CalendarTokens::TokenDigest).unique_key())
                .col(timestamp_with_time_zone(CalendarTokens::CreatedAt))
                .foreign_key(&mut fk(
                    (CalendarTokens::Table, CalendarTokens::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CalendarTokens::Table).to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("idx_events_series")
                .table(Events::Table)
                .to_owned(),
        )
        .await?;
        for column in [Events::RecurrenceId, Events::Sequence] {
            m.alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
