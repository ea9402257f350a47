//! Registration safety: invitations (a code with a use limit and an expiry, the way into an
//! invite-only instance) and blocked email domains.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000016_registration_safety"
    }
}

#[derive(DeriveIden)]
enum Invites {
    Table,
    Id,
    Code,
    CreatedById,
    MaxUses,
    Uses,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EmailDomainBlocks {
    Table,
    Id,
    Domain,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    InviteId,
    Registered,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Invites::Table)
                .col(big_pk_auto(Invites::Id))
                .col(string(Invites::Code).unique_key())
                .col(big_integer_null(Invites::CreatedById))
                .col(integer_null(Invites::MaxUses))
                .col(integer(Invites::Uses).default(0))
                .col(timestamp_with_time_zone_null(Invites::ExpiresAt))
                .col(timestamp_with_time_zone(Invites::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EmailDomainBlocks::Table)
                .col(big_pk_auto(EmailDomainBlocks::Id))
                .col(string(EmailDomainBlocks::Domain).unique_key())
                .col(timestamp_with_time_zone(EmailDomainBlocks::CreatedAt))
                .to_owned(),
        )
        .await?;
        for mut column in [
            big_integer_null(Users::InviteId),
            boolean(Users::Registered).default(false).to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::InviteId, Users::Registered] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for table in [
            EmailDomainBlocks::Table.into_iden(),
            Invites::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
