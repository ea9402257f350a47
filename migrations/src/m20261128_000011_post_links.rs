//! Object links (FEP-e232): a post or an event that points to another object, most often a
//! resource ("the toolkit for this training"). Each link keeps the address and the text it
//! was given, so it can be shown even when the object it names is not stored here;
//! `target_id` is the post it names when that post is known.

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000011_post_links"
    }
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PostLinks {
    Table,
    PostId,
    Position,
    Href,
    Name,
    TargetId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PostLinks::Table)
                .col(big_integer(PostLinks::PostId))
                .col(integer(PostLinks::Position))
                .col(text(PostLinks::Href))
                .col(text_null(PostLinks::Name))
                .col(big_integer_null(PostLinks::TargetId))
                .primary_key(
                    Index::create()
                        .col(PostLinks::PostId)
                        .col(PostLinks::Position),
                )
                .foreign_key(&mut fk(
                    (PostLinks::Table, PostLinks::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        // "Which events point to this resource?"
        m.create_index(
            Index::create()
                .name("idx_post_links_target")
                .table(PostLinks::Table)
                .col(PostLinks::TargetId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PostLinks::Table).to_owned())
            .await
    }
}
