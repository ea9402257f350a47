//! Imports of a member's follows, blocks, mutes, lists and bookmarks from CSV files: the file's
//! lines are stored first, then worked through, so progress can be shown, bad lines reported
//! by number, and an import interrupted by a restart goes on where it stopped.

use super::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000020_imports"
    }
}

#[derive(DeriveIden)]
enum Imports {
    Table,
    Id,
    AccountId,
    Kind,
    Mode,
    State,
    Total,
    Processed,
    Failed,
    LeaseUntil,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum ImportRows {
    Table,
    Id,
    ImportId,
    Line,
    Data,
    Outcome,
    Error,
    TargetId,
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
                .table(Imports::Table)
                .col(big_pk_auto(Imports::Id))
                .col(big_integer(Imports::AccountId))
                // following, blocks, mutes, lists or bookmarks.
                .col(string_len(Imports::Kind, 16))
                // merge or overwrite.
                .col(string_len(Imports::Mode, 16))
                // running or finished.
                .col(string_len(Imports::State, 16))
                .col(integer(Imports::Total))
                .col(integer(Imports::Processed))
                .col(integer(Imports::Failed))
                // A process working on the import holds it until then; past it, another
                // process (or the same after a restart) takes it up.
                .col(timestamp_with_time_zone_null(Imports::LeaseUntil))
                .col(timestamp_with_time_zone(Imports::CreatedAt))
                .col(timestamp_with_time_zone_null(Imports::FinishedAt))
                .foreign_key(&mut fk(
                    (Imports::Table, Imports::AccountId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_imports_account")
                .table(Imports::Table)
                .col(Imports::AccountId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ImportRows::Table)
                .col(big_pk_auto(ImportRows::Id))
                .col(big_integer(ImportRows::ImportId))
                // The line of the file it came from, counted from 1, header included.
                .col(integer(ImportRows::Line))
                // The line's fields as a JSON array of strings.
                .col(text(ImportRows::Data))
                // Null until worked on, then done or failed.
                .col(string_len_null(ImportRows::Outcome, 16))
                .col(text_null(ImportRows::Error))
                // The account or post the line named, once found: what an overwriting
                // import keeps.
                .col(big_integer_null(ImportRows::TargetId))
                .foreign_key(&mut fk(
                    (ImportRows::Table, ImportRows::ImportId),
                    (Imports::Table, Imports::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_import_rows_import")
                .table(ImportRows::Table)
                .col(ImportRows::ImportId)
                .col(ImportRows::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ImportRows::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Imports::Table).to_owned())
            .await
    }
}
