//! Moving accounts: the other names an account answers to (`alsoKnownAs`), and where it went.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000019_account_moves"
    }
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    AlsoKnownAs,
    MovedTo,
    MovedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column at a time: SQLite's ALTER TABLE adds one column per statement.
        for mut column in [
            // A JSON array of actor ids; null when there are none.
            text_null(Actors::AlsoKnownAs),
            // The actor id this account moved to: an id rather than a row, as the new
            // account may not be known here yet when a peer says so.
            text_null(Actors::MovedTo),
            timestamp_with_time_zone_null(Actors::MovedAt),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Actors::Table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Actors::AlsoKnownAs, Actors::MovedTo, Actors::MovedAt] {
            m.alter_table(
                Table::alter()
                    .table(Actors::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
