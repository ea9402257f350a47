//! Events as ActivityPub `Event`s: a superset of FEP-8a8e and Mobilizon's vocabulary, so
//! Mobilizon, Gancio-style and FEP readers all find what they look for, plus a localised
//! human-readable `summary` (date, place, online address, where to register) because
//! Mastodon shows only `name`, `summary` and a link. Incoming events are read leniently
//! (see `protocol::event`) into `core::events`.

use crate::{
    FederationData, FederationError,
    objects::{actor, note::ReadPost},
    protocol::{
        event::web_url,
        note::{Attachment, NoteDocument},
    },
};
use chrono::TimeZone;
use passage_core::{
    Context, Post,
    events::{self, Event, JoinMode, RemoteEvent, Status, rsvp, text},
};
use serde_json::{Value, json};

/// Turns the document of an event's post into its `Event`.
pub async fn set_event(
    ctx: &Context,
    note: &mut NoteDocument,
    post: &Post,
    event: &Event,
) -> Result<(), FederationError> {
    let language = post.language.clone().unwrap_or_else(|| "en".into());
    let page = post.url.clone().unwrap_or_else(|| post.ap_id.clone());
    let tz = text::zone(event);
    let local_time = |t: passage_db::Timestamp| tz.from_utc_datetime(&t.naive_utc()).fixed_offset();
    let status = Status::parse(&event.status).unwrap_or(Status::Confirmed);
    let going = rsvp::going_counts(&ctx.db, &[post.id]).await?;
    let going = going.first().map_or(0, |(_, n)| *n);
    note.kind = "Event".into();
    note.name = Some(event.name.clone());
    note.content = event.description.clone();
    note.content_map = Some(
        [(language.clone(), event.description.clone())]
            .into_iter()
            .collect(),
    );
    // Linked resources close the summary, which is what Mastodon shows.
    let links = passage_core::links::of_post(&ctx.db, post.id).await?;
    let lines =
        passage_core::links::lines_html(links.iter().map(|l| (l.href.as_str(), l.name.as_deref())));
    note.summary = Some(text::summary_html(event, &language, &page) + &lines);
    // Written in several languages: every version, primary first.
    let texts = passage_core::texts::of_post(&ctx.db, post.id).await?;
    if texts.len() > 1 {
        let tag_base = ctx.urls.tag("");
        note.name_map = Some(
            texts
                .iter()
                .map(|t| (t.language.clone(), t.title.clone()))
                .collect(),
        );
        note.content_map = Some(
            texts
                .iter()
                .map(|t| {
                    let html = passage_core::content::render_plain(&t.description, &[], &tag_base);
                    (t.language.clone(), html)
                })
                .collect(),
        );
        note.summary_map = Some(
            texts
                .iter()
                .map(|t| {
                    let named = Event {
                        name: t.title.clone(),
                        ..event.clone()
                    };
                    (
                        t.language.clone(),
                        text::summary_html(&named, &t.language, &page) + &lines,
                    )
                })
                .collect(),
        );
    }
    note.end_time = event.ends_at.map(local_time);
    if let Some(banner) = note.attachment.iter_mut().find(|a| {
        a.media_type
            .as_deref()
            .is_some_and(|m| m.starts_with("image/"))
    }) {
        banner.name.get_or_insert_with(|| "Banner".into());
    }
    if let Some(online) = &event.online_url {
        note.attachment.push(Attachment {
            kind: "Link".into(),
            media_type: Some("text/html".into()),
            url: Value::Null,
            href: Some(online.clone()),
            name: Some("Website".into()),
            blurhash: None,
            focal_point: None,
            width: None,
            height: None,
        });
    }
    let place = place_of(event);
    let location = match (&place, &event.online_url) {
        // Mobilizon reads one `Place`; the online address of a hybrid event travels as the
        // "Website" link above.
        (Some(place), _) => Some(place.clone()),
        (None, Some(online)) => Some(json!({
            "type": "VirtualLocation", "name": event.name, "url": online
        })),
        (None, None) => None,
    };
    let f = &mut note.event;
    f.start_time = Some(local_time(event.starts_at));
    f.timezone = event.timezone.clone();
    f.location = location;
    f.status = Some(event.status.to_ascii_uppercase());
    f.ical_status = f.status.clone();
    f.event_status = Some(
        match (status, event.previous_starts_at) {
            (Status::Cancelled, _) => "https://schema.org/EventCancelled",
            (_, Some(_)) => "https://schema.org/EventRescheduled",
            _ => "https://schema.org/EventScheduled",
        }
        .into(),
    );
    f.previous_start_time = event.previous_starts_at.map(local_time);
    f.join_mode = Some(event.join_mode.clone());
    f.external_participation_url = event.external_url.clone();
    f.maximum_attendee_capacity = event.capacity.map(i64::from);
    f.remaining_attendee_capacity = event.capacity.map(|c| (i64::from(c) - going).max(0));
    f.participant_count = Some(going);
    f.category = event.category.clone();
    f.is_online = Some(place.is_none() && event.online_url.is_some());
    f.in_language = Some(language);
    f.uuid = post.ap_id.rsplit('/').next().map(str::to_owned);
    f.organizers = Some(json!([note.attributed_to.author()]));
    f.anonymous_participation_enabled = Some(false);
    f.replies_moderation_option = Some("allow_all".into());
    f.comments_enabled = Some(true);
    f.draft = Some(false);
    note.url = Some(Value::String(page));
    note.context = event.series_id.clone().map(Value::String);
    Ok(())
}

fn place_of(event: &Event) -> Option<Value> {
    let any = [
        &event.place_name,
        &event.street_address,
        &event.locality,
        &event.region,
        &event.postal_code,
        &event.country,
    ]
    .iter()
    .any(|p| p.is_some())
        || event.latitude.is_some();
    any.then(|| {
        json!({
            "type": "Place",
            "name": event.place_name.clone().or_else(|| text::place(event)),
            "address": {
                "type": "PostalAddress",
                "streetAddress": event.street_address,
                "addressLocality": event.locality,
                "addressRegion": event.region,
                "postalCode": event.postal_code,
                "addressCountry": event.country,
            },
            "latitude": event.latitude,
            "longitude": event.longitude,
        })
    })
}

/// Stores a remote `Event`. Its host is the `attributedTo` actor (a Mobilizon group, say);
/// Mobilizon's `actor` (the organiser) is kept when it is on the same server.
pub async fn receive(
    json: NoteDocument,
    read: ReadPost,
    data: &FederationData,
) -> Result<Post, FederationError> {
    let f = &json.event;
    let starts_at = f
        .start_time
        .ok_or_else(|| FederationError::BadRequest("an Event needs a startTime".into()))?;
    let ends_at = json.end_time.filter(|end| *end > starts_at);
    let timezone = f.timezone.clone().filter(|tz| events::zone(tz).is_ok());
    let status = f
        .any_status()
        .and_then(|s| Status::parse(s).ok())
        .unwrap_or(Status::Confirmed);
    let join_mode = f
        .join_mode
        .as_deref()
        .and_then(|m| JoinMode::parse(m).ok())
        .unwrap_or(JoinMode::Free);
    let place = f.place().unwrap_or_default();
    let online = f.virtual_location().or_else(|| {
        json.attachment
            .iter()
            .filter(|a| a.kind == "Link")
            .find_map(|a| web_url(a.href.as_ref().map(|h| Value::String(h.clone())).as_ref()))
    });
    let organiser = match &f.actor {
        Some(id) if id.origin() == json.id.origin() && *id != json.id => {
            actor::resolve(id.as_str(), data).await.ok()
        }
        _ => None,
    };
    let capacity = f
        .maximum_attendee_capacity
        .filter(|c| (1..=events::MAX_CAPACITY).contains(c))
        .map(|c| c as i32);
    let name: String = json
        .name
        .clone()
        .unwrap_or_default()
        .chars()
        .take(events::MAX_NAME_CHARS)
        .collect();
    let mut post = read.post;
    // An Event's summary is its date-and-place line, not a content warning (Mastodon reads
    // it the same way); our own line is composed in core.
    post.summary = None;
    post.language = post
        .language
        .or_else(|| f.in_language.clone())
        .filter(|l| l.len() <= 16);
    let event = Event {
        post_id: 0,
        name,
        description: String::new(),
        starts_at,
        ends_at,
        timezone,
        status: status.as_str().into(),
        previous_starts_at: f.previous_start_time,
        join_mode: join_mode.as_str().into(),
        external_url: f.external_participation_url.clone().filter(|u| {
            u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:")
        }),
        capacity,
        category: f
            .category
            .as_ref()
            .map(|c| c.to_ascii_uppercase())
            .filter(|c| events::CATEGORIES.contains(&c.as_str())),
        place_name: place.name,
        street_address: place.street_address,
        locality: place.locality,
        region: place.region,
        postal_code: place.postal_code,
        country: place.country,
        latitude: place.latitude,
        longitude: place.longitude,
        online_url: online,
        organiser_id: None,
        series_id: None,
        rrule: None,
        remote_participant_count: f
            .participant_count
            .map(|n| n.clamp(0, i64::from(i32::MAX)) as i32),
        updated_at: passage_db::now(),
        sequence: 0,
        recurrence_id: None,
    };
    let remote = RemoteEvent { post, event };
    let (post, _) = events::upsert_remote(data, &read.author, organiser.as_ref(), remote).await?;
    Ok(post)
}
