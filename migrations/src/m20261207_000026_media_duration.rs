//! Audio and video uploads: how long they play, which apps show before playing them.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000026_media_duration"
    }
}

#[derive(DeriveIden)]
enum MediaAttachments {
    Table,
    Duration,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(MediaAttachments::Table)
                .add_column(&mut double_null(MediaAttachments::Duration))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(MediaAttachments::Table)
                .drop_column(MediaAttachments::Duration)
                .to_owned(),
        )
        .await
    }
}
