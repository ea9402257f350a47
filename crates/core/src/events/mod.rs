//! Events: posts with a time, a place and answers. An event is a row in `posts` (so it shows
//! in timelines, can be boosted, favourited and replied to from any Mastodon client) plus a
//! row in `events` with what makes it an event. The post's text is composed from the event
//! (name, localised date and place, registration link, description), because that is all a
//! microblog client shows; federation renders the structured `Event` from the `events` row.
//!
//! Local events are published by their host: an organisation (by its admins and moderators)
//! or a member on their own behalf. Remote events arrive through federation and are stored
//! the same way. Answers (RSVPs) are in [`rsvp`].

pub mod by_poll;
pub mod calendar;
mod listing;
mod remote;
pub mod rsvp;
pub mod series;
pub mod text;

pub use listing::{Filter, list};
pub use remote::{RemoteEvent, upsert_remote};

use crate::{
    Actor, Context, Post, content,
    error::{CoreError, CoreResult, OrNotFound},
    links::{self, Link, NewLink},
    organisations,
    outbox::{self, Intent},
    posts, streaming,
    texts::{Text, Version},
    visibility::Visibility,
};
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use passage_db::{
    Timestamp,
    entities::{events, posts as post_rows},
    now,
    queries::posts as pq,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};

pub type Event = events::Model;

/// Longest event name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Largest capacity an event may declare.
pub const MAX_CAPACITY: i64 = 1_000_000;

/// Mobilizon's categories and FEP-8a8e's additions, as both send them (upper case).
pub const CATEGORIES: [&str; 37] = [
    "ARTS",
    "AUTO_BOAT_AIR",
    "BOOK_CLUBS",
    "BUSINESS",
    "CAUSES",
    "CLIMATE_ENVIRONMENT",
    "COMEDY",
    "COMMUNITY",
    "CRAFTS",
    "CREATIVE_JAM",
    "DIY_MAKER_SPACES",
    "FAMILY_EDUCATION",
    "FASHION_BEAUTY",
    "FESTIVALS",
    "FILM_MEDIA",
    "FOOD_DRINK",
    "GAMES",
    "HEALTH",
    "INCLUSIVE_SPACES",
    "LANGUAGE_CULTURE",
    "LEARNING",
    "LGBTQ",
    "MEDITATION_WELLBEING",
    "MEETING",
    "MOVEMENTS_POLITICS",
    "MUSIC",
    "NETWORKING",
    "OUTDOORS_ADVENTURE",
    "PARTY",
    "PERFORMING_VISUAL_ARTS",
    "PETS",
    "PHOTOGRAPHY",
    "SCIENCE_TECH",
    "SPIRITUALITY_RELIGION_BELIEFS",
    "SPORTS",
    "THEATRE",
    "WORKSHOPS_SKILL_SHARING",
];

/// Whether the event takes place as planned (iCalendar's `STATUS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    Tentative,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Tentative => "tentative",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads our names and the iCalendar and schema.org ones peers send, in any case.
    pub fn parse(s: &str) -> CoreResult<Self> {
        match s
            .to_ascii_lowercase()
            .trim_start_matches("https://schema.org/")
        {
            "confirmed" | "eventscheduled" | "eventrescheduled" | "eventpostponed"
            | "eventmovedonline" => Ok(Self::Confirmed),
            "tentative" => Ok(Self::Tentative),
            "cancelled" | "canceled" | "eventcancelled" => Ok(Self::Cancelled),
            other => Err(CoreError::Invalid(format!(
                "status: {other:?} is not confirmed, tentative or cancelled"
            ))),
        }
    }
}

/// How people take part (FEP-8a8e `joinMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinMode {
    /// Anyone may join; a full event puts people on its waiting list.
    Free,
    /// The organisers accept or refuse each request.
    Restricted,
    /// Registration happens elsewhere (`external_url`).
    External,
    /// Nobody registers: the event is an announcement.
    None,
}

impl JoinMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Restricted => "restricted",
            Self::External => "external",
            Self::None => "none",
        }
    }

    /// Mobilizon's `invite` is read as restricted: the organisers decide.
    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "free" => Ok(Self::Free),
            "restricted" | "invite" => Ok(Self::Restricted),
            "external" => Ok(Self::External),
            "none" => Ok(Self::None),
            other => Err(CoreError::Invalid(format!(
                "join_mode: {other:?} is not free, restricted, external or none"
            ))),
        }
    }
}

/// A physical place. Every part is optional; a place needs at least a name or an address.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Place {
    pub name: Option<String>,
    pub street_address: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// What an organiser writes: a new event, or the whole of an event being changed.
#[derive(Clone, Debug, PartialEq)]
pub struct EventInput {
    pub name: String,
    /// Plain text, rendered like a post (links, hashtags).
    pub description: String,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
    /// IANA zone name, e.g. `Europe/Brussels`.
    pub timezone: String,
    pub status: Status,
    pub join_mode: JoinMode,
    pub external_url: Option<String>,
    pub capacity: Option<i64>,
    pub category: Option<String>,
    pub place: Place,
    pub online_url: Option<String>,
    pub language: Option<String>,
    pub visibility: Visibility,
    /// An upload of the organiser shown as the event's banner.
    pub banner_media_id: Option<i64>,
    /// An RFC 5545 `RRULE` (`FREQ=WEEKLY;COUNT=6`): publishes a series, one event per
    /// occurrence. Read when an event is created only.
    pub recurrence: Option<String>,
    /// The name and description in other languages than `language`.
    pub translations: Vec<Version>,
    /// Resources the event points to (FEP-e232 links), in order.
    pub resource_ids: Vec<i64>,
}

impl EventInput {
    /// A public, free event with nothing but a name and a time.
    pub fn new(name: &str, starts_at: Timestamp, timezone: &str) -> Self {
        Self {
            name: name.to_owned(),
            description: String::new(),
            starts_at,
            ends_at: None,
            timezone: timezone.to_owned(),
            status: Status::Confirmed,
            join_mode: JoinMode::Free,
            external_url: None,
            capacity: None,
            category: None,
            place: Place::default(),
            online_url: None,
            language: None,
            visibility: Visibility::Public,
            banner_media_id: None,
            recurrence: None,
            translations: Vec::new(),
            resource_ids: Vec::new(),
        }
    }

    /// Everything that can be checked without the database. Errors name the field.
    pub fn check(&mut self) -> CoreResult<()> {
        self.name = self.name.trim().to_owned();
        if self.name.is_empty() || self.name.chars().count() > MAX_NAME_CHARS {
            return Err(CoreError::Invalid(format!(
                "name: 1-{MAX_NAME_CHARS} characters"
            )));
        }
        if self.description.chars().count() > posts::MAX_CHARS {
            return Err(CoreError::Invalid(format!(
                "description: at most {} characters",
                posts::MAX_CHARS
            )));
        }
        zone(&self.timezone)?;
        if let Some(end) = self.ends_at
            && end <= self.starts_at
        {
            return Err(CoreError::Invalid(
                "ends_at: must be after starts_at".into(),
            ));
        }
        if let Some(capacity) = self.capacity
            && !(0..=MAX_CAPACITY).contains(&capacity)
        {
            return Err(CoreError::Invalid(format!(
                "capacity: between 0 and {MAX_CAPACITY}"
            )));
        }
        if let Some(category) = &mut self.category {
            *category = category.trim().to_ascii_uppercase();
            if !CATEGORIES.contains(&category.as_str()) {
                return Err(CoreError::Invalid(format!(
                    "category: one of {}",
                    CATEGORIES.join(", ")
                )));
            }
        }
        content::check_web_url("online_url", self.online_url.as_deref())?;
        if let Some(url) = &self.external_url
            && !url.starts_with("mailto:")
        {
            content::check_web_url("external_url", Some(url))?;
        }
        if self.join_mode == JoinMode::External && self.external_url.is_none() {
            return Err(CoreError::Invalid(
                "external_url: needed when join_mode is external".into(),
            ));
        }
        if self.visibility == Visibility::Direct {
            return Err(CoreError::Invalid(
                "visibility: an event is public, unlisted or private".into(),
            ));
        }
        let p = &self.place;
        if p.latitude.is_some_and(|l| !(-90.0..=90.0).contains(&l))
            || p.longitude.is_some_and(|l| !(-180.0..=180.0).contains(&l))
        {
            return Err(CoreError::Invalid(
                "place: latitude within ±90, longitude within ±180".into(),
            ));
        }
        Ok(())
    }
}

/// An IANA zone by name, or a clear error.
pub fn zone(name: &str) -> CoreResult<Tz> {
    name.parse::<Tz>()
        .map_err(|_| CoreError::Invalid(format!("timezone: {name:?} is not an IANA time zone")))
}

/// A time as clients send it: RFC 3339 with an offset, or a local date and time
/// (`2026-12-01T18:00`, with or without seconds) read in `timezone`.
pub fn parse_time(field: &str, text: &str, timezone: &str) -> CoreResult<Timestamp> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&chrono::Utc).fixed_offset());
    }
    let tz = zone(timezone)?;
    let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or_else(|| {
            CoreError::Invalid(format!(
                "{field}: {text:?} is not a date and time (2026-12-01T18:00 or RFC 3339)"
            ))
        })?;
    let at = tz.from_local_datetime(&local).earliest().ok_or_else(|| {
        CoreError::Invalid(format!("{field}: {text:?} does not exist in {timezone}"))
    })?;
    Ok(at.with_timezone(&chrono::Utc).fixed_offset())
}

/// An event with its post.
pub async fn get(ctx: &Context, post_id: i64) -> CoreResult<(Post, Event)> {
    let post = posts::by_id(ctx, post_id).await?;
    if post.deleted_at.is_some() {
        return Err(CoreError::NotFound);
    }
    let event = events::Entity::find_by_id(post_id)
        .one(&ctx.db)
        .await?
        .or_not_found()?;
    Ok((post, event))
}

/// The event rows of `post_ids` that are events.
pub async fn of_posts(db: &impl ConnectionTrait, post_ids: &[i64]) -> CoreResult<Vec<Event>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(events::Entity::find()
        .filter(events::Column::PostId.is_in(post_ids.iter().copied()))
        .all(db)
        .await?)
}

/// Publishes an event as `host`, written by `creator` (the host itself, or an admin or
/// moderator of the organisation `host`). With a `recurrence`, publishes the whole series, one
/// event per occurrence, and returns the first.
pub async fn create(
    ctx: &Context,
    creator: &Actor,
    host: &Actor,
    mut input: EventInput,
) -> CoreResult<(Post, Event)> {
    if !host.local {
        return Err(CoreError::Forbidden(
            "events are published from here".into(),
        ));
    }
    organisations::check_publisher(ctx, creator, host).await?;
    input.check()?;
    if input.language.is_none() {
        input.language = ctx.config.instance.languages.first().cloned();
    }
    let versions = versions(&input, input.language.as_deref())?;
    let links =
        links::to_resources(ctx, creator, host, input.visibility, &input.resource_ids).await?;
    let series = match &input.recurrence {
        Some(rule) => Some(series::expand(
            rule,
            input.starts_at,
            zone(&input.timezone)?,
        )?),
        None => None,
    };
    let series_id = series
        .as_ref()
        .map(|_| ctx.urls.event_series(&uuid::Uuid::now_v7().to_string()));
    let starts = series
        .as_ref()
        .map_or_else(|| vec![input.starts_at], |s| s.starts.clone());
    let length = input.ends_at.map(|end| end - input.starts_at);
    let txn = ctx.db.begin().await?;
    let banner = match input.banner_media_id {
        Some(media) => crate::media::for_new_post(&txn, creator, &[media]).await?,
        None => Vec::new(),
    };
    let mut created = Vec::with_capacity(starts.len());
    for (n, start) in starts.into_iter().enumerate() {
        let mut occurrence = input.clone();
        occurrence.starts_at = start;
        occurrence.ends_at = length.map(|l| start + l);
        let mut event = event_row(ctx.ids.next(), &occurrence, Some(creator.id), None, now());
        if let Some(s) = &series {
            event.series_id.clone_from(&series_id);
            event.rrule = Some(s.rule.clone());
            event.recurrence_id = Some(start);
        }
        // The banner goes with the first occurrence; an upload belongs to one post.
        let banner = if n == 0 { banner.clone() } else { Vec::new() };
        let written = Written {
            versions: &versions,
            links: &links,
        };
        created.push(insert(ctx, &txn, host, &occurrence, written, event, banner).await?);
    }
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream
        .publish(created.iter().map(|(p, _)| streaming::Event::Post(p.id)));
    created.into_iter().next().ok_or(CoreError::NotFound)
}

/// What an event says beyond its row, checked once for a whole series: its language
/// versions and its links.
#[derive(Clone, Copy)]
struct Written<'a> {
    versions: &'a [Version],
    links: &'a [NewLink],
}

/// Stores one new local event with its post, and queues its Create.
async fn insert(
    ctx: &Context,
    txn: &sea_orm::DatabaseTransaction,
    host: &Actor,
    input: &EventInput,
    written: Written<'_>,
    mut event: Event,
    banner: Vec<crate::media::Media>,
) -> CoreResult<(Post, Event)> {
    let language = input.language.clone();
    let ap_id = ctx.urls.new_event();
    let id = event.post_id;
    let (content, tags) = compose(
        ctx,
        &mut event,
        language.as_deref(),
        &ap_id,
        &input.description,
        written.links,
    );
    let post = post_rows::ActiveModel {
        id: Set(id),
        ap_id: Set(ap_id.clone()),
        author_id: Set(host.id),
        url: Set(Some(ap_id)),
        content: Set(content),
        source: Set(Some(input.description.clone())),
        summary: Set(None),
        sensitive: Set(false),
        language: Set(language),
        visibility: Set(input.visibility.as_str().to_owned()),
        in_reply_to_ap_id: Set(None),
        in_reply_to_id: Set(None),
        reblog_of_id: Set(None),
        local: Set(true),
        published_at: Set(event.updated_at),
        edited_at: Set(None),
        deleted_at: Set(None),
        thread_id: Set(Some(id)),
    }
    .insert(txn)
    .await?;
    let event = events::ActiveModel::from(event).insert(txn).await?;
    crate::texts::replace(txn, post.id, written.versions).await?;
    links::replace(txn, post.id, written.links).await?;
    pq::set_mentions_and_tags(txn, post.id, &[], &tags).await?;
    crate::media::attach(txn, banner, post.id).await?;
    outbox::record(txn, host.id, &Intent::CreatePost { post_id: post.id }).await?;
    Ok((post, event))
}

/// What an event holds now (with its language versions and links, as stored), as an input to
/// change: the API merges a client's changes into it.
pub fn input_of(post: &Post, event: &Event, texts: &[Text], links: &[Link]) -> EventInput {
    EventInput {
        name: event.name.clone(),
        description: post.source.clone().unwrap_or_default(),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        timezone: event.timezone.clone().unwrap_or_else(|| "UTC".into()),
        status: Status::parse(&event.status).unwrap_or(Status::Confirmed),
        join_mode: JoinMode::parse(&event.join_mode).unwrap_or(JoinMode::None),
        external_url: event.external_url.clone(),
        capacity: event.capacity.map(i64::from),
        category: event.category.clone(),
        place: Place {
            name: event.place_name.clone(),
            street_address: event.street_address.clone(),
            locality: event.locality.clone(),
            region: event.region.clone(),
            postal_code: event.postal_code.clone(),
            country: event.country.clone(),
            latitude: event.latitude,
            longitude: event.longitude,
        },
        online_url: event.online_url.clone(),
        language: post.language.clone(),
        visibility: Visibility::parse(&post.visibility).unwrap_or(Visibility::Public),
        banner_media_id: None,
        recurrence: None,
        translations: crate::texts::versions_of(texts.get(1..).unwrap_or_default()),
        resource_ids: links::resource_ids(links),
    }
}

/// Changes a local event; its followers and participants get an Update. A new start time
/// keeps the one before as `previous_starts_at` (FEP-8a8e's postponement). Seats freed by a
/// larger capacity go to the waiting list.
pub async fn update(
    ctx: &Context,
    by: &Actor,
    post_id: i64,
    mut input: EventInput,
) -> CoreResult<(Post, Event)> {
    let (post, before, host) = managed(ctx, by, post_id).await?;
    input.check()?;
    let previous = if input.starts_at != before.starts_at {
        Some(before.previous_starts_at.unwrap_or(before.starts_at))
    } else {
        before.previous_starts_at
    };
    let at = now();
    let mut event = event_row(post.id, &input, before.organiser_id, previous, at);
    event.sequence = before.sequence + 1;
    event.series_id = before.series_id;
    event.rrule = before.rrule;
    event.recurrence_id = before.recurrence_id;
    let language = input.language.clone().or(post.language.clone());
    let versions = versions(&input, language.as_deref())?;
    let links = links::to_resources(ctx, by, &host, input.visibility, &input.resource_ids).await?;
    let (content, tags) = compose(
        ctx,
        &mut event,
        language.as_deref(),
        &post.ap_id,
        &input.description,
        &links,
    );
    let txn = ctx.db.begin().await?;
    let mut row: post_rows::ActiveModel = post.into();
    row.content = Set(content);
    row.source = Set(Some(input.description.clone()));
    row.language = Set(language);
    row.visibility = Set(input.visibility.as_str().to_owned());
    row.edited_at = Set(Some(at));
    let post = row.update(&txn).await?;
    let event = events::ActiveModel::from(event)
        .reset_all()
        .update(&txn)
        .await?;
    crate::texts::replace(&txn, post.id, &versions).await?;
    links::replace(&txn, post.id, &links).await?;
    pq::set_mentions_and_tags(&txn, post.id, &[], &tags).await?;
    let seated = rsvp::fill_seats(&txn, &host, &event).await?;
    outbox::record(&txn, host.id, &Intent::UpdatePost { post_id: post.id }).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    by_poll::tell_seated(ctx, post.id, &seated).await;
    ctx.stream.publish([streaming::Event::Edited(post.id)]);
    Ok((post, event))
}

/// Cancels a local event. It stays visible, marked cancelled, and everyone who follows the
/// host or answered the event hears about it.
pub async fn cancel(ctx: &Context, by: &Actor, post_id: i64) -> CoreResult<(Post, Event)> {
    let (post, event, _) = managed(ctx, by, post_id).await?;
    let texts = crate::texts::of_post(&ctx.db, post_id).await?;
    let links = links::of_post(&ctx.db, post_id).await?;
    let mut input = input_of(&post, &event, &texts, &links);
    input.status = Status::Cancelled;
    update(ctx, by, post_id, input).await
}

/// Deletes a local event: its post becomes a tombstone and recipients get a Delete.
pub async fn delete(ctx: &Context, by: &Actor, post_id: i64) -> CoreResult<()> {
    let (post, _, host) = managed(ctx, by, post_id).await?;
    let txn = ctx.db.begin().await?;
    posts::tombstone(&txn, post).await?;
    outbox::record(&txn, host.id, &Intent::DeletePost { post_id }).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish([streaming::Event::Deleted(post_id)]);
    Ok(())
}

/// A local event `by` may manage, with its host.
pub async fn managed(ctx: &Context, by: &Actor, post_id: i64) -> CoreResult<(Post, Event, Actor)> {
    let (post, event) = get(ctx, post_id).await?;
    let host = crate::accounts::by_id(ctx, post.author_id).await?;
    if !post.local {
        return Err(CoreError::Forbidden(
            "this event is managed on its own server".into(),
        ));
    }
    organisations::check_publisher(ctx, by, &host).await?;
    Ok((post, event, host))
}

fn event_row(
    post_id: i64,
    input: &EventInput,
    organiser_id: Option<i64>,
    previous_starts_at: Option<Timestamp>,
    at: Timestamp,
) -> Event {
    let p = &input.place;
    Event {
        post_id,
        name: input.name.clone(),
        description: String::new(),
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        timezone: Some(input.timezone.clone()),
        status: input.status.as_str().to_owned(),
        previous_starts_at,
        join_mode: input.join_mode.as_str().to_owned(),
        external_url: input.external_url.clone(),
        capacity: input.capacity.map(|c| c as i32),
        category: input.category.clone(),
        place_name: p.name.clone(),
        street_address: p.street_address.clone(),
        locality: p.locality.clone(),
        region: p.region.clone(),
        postal_code: p.postal_code.clone(),
        country: p.country.clone(),
        latitude: p.latitude,
        longitude: p.longitude,
        online_url: input.online_url.clone(),
        organiser_id,
        series_id: None,
        rrule: None,
        remote_participant_count: None,
        updated_at: at,
        sequence: 0,
        recurrence_id: None,
    }
}

/// Every language version of an event, primary first, checked; none when it has one language.
fn versions(input: &EventInput, language: Option<&str>) -> CoreResult<Vec<Version>> {
    if input.translations.is_empty() {
        return Ok(Vec::new());
    }
    let mut all = vec![Version {
        language: language.unwrap_or("en").to_owned(),
        title: input.name.clone(),
        description: input.description.clone(),
    }];
    all.extend(input.translations.iter().cloned());
    crate::texts::check(&mut all, "name")?;
    Ok(all)
}

/// The post text and hashtags of a local event; `event.description` gets the rendered HTML.
/// Linked resources close the text, one per line, so microblog readers see them too.
fn compose(
    ctx: &Context,
    event: &mut Event,
    language: Option<&str>,
    page: &str,
    description: &str,
    links: &[NewLink],
) -> (String, Vec<String>) {
    event.description = content::render_plain(description, &[], &ctx.urls.tag(""));
    let mut text = text::status_html(event, language.unwrap_or("en"), page, &event.description);
    text.push_str(&links::lines_html(
        links.iter().map(|l| (l.href.as_str(), l.name.as_deref())),
    ));
    (text, content::hashtags_in(description))
}
