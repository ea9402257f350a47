//! Events from other servers: stored like ours, their text composed the same way, and
//! refreshed in place when their host sends an Update.

use super::{Event, text};
use crate::{
    Actor, Context, Post, content,
    error::{CoreError, CoreResult},
    posts::{self, RemotePost},
};
use passage_db::{entities::events, now};
use sea_orm::{ActiveModelTrait, EntityTrait};

/// An event from another server, already checked for origin by federation.
#[derive(Clone, Debug)]
pub struct RemoteEvent {
    pub post: RemotePost,
    /// The event's fields; `post_id`, `organiser_id` and `updated_at` are set here.
    pub event: Event,
}

/// Stores or refreshes a remote event and its post. Only the host (the post's author) may
/// change it.
pub async fn upsert_remote(
    ctx: &Context,
    host: &Actor,
    organiser: Option<&Actor>,
    mut remote: RemoteEvent,
) -> CoreResult<(Post, Event)> {
    let language = remote.post.language.clone().unwrap_or_else(|| "en".into());
    let page = remote
        .post
        .url
        .clone()
        .unwrap_or_else(|| remote.post.ap_id.clone());
    let description = content::sanitize(&remote.post.content_html);
    remote.post.content_html = text::status_html(&remote.event, &language, &page, &description);
    let post = posts::upsert_remote(ctx, host, remote.post).await?;
    if post.deleted_at.is_some() {
        return Err(CoreError::NotFound);
    }
    let mut event = remote.event;
    event.post_id = post.id;
    event.description = description;
    event.organiser_id = organiser.map(|a| a.id);
    event.updated_at = now();
    let row = events::ActiveModel::from(event.clone()).reset_all();
    events::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(events::Column::PostId)
                .update_columns(EVENT_COLUMNS)
                // Calendars that already hold the event take the refresh as a change.
                .value(
                    events::Column::Sequence,
                    sea_orm::sea_query::ExprTrait::add(
                        sea_orm::sea_query::Expr::col((events::Entity, events::Column::Sequence)),
                        1,
                    ),
                )
                .to_owned(),
        )
        .exec(&ctx.db)
        .await?;
    Ok((post, event))
}

/// Every column a refresh of a remote event rewrites.
const EVENT_COLUMNS: [events::Column; 25] = [
    events::Column::Name,
    events::Column::Description,
    events::Column::StartsAt,
    events::Column::EndsAt,
    events::Column::Timezone,
    events::Column::Status,
    events::Column::PreviousStartsAt,
    events::Column::JoinMode,
    events::Column::ExternalUrl,
    events::Column::Capacity,
    events::Column::Category,
    events::Column::PlaceName,
    events::Column::StreetAddress,
    events::Column::Locality,
    events::Column::Region,
    events::Column::PostalCode,
    events::Column::Country,
    events::Column::Latitude,
    events::Column::Longitude,
    events::Column::OnlineUrl,
    events::Column::OrganiserId,
    events::Column::SeriesId,
    events::Column::Rrule,
    events::Column::RemoteParticipantCount,
    events::Column::UpdatedAt,
];
