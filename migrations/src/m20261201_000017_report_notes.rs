//! Moderators' notes on a report: what they found and decided, for the next moderator.

use super::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000017_report_notes"
    }
}

#[derive(DeriveIden)]
enum ReportNotes {
    Table,
    Id,
    ReportId,
    AuthorId,
    Text,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReportNotes::Table)
                .col(big_pk_auto(ReportNotes::Id))
                .col(big_integer(ReportNotes::ReportId))
                // No foreign key: a note outlives its author's account, as the audit log does.
                .col(big_integer_null(ReportNotes::AuthorId))
                .col(text(ReportNotes::Text))
                .col(timestamp_with_time_zone(ReportNotes::CreatedAt))
                .foreign_key(&mut fk(
                    (ReportNotes::Table, ReportNotes::ReportId),
                    (Reports::Table, Reports::Id),
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReportNotes::Table).to_owned())
            .await
    }
}
