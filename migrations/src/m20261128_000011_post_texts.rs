//! Language versions belong to posts, not only to resources: an event, too, may be written
//! in several languages. `resource_texts` becomes `post_texts`, with its rows.

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000011_post_texts"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Posts {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Resources {
    Table,
    PostId,
}

#[derive(DeriveIden, Clone, Copy)]
enum PostTexts {
    Table,
    PostId,
    Language,
    Position,
    Title,
    Description,
}

#[derive(DeriveIden, Clone, Copy)]
enum ResourceTexts {
    Table,
}

/// The texts table, under `table`, its rows going with the row `parent` names.
fn texts_table(
    table: impl IntoIden + Copy + 'static,
    parent: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> TableCreateStatement {
    Table::create()
        .table(table)
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
        .foreign_key(&mut fk((table, PostTexts::PostId), parent))
        .to_owned()
}

const COLUMNS: [PostTexts; 5] = [
    PostTexts::PostId,
    PostTexts::Language,
    PostTexts::Position,
    PostTexts::Title,
    PostTexts::Description,
];

/// Copies the text rows of `from` to `to`; with `resources_only`, those of resources only.
fn copy(
    from: impl IntoIden + Copy,
    to: impl IntoIden + Copy,
    resources_only: bool,
) -> Result<InsertStatement, DbErr> {
    let mut rows = Query::select().columns(COLUMNS).from(from).to_owned();
    if resources_only {
        rows.and_where(
            Expr::col(PostTexts::PostId).in_subquery(
                Query::select()
                    .column(Resources::PostId)
                    .from(Resources::Table)
                    .to_owned(),
            ),
        );
    }
    Ok(Query::insert()
        .into_table(to)
        .columns(COLUMNS)
        .select_from(rows)
        .map_err(|e| DbErr::Migration(e.to_string()))?
        .to_owned())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(texts_table(PostTexts::Table, (Posts::Table, Posts::Id)))
            .await?;
        m.exec_stmt(copy(ResourceTexts::Table, PostTexts::Table, false)?)
            .await?;
        m.drop_table(Table::drop().table(ResourceTexts::Table).to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(texts_table(
            ResourceTexts::Table,
            (Resources::Table, Resources::PostId),
        ))
        .await?;
        m.exec_stmt(copy(PostTexts::Table, ResourceTexts::Table, true)?)
            .await?;
        m.drop_table(Table::drop().table(PostTexts::Table).to_owned())
            .await?;
        Ok(())
    }
}
