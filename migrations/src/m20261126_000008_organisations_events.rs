//! Organisations (local `Group` actors) get members with roles, and posts can be events:
//! an `events` row holds what makes a post an event (time, place, capacity...), and
//! `event_participants` the answers to it, from members here and actors elsewhere.

use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000008_organisations_events"
    }
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
    MembersPublic,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrganisationMembers {
    Table,
    OrganisationId,
    MemberId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    PostId,
    Name,
    Description,
    StartsAt,
    EndsAt,
    Timezone,
    Status,
    PreviousStartsAt,
    JoinMode,
    ExternalUrl,
    Capacity,
    Category,
    PlaceName,
    StreetAddress,
    Locality,
    Region,
    PostalCode,
    Country,
    Latitude,
    Longitude,
    OnlineUrl,
    OrganiserId,
    SeriesId,
    Rrule,
    RemoteParticipantCount,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EventParticipants {
    Table,
    Id,
    EventId,
    ActorId,
    State,
    Style,
    JoinApId,
    Message,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Actors::Table)
                .add_column(boolean(Actors::MembersPublic).default(false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OrganisationMembers::Table)
                .col(big_integer(OrganisationMembers::OrganisationId))
                .col(big_integer(OrganisationMembers::MemberId))
                .col(string(OrganisationMembers::Role))
                .col(timestamp_with_time_zone(OrganisationMembers::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(OrganisationMembers::OrganisationId)
                        .col(OrganisationMembers::MemberId),
                )
                .foreign_key(&mut fk(
                    (
                        OrganisationMembers::Table,
                        OrganisationMembers::OrganisationId,
                    ),
                    (Actors::Table, Actors::Id),
                ))
                .foreign_key(&mut fk(
                    (OrganisationMembers::Table, OrganisationMembers::MemberId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_organisation_members_member")
                .table(OrganisationMembers::Table)
                .col(OrganisationMembers::MemberId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(big_integer(Events::PostId).primary_key())
                .col(text(Events::Name))
                .col(text(Events::Description))
                .col(timestamp_with_time_zone(Events::StartsAt))
                .col(timestamp_with_time_zone_null(Events::EndsAt))
                .col(string_null(Events::Timezone))
                .col(string(Events::Status))
                .col(timestamp_with_time_zone_null(Events::PreviousStartsAt))
                .col(string(Events::JoinMode))
                .col(text_null(Events::ExternalUrl))
                .col(integer_null(Events::Capacity))
                .col(string_null(Events::Category))
                .col(text_null(Events::PlaceName))
                .col(text_null(Events::StreetAddress))
                .col(text_null(Events::Locality))
                .col(text_null(Events::Region))
                .col(text_null(Events::PostalCode))
                .col(text_null(Events::Country))
                .col(double_null(Events::Latitude))
                .col(double_null(Events::Longitude))
                .col(text_null(Events::OnlineUrl))
                .col(big_integer_null(Events::OrganiserId))
                .col(string_null(Events::SeriesId))
                .col(text_null(Events::Rrule))
                .col(integer_null(Events::RemoteParticipantCount))
                .col(timestamp_with_time_zone(Events::UpdatedAt))
                .foreign_key(&mut fk(
                    (Events::Table, Events::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(Events::Table, Events::OrganiserId)
                        .to(Actors::Table, Actors::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_events_starts_at")
                .table(Events::Table)
                .col(Events::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EventParticipants::Table)
                .col(big_pk_auto(EventParticipants::Id))
                .col(big_integer(EventParticipants::EventId))
                .col(big_integer(EventParticipants::ActorId))
                .col(string(EventParticipants::State))
                .col(string(EventParticipants::Style))
                .col(text_null(EventParticipants::JoinApId))
                .col(text_null(EventParticipants::Message))
                .col(timestamp_with_time_zone(EventParticipants::CreatedAt))
                .col(timestamp_with_time_zone(EventParticipants::UpdatedAt))
                .foreign_key(&mut fk(
                    (EventParticipants::Table, EventParticipants::EventId),
                    (Posts::Table, Posts::Id),
                ))
                .foreign_key(&mut fk(
                    (EventParticipants::Table, EventParticipants::ActorId),
                    (Actors::Table, Actors::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_event_participants_event_actor")
                .table(EventParticipants::Table)
                .col(EventParticipants::EventId)
                .col(EventParticipants::ActorId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_event_participants_actor")
                .table(EventParticipants::Table)
                .col(EventParticipants::ActorId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EventParticipants::Table.into_iden(),
            Events::Table.into_iden(),
            OrganisationMembers::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Actors::Table)
                .drop_column(Actors::MembersPublic)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
