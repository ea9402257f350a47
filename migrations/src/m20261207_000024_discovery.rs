//! What a member chooses to show: whether her profile may be found by name search and in
//! directories (`discoverable`, off until she turns it on), whether others see whom she
//! follows and who follows her (`show_network`, off by default), and the hashtags she
//! features on her profile.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000024_discovery"
    }
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
    Discoverable,
    ShowNetwork,
}

#[derive(DeriveIden)]
enum FeaturedTags {
    Table,
    Id,
    ActorId,
    Name,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for mut column in [
            boolean(Actors::Discoverable).default(false).to_owned(),
            boolean(Actors::ShowNetwork).default(false).to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Actors::Table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        // Organisations were listed in directories before the choice existed: they stay.
        m.get_connection()
            .execute_unprepared("UPDATE actors SET discoverable = TRUE WHERE kind = 'Group'")
            .await?;
        m.create_table(
            Table::create()
                .table(FeaturedTags::Table)
                .col(big_pk_auto(FeaturedTags::Id))
                .col(big_integer(FeaturedTags::ActorId))
                .col(string(FeaturedTags::Name))
                .col(timestamp_with_time_zone(FeaturedTags::CreatedAt))
                .foreign_key(&mut crate::fk(
                    (FeaturedTags::Table, FeaturedTags::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_featured_tags_actor_name")
                .table(FeaturedTags::Table)
                .col(FeaturedTags::ActorId)
                .col(FeaturedTags::Name)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(FeaturedTags::Table).to_owned())
            .await?;
        for column in [Actors::Discoverable, Actors::ShowNetwork] {
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
