//! Resource shares: documents, files and links an organisation (or a member) publishes, with
//! a text per language, a licence and a category, filed in folders. A resource is a post (so
//! Mastodon clients show it) plus a `resources` row. Language versions of a post (a
//! resource's, or an event's written in several languages) are `post_texts`, the primary one
//! first (`position` 0).

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261127_000010_resources"
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
enum ResourceFolders {
    Table,
    Id,
    ApId,
    OwnerId,
    ParentId,
    Name,
    Visibility,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Resources {
    Table,
    PostId,
    FolderId,
    LinkUrl,
    Licence,
    Category,
    Visibility,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PostTexts {
    Table,
    PostId,
    Language,
    Position,
    Title,
    Description,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ResourceFolders::Table)
                .col(big_integer(ResourceFolders::Id).primary_key())
                .col(string(ResourceFolders::ApId).unique_key())
                .col(big_integer(ResourceFolders::OwnerId))
                .col(big_integer_null(ResourceFolders::ParentId))
                .col(text(ResourceFolders::Name))
                .col(string(ResourceFolders::Visibility))
                .col(timestamp_with_time_zone(ResourceFolders::CreatedAt))
                .col(timestamp_with_time_zone(ResourceFolders::UpdatedAt))
                .foreign_key(&mut fk(
                    (ResourceFolders::Table, ResourceFolders::OwnerId),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (ResourceFolders::Table, ResourceFolders::ParentId),
                    (ResourceFolders::Table, ResourceFolders::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_resource_folders_owner")
                .table(ResourceFolders::Table)
                .col(ResourceFolders::OwnerId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Resources::Table)
                .col(big_integer(Resources::PostId).primary_key())
                .col(big_integer_null(Resources::FolderId))
                .col(text_null(Resources::LinkUrl))
                .col(string_null(Resources::Licence))
                .col(string_null(Resources::Category))
                .col(string(Resources::Visibility))
                .col(timestamp_with_time_zone(Resources::UpdatedAt))
                .foreign_key(&mut fk(
                    (Resources::Table, Resources::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .foreign_key(&mut fk(
                    (Resources::Table, Resources::FolderId),
                    (ResourceFolders::Table, ResourceFolders::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_resources_folder")
                .table(Resources::Table)
                .col(Resources::FolderId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PostTexts::Table)
                .col(big_integer(PostTexts::PostId))
                .col(string(PostTexts::Language))
                .col(integer(PostTexts::Position))
                .col(text(PostTexts::Title))
                .col(text(PostTexts::Description))
                .primary_key(
                    Index::create()
                        .col(PostTexts::PostId)
                        .col(PostTexts::Language),
                )
                .foreign_key(&mut fk(
                    (PostTexts::Table, PostTexts::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PostTexts::Table.into_iden(),
            Resources::Table.into_iden(),
            ResourceFolders::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
