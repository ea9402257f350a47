//! Where each member stands in each conversation of direct posts (a thread): read up to
//! which post, and removed from their list up to which post (a newer post brings it back).

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000005_conversations"
    }
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ConversationStates {
    Table,
    ActorId,
    ThreadId,
    ReadUpTo,
    RemovedUpTo,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ConversationStates::Table)
                .col(big_integer(ConversationStates::ActorId))
                .col(big_integer(ConversationStates::ThreadId))
                .col(big_integer(ConversationStates::ReadUpTo))
                .col(big_integer(ConversationStates::RemovedUpTo))
                .primary_key(
                    Index::create()
                        .col(ConversationStates::ActorId)
                        .col(ConversationStates::ThreadId),
                )
                .foreign_key(&mut fk(
                    (ConversationStates::Table, ConversationStates::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ConversationStates::Table).to_owned())
            .await
    }
}
