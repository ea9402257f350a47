//! Audio and video uploads: how long they play, which apps show before playing them. And the
//! file names indexed: `/media` asks which post a file belongs to (members-only resources'
//! files are not served there).

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
    FileName,
    ThumbnailName,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(MediaAttachments::Table)
                .add_column(double_null(MediaAttachments::Duration))
                .to_owned(),
        )
        .await?;
        for (name, column) in [
            ("idx_media_file_name", MediaAttachments::FileName),
            ("idx_media_thumbnail_name", MediaAttachments::ThumbnailName),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(MediaAttachments::Table)
                    .col(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_media_file_name", "idx_media_thumbnail_name"] {
            m.drop_index(Index::drop().name(name).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(MediaAttachments::Table)
                .drop_column(MediaAttachments::Duration)
                .to_owned(),
        )
        .await
    }
}
