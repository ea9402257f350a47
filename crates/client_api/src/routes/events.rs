//! Passage's extension API for events, under `/api/passage/v1/events` (documented in the
//! README). Mastodon clients see events as statuses already; these endpoints give the rest:
//! the structured event, creating and changing it, answering it, and for organisers the
//! participants and waiting list.

use super::{account, accounts, id};
use crate::{
    ApiError, ApiResult, ApiState,
    auth::{Auth, User},
    entities::time,
    params::{Params, de, opt},
};
use axum::{
    Json, Router,
    extract::{Path, Query, State},
    routing::{get, post},
};
use passage_core::{
    Actor, Post, accounts as core_accounts,
    events::{self, Event, EventInput, JoinMode, Place, Status, rsvp},
    links,
    texts::{self, Version},
    visibility::Visibility,
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/passage/v1/events", get(list).post(create))
        .route(
            "/api/passage/v1/events/{id}",
            get(show).patch(update).put(update).delete(delete),
        )
        .route("/api/passage/v1/events/{id}/cancel", post(cancel))
        .route("/api/passage/v1/events/{id}/join", post(join))
        .route("/api/passage/v1/events/{id}/leave", post(leave))
        .route(
            "/api/passage/v1/events/{id}/participants",
            get(participants),
        )
        .route(
            "/api/passage/v1/events/{id}/waiting_list",
            get(waiting_list),
        )
        .route(
            "/api/passage/v1/events/{id}/participants/{account_id}/accept",
            post(accept),
        )
        .route(
            "/api/passage/v1/events/{id}/participants/{account_id}/reject",
            post(reject),
        )
}

/// The event entity: everything about an event, with the viewer's own answer.
async fn event_json(
    state: &ApiState,
    viewer: Option<&Actor>,
    post: &Post,
    event: &Event,
) -> ApiResult<Value> {
    let ctx = &state.ctx;
    let host = core_accounts::by_id(ctx, post.author_id).await?;
    let going = if post.local {
        rsvp::going_counts(&ctx.db, &[post.id])
            .await?
            .first()
            .map_or(0, |(_, n)| *n)
    } else {
        i64::from(event.remote_participant_count.unwrap_or(0))
    };
    let mine = match viewer {
        Some(v) => rsvp::states_of(&ctx.db, v.id, &[post.id])
            .await?
            .first()
            .map(|(_, s)| s.as_str()),
        None => None,
    };
    let place = events::text::place(event).map(|line| {
        json!({
            "name": event.place_name,
            "street_address": event.street_address,
            "locality": event.locality,
            "region": event.region,
            "postal_code": event.postal_code,
            "country": event.country,
            "latitude": event.latitude,
            "longitude": event.longitude,
            "text": line,
        })
    });
    Ok(json!({
        "id": post.id.to_string(),
        "status_id": post.id.to_string(),
        "uri": post.ap_id,
        "url": post.url.clone().unwrap_or_else(|| post.ap_id.clone()),
        "name": event.name,
        "description": event.description,
        "description_source": post.source,
        "starts_at": time(&event.starts_at),
        "ends_at": event.ends_at.as_ref().map(time),
        "timezone": event.timezone,
        "when": events::text::when(event, post.language.as_deref().unwrap_or("en")),
        "status": event.status,
        "previous_starts_at": event.previous_starts_at.as_ref().map(time),
        "join_mode": event.join_mode,
        "external_url": event.external_url,
        "capacity": event.capacity,
        "participants_count": going,
        "remaining_capacity": event.capacity.map(|c| (i64::from(c) - going).max(0)),
        "category": event.category,
        "place": place,
        "online_url": event.online_url,
        "language": post.language,
        "visibility": post.visibility,
        "local": post.local,
        "host": account(state, host).await?,
        "rsvp": mine,
        "versions": texts::of_post(&ctx.db, post.id).await?.iter().map(|t| json!({
            "language": t.language, "name": t.title, "description": t.description,
        })).collect::<Vec<_>>(),
        "resources": linked(state, viewer, post).await?,
        "series_id": event.series_id,
        "recurrence": event.rrule,
        // "Add to calendar": this event alone, as iCalendar.
        "ics_url": post.local.then(|| format!("{}/ics", post.ap_id)),
    }))
}

/// What an event links to (FEP-e232) that the viewer may see: the address, its text, and the
/// status it names when that is stored here.
async fn linked(state: &ApiState, viewer: Option<&Actor>, post: &Post) -> ApiResult<Vec<Value>> {
    let links = links::of_post(&state.ctx.db, post.id).await?;
    Ok(links::visible_to(&state.ctx, viewer, links)
        .await?
        .into_iter()
        .map(|(link, target)| {
            json!({
                "url": link.href,
                "title": link.name,
                "status_id": target.map(|t| t.id.to_string()),
            })
        })
        .collect())
}

#[derive(Deserialize, Default)]
struct EventForm {
    /// Username of the organisation publishing the event (the member themselves if absent).
    host: Option<String>,
    name: Option<String>,
    description: Option<String>,
    starts_at: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    ends_at: Option<String>,
    timezone: Option<String>,
    status: Option<String>,
    join_mode: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    external_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    capacity: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    category: Option<String>,
    place: Option<PlaceForm>,
    #[serde(default, deserialize_with = "de::opt_string")]
    online_url: Option<String>,
    language: Option<String>,
    visibility: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    banner_id: Option<String>,
    /// An RFC 5545 `RRULE`, when creating a series.
    recurrence: Option<String>,
    /// The name and description in other languages (all of them: what is sent replaces).
    #[serde(default, deserialize_with = "de::opt_items")]
    translations: Option<Vec<TranslationForm>>,
    /// Resources the event points to (all of them: what is sent replaces).
    #[serde(default, deserialize_with = "de::opt_list")]
    resource_ids: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
struct TranslationForm {
    language: Option<String>,
    name: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize, Default)]
struct PlaceForm {
    name: Option<String>,
    street_address: Option<String>,
    locality: Option<String>,
    region: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    latitude: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    longitude: Option<String>,
}

fn number<T: std::str::FromStr>(field: &str, s: Option<String>) -> ApiResult<Option<T>> {
    opt(s)
        .map(|s| {
            s.parse()
                .map_err(|_| ApiError::invalid(format!("{field}: {s:?} is not a number")))
        })
        .transpose()
}

impl EventForm {
    /// Applies the fields given onto `input` (a new event's defaults, or an event as it is).
    fn apply(self, input: &mut EventInput) -> ApiResult<()> {
        if let Some(tz) = opt(self.timezone) {
            input.timezone = tz;
        }
        let tz = input.timezone.clone();
        if let Some(name) = self.name {
            input.name = name;
        }
        if let Some(description) = self.description {
            input.description = description;
        }
        if let Some(start) = opt(self.starts_at) {
            input.starts_at = events::parse_time("starts_at", &start, &tz)?;
        }
        if let Some(end) = self.ends_at {
            input.ends_at = match opt(Some(end)) {
                Some(end) => Some(events::parse_time("ends_at", &end, &tz)?),
                None => None,
            };
        }
        if let Some(status) = self.status {
            input.status = Status::parse(&status)?;
        }
        if let Some(mode) = self.join_mode {
            input.join_mode = JoinMode::parse(&mode)?;
        }
        if let Some(url) = self.external_url {
            input.external_url = opt(Some(url));
        }
        if let Some(capacity) = self.capacity {
            input.capacity = number("capacity", Some(capacity))?;
        }
        if let Some(category) = self.category {
            input.category = opt(Some(category));
        }
        if let Some(p) = self.place {
            input.place = Place {
                name: opt(p.name),
                street_address: opt(p.street_address),
                locality: opt(p.locality),
                region: opt(p.region),
                postal_code: opt(p.postal_code),
                country: opt(p.country),
                latitude: number("place[latitude]", p.latitude)?,
                longitude: number("place[longitude]", p.longitude)?,
            };
        }
        if let Some(url) = self.online_url {
            input.online_url = opt(Some(url));
        }
        if let Some(language) = opt(self.language) {
            input.language = Some(language);
        }
        if let Some(visibility) = self.visibility {
            input.visibility = Visibility::parse(&visibility)?;
        }
        input.banner_media_id = number("banner_id", self.banner_id)?;
        input.recurrence = opt(self.recurrence);
        if let Some(translations) = self.translations {
            input.translations = translations
                .into_iter()
                .enumerate()
                .map(|(n, t)| {
                    Ok(Version {
                        language: opt(t.language).ok_or_else(|| {
                            ApiError::invalid(format!("translations[{n}][language]: required"))
                        })?,
                        title: t.name.unwrap_or_default(),
                        description: t.description.unwrap_or_default(),
                    })
                })
                .collect::<ApiResult<_>>()?;
        }
        if let Some(ids) = self.resource_ids {
            input.resource_ids = ids.iter().map(|r| id(r)).collect::<ApiResult<_>>()?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct ListQuery {
    host: Option<String>,
    category: Option<String>,
    language: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
}

/// Upcoming public events, soonest first: all known, or one host's, category's or language's.
async fn list(
    State(state): State<ApiState>,
    auth: Auth,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let ctx = &state.ctx;
    let host_id = match &q.host {
        Some(handle) => Some(host_by_handle(&state, handle).await?.id),
        None => None,
    };
    let filter = events::Filter {
        host_id,
        category: q.category,
        language: q.language,
        local_only: q.local.unwrap_or(false),
        after: Some(passage_db::now()),
    };
    let limit = q.limit.unwrap_or(40).clamp(1, 200) as u64;
    let viewer = auth.viewer("read:statuses")?;
    let mut out = Vec::new();
    for (post, event) in events::list(ctx, &filter, limit).await? {
        out.push(event_json(&state, viewer, &post, &event).await?);
    }
    Ok(Json(out))
}

/// A host named as `user` (local) or `user@domain` (known remote).
async fn host_by_handle(state: &ApiState, handle: &str) -> ApiResult<Actor> {
    let handle = handle.trim_start_matches('@');
    match handle.split_once('@') {
        Some((user, domain)) if domain != state.ctx.domain() => {
            core_accounts::remote_by_handle(&state.ctx, user, domain)
                .await?
                .ok_or_else(ApiError::not_found)
        }
        Some((user, _)) => Ok(core_accounts::local_by_username(&state.ctx, user).await?),
        None => Ok(core_accounts::local_by_username(&state.ctx, handle).await?),
    }
}

async fn create(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<EventForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    let host = match opt(form.host.clone()) {
        Some(name) => core_accounts::local_by_username(&state.ctx, &name).await?,
        None => me.clone(),
    };
    let timezone = opt(form.timezone.clone()).ok_or_else(|| {
        ApiError::invalid("timezone: required (an IANA zone such as Europe/Brussels)")
    })?;
    let start =
        opt(form.starts_at.clone()).ok_or_else(|| ApiError::invalid("starts_at: required"))?;
    let starts_at = events::parse_time("starts_at", &start, &timezone)?;
    let mut input = EventInput::new("", starts_at, &timezone);
    form.apply(&mut input)?;
    let (post, event) = events::create(&state.ctx, me, &host, input).await?;
    Ok(Json(event_json(&state, Some(me), &post, &event).await?))
}

async fn show(
    State(state): State<ApiState>,
    auth: Auth,
    Path(event_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = auth.viewer("read:statuses")?;
    let (post, event) = events::get(&state.ctx, id(&event_id)?).await?;
    if !passage_core::posts::can_view(&state.ctx, viewer, &post).await? {
        return Err(ApiError::not_found());
    }
    Ok(Json(event_json(&state, viewer, &post, &event).await?))
}

async fn update(
    State(state): State<ApiState>,
    user: User,
    Path(event_id): Path<String>,
    Params(form): Params<EventForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    let (post, event, _) = events::managed(&state.ctx, me, id(&event_id)?).await?;
    let texts = texts::of_post(&state.ctx.db, post.id).await?;
    let links = links::of_post(&state.ctx.db, post.id).await?;
    let mut input = events::input_of(&post, &event, &texts, &links);
    form.apply(&mut input)?;
    if input.recurrence.is_some() {
        return Err(ApiError::invalid(
            "recurrence: a series is set when it is created; change its occurrences one by one",
        ));
    }
    let (post, event) = events::update(&state.ctx, me, post.id, input).await?;
    Ok(Json(event_json(&state, Some(me), &post, &event).await?))
}

async fn cancel(
    State(state): State<ApiState>,
    user: User,
    Path(event_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    let (post, event) = events::cancel(&state.ctx, me, id(&event_id)?).await?;
    Ok(Json(event_json(&state, Some(me), &post, &event).await?))
}

async fn delete(
    State(state): State<ApiState>,
    user: User,
    Path(event_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    events::delete(&state.ctx, me, id(&event_id)?).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize, Default)]
struct JoinForm {
    message: Option<String>,
    /// "Maybe": interested, without taking a seat.
    #[serde(default, deserialize_with = "de::opt_bool")]
    maybe: Option<bool>,
}

async fn join(
    State(state): State<ApiState>,
    user: User,
    Path(event_id): Path<String>,
    Params(form): Params<JoinForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    let post_id = id(&event_id)?;
    let (post, _) = events::get(&state.ctx, post_id).await?;
    if !passage_core::posts::can_view(&state.ctx, Some(me), &post).await? {
        return Err(ApiError::not_found());
    }
    let answer = rsvp::Answer {
        going: !form.maybe.unwrap_or(false),
        message: opt(form.message),
        ..rsvp::Answer::local()
    };
    let state_now = rsvp::answer(&state.ctx, me, post_id, answer).await?;
    Ok(Json(json!({ "rsvp": state_now.as_str() })))
}

async fn leave(
    State(state): State<ApiState>,
    user: User,
    Path(event_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    rsvp::leave(&state.ctx, me, id(&event_id)?).await?;
    Ok(Json(json!({ "rsvp": null })))
}

async fn participant_list(
    state: &ApiState,
    user: &User,
    event_id: &str,
    only: Option<rsvp::State>,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require("read:statuses")?;
    let rows = rsvp::participants(&state.ctx, me, id(event_id)?).await?;
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|(_, p)| only.is_none_or(|s| p.state == s.as_str()))
        .collect();
    let shown = accounts(state, rows.iter().map(|(a, _)| a.clone()).collect()).await?;
    Ok(Json(
        rows.iter()
            .zip(shown)
            .map(|((_, p), account)| {
                json!({
                    "account": account,
                    "rsvp": p.state,
                    "message": p.message,
                    "created_at": time(&p.created_at),
                })
            })
            .collect(),
    ))
}

/// Everyone who answered, in the order they did: organisers only.
async fn participants(
    State(state): State<ApiState>,
    user: User,
    Path(event_id): Path<String>,
) -> ApiResult<Json<Vec<Value>>> {
    participant_list(&state, &user, &event_id, None).await
}

/// Those waiting for a seat, first in line first: organisers only.
async fn waiting_list(
    State(state): State<ApiState>,
    user: User,
    Path(event_id): Path<String>,
) -> ApiResult<Json<Vec<Value>>> {
    participant_list(&state, &user, &event_id, Some(rsvp::State::Waiting)).await
}

async fn decide(
    state: &ApiState,
    user: &User,
    path: (String, String),
    accept: bool,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    let decided = rsvp::decide(&state.ctx, me, id(&path.0)?, id(&path.1)?, accept).await?;
    Ok(Json(json!({ "rsvp": decided.map(|s| s.as_str()) })))
}

async fn accept(
    State(state): State<ApiState>,
    user: User,
    Path(path): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    decide(&state, &user, path, true).await
}

async fn reject(
    State(state): State<ApiState>,
    user: User,
    Path(path): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    decide(&state, &user, path, false).await
}
