//! Events from other servers: stored like ours, their text composed the same way, and
//! refreshed in place when their host sends an Update.

use super::{Event, text};
use crate::{
    Actor, Context, Post, content,
    error::{CoreError, CoreResult},
    posts::{self, RemotePost},
};
use passage_db::{entities::events, now};
use sea_orm::{ActiveModelTrait, EntityTrait, TransactionTrait};

/// An event from another server, already checked for origin by federation.
#[derive(Clone, Debug)]
pub struct RemoteEvent {
    pub post: RemotePost,
    /// The event's fields; `post_id`, `organiser_id` and `updated_at` are set here.
    pub event: Event,
}

/// Stores or refreshes a remote event and its post, together. Only the host (the post's
/// author) may change it.
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
    // The post and its event in one transaction: a crash cannot leave one without the other.
    let Ok(prepared) = posts::prepare_remote(ctx, host, remote.post).await? else {
        return Err(CoreError::NotFound);
    };
    let txn = ctx.db.begin().await?;
    let (post, live) = prepared.write(&txn).await?;
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
        .exec(&txn)
        .await?;
    txn.commit().await?;
    ctx.stream.publish(live);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        accounts::{self, ActorKind, RemoteActor},
        testing::context,
        visibility::Visibility,
    };

    #[tokio::test]
    async fn an_event_that_cannot_be_stored_leaves_no_post() {
        let ctx = context().await;
        let host = accounts::upsert_remote(
            &ctx,
            RemoteActor {
                ap_id: "https://mobilizon.example/@picnics".into(),
                kind: ActorKind::Group,
                username: "picnics".into(),
                display_name: "Picnics".into(),
                summary_html: String::new(),
                inbox: "https://mobilizon.example/inbox".into(),
                shared_inbox: None,
                outbox: None,
                followers: None,
                following: None,
                url: None,
                public_key_pem: String::new(),
                locked: false,
                avatar_url: None,
                header_url: None,
                fields: Vec::new(),
                also_known_as: Vec::new(),
                says_moved: false,
                discoverable: true,
            },
        )
        .await
        .unwrap();
        // An organiser the database does not hold: the event's row cannot be written.
        let ghost = Actor {
            id: host.id + 1000,
            ..host.clone()
        };
        let ap_id = "https://mobilizon.example/events/1";
        let post = RemotePost {
            ap_id: ap_id.into(),
            url: None,
            content_html: "<p>Bring food</p>".into(),
            summary: None,
            sensitive: false,
            language: Some("en".into()),
            visibility: Visibility::Public,
            in_reply_to_ap_id: None,
            published: now(),
            edited: None,
            mentions: Vec::new(),
            tags: Vec::new(),
            media: Vec::new(),
            poll: None,
            emojis: Vec::new(),
            links: Vec::new(),
        };
        let input = super::super::EventInput::new("Picnic", now(), "Europe/Brussels");
        let event = super::super::event_row(0, &input, None, None, now());
        let stored = upsert_remote(&ctx, &host, Some(&ghost), RemoteEvent { post, event }).await;
        assert!(stored.is_err(), "{stored:?}");
        let post = crate::posts::by_ap_id(&ctx, ap_id).await.unwrap();
        assert!(
            post.is_none(),
            "a post without its event was left: {post:?}"
        );
    }
}
