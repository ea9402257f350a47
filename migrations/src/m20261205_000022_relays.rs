//! Relays this instance subscribes to: servers that pass public posts between all their
//! subscribers, so a small instance sees the network without following everyone.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000022_relays"
    }
}

#[derive(DeriveIden)]
enum Relays {
    Table,
    Id,
    Url,
    InboxUrl,
    ActorApId,
    Style,
    State,
    FollowApId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Relays::Table)
                .col(big_pk_auto(Relays::Id))
                // As the admin gave it: an inbox (Mastodon's style) or an actor (LitePub's).
                .col(string_uniq(Relays::Url))
                .col(string(Relays::InboxUrl))
                // The relay's actor: known from the start for LitePub relays, from their
                // Accept for Mastodon-style ones.
                .col(string_null(Relays::ActorApId))
                // mastodon or litepub.
                .col(string_len(Relays::Style, 16))
                // pending, accepted or rejected.
                .col(string_len(Relays::State, 16))
                .col(string_uniq(Relays::FollowApId))
                .col(timestamp_with_time_zone(Relays::CreatedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Relays::Table).to_owned())
            .await
    }
}
