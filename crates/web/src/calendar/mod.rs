//! Live iCalendar feeds, for calendar apps to subscribe to:
//!
//! - `/feed/ics`: this instance's public events, narrowed by `?category=` and `?language=`;
//! - `/@{name}/feed/ics`: the public events an organisation or a member hosts;
//! - `/events/{id}/ics`: one event ("add to calendar");
//! - `/feed/ics/answers/{token}`: a member's own answers, behind a secret address.
//!
//! Every event keeps its federated id as `UID`, so a calendar updates it in place when it
//! changes (`SEQUENCE` grows with each change) and shows it struck through once cancelled.
//! Times are written in the event's own zone with its `VTIMEZONE`; a recurring series is one
//! `RRULE` with its changed occurrences as overrides and its removed ones as `EXDATE`s.

mod ics;
mod timezone;

use axum::{
    Router,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ics::Ics;
use passage_core::{
    Actor, Context, Post, accounts, content,
    error::CoreError,
    events::{
        self, Event, Filter,
        calendar::{self, Entry},
        rsvp::State as Answer,
        series, text,
    },
    posts,
    visibility::FOR_EVERYONE,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/feed/ics", get(instance))
        .route("/@{name}/feed/ics", get(host))
        .route("/events/{id}/ics", get(one))
        .route("/feed/ics/answers/{token}", get(answers))
}

#[derive(Deserialize)]
struct Narrow {
    category: Option<String>,
    language: Option<String>,
}

async fn instance(State(ctx): State<Context>, Query(q): Query<Narrow>) -> Response {
    let filter = Filter {
        local_only: true,
        category: q.category,
        language: q.language,
        ..Filter::default()
    };
    let name = ctx.config.instance.name.clone();
    public_feed(&ctx, &name, filter).await
}

async fn host(
    State(ctx): State<Context>,
    Path(name): Path<String>,
    Query(q): Query<Narrow>,
) -> Response {
    let Ok(host) = accounts::local_by_username(&ctx, &name).await else {
        return not_found();
    };
    let filter = Filter {
        host_id: Some(host.id),
        category: q.category,
        language: q.language,
        ..Filter::default()
    };
    public_feed(&ctx, &host.display_name, filter).await
}

async fn public_feed(ctx: &Context, name: &str, filter: Filter) -> Response {
    match calendar::feed(ctx, filter).await {
        Ok(entries) => match write_feed(ctx, name, &entries, None).await {
            Ok(body) => ics_response(body, "public, max-age=300"),
            Err(e) => failure(&e),
        },
        Err(e) => failure(&e),
    }
}

async fn one(State(ctx): State<Context>, Path(id): Path<String>) -> Response {
    let ap_id = ctx.urls.event(&id);
    let post = match posts::by_ap_id(&ctx, &ap_id).await {
        Ok(Some(post)) if posts::can_view(&ctx, None, &post).await.unwrap_or(false) => post,
        Ok(_) => return not_found(),
        Err(e) => return failure(&e),
    };
    let entry = match events::get(&ctx, post.id).await {
        Ok(found) => Entry::Single(Box::new(found)),
        Err(e) => return failure(&e),
    };
    match write_feed(&ctx, &post.ap_id, &[entry], None).await {
        Ok(body) => ics_response(body, "public, max-age=300"),
        Err(e) => failure(&e),
    }
}

async fn answers(State(ctx): State<Context>, Path(token): Path<String>) -> Response {
    let member = match calendar::holder_of(&ctx, &token).await {
        Ok(member) => member,
        Err(e) => return failure(&e),
    };
    let answered = match calendar::answered_by(&ctx, &member).await {
        Ok(answered) => answered,
        Err(e) => return failure(&e),
    };
    let (entries, states): (Vec<Entry>, Vec<Answer>) = answered
        .into_iter()
        .map(|(post, event, state)| (Entry::Single(Box::new((post, event))), state))
        .unzip();
    let name = format!("{} ({})", member.shown_name(), ctx.config.instance.name);
    match write_feed(&ctx, &name, &entries, Some((&member, &states))).await {
        // Private to its holder: no shared cache may keep it.
        Ok(body) => ics_response(body, "private, no-store"),
        Err(e) => failure(&e),
    }
}

/// A whole `VCALENDAR`. With `attendee`, each entry carries the member's answer to it.
async fn write_feed(
    ctx: &Context,
    name: &str,
    entries: &[Entry],
    attendee: Option<(&Actor, &[Answer])>,
) -> Result<String, CoreError> {
    let hosts = hosts_of(ctx, entries).await?;
    let mut body = Ics::default();
    let mut zones = Zones::default();
    for (n, entry) in entries.iter().enumerate() {
        let answer = attendee.and_then(|(who, states)| Some((who, *states.get(n)?)));
        match entry {
            Entry::Single(single) => {
                let (post, event) = &**single;
                let fields = Fields::of(post, event, hosts.get(&post.author_id));
                vevent(
                    &mut body,
                    &mut zones,
                    &post.ap_id,
                    &fields,
                    &Extra {
                        answer,
                        ..Extra::default()
                    },
                );
            }
            Entry::Series {
                id,
                rule,
                first_start,
                occurrences,
            } => write_series(
                &mut body,
                &mut zones,
                &hosts,
                id,
                rule,
                *first_start,
                occurrences,
            ),
        }
    }
    let mut head = Ics::default();
    head.begin("VCALENDAR");
    head.raw("VERSION", "2.0");
    head.raw(
        "PRODID",
        &format!("-//Passage//Passage {}//EN", env!("CARGO_PKG_VERSION")),
    );
    head.raw("CALSCALE", "GREGORIAN");
    head.text("NAME", name);
    head.text("X-WR-CALNAME", name);
    // Calendar apps poll a subscribed feed this often (RFC 7986, and Outlook's older name).
    head.with_params("REFRESH-INTERVAL", &[("VALUE", "DURATION")], "PT1H");
    head.raw("X-PUBLISHED-TTL", "PT1H");
    for (zone, from, to) in zones.0.values() {
        timezone::write(&mut head, *zone, *from, *to);
    }
    let mut tail = Ics::default();
    tail.end("VCALENDAR");
    Ok([head.finish(), body.finish(), tail.finish()].concat())
}

/// The hosts of the entries' events, for `ORGANIZER`.
async fn hosts_of(ctx: &Context, entries: &[Entry]) -> Result<HashMap<i64, Actor>, CoreError> {
    let mut hosts = HashMap::new();
    for entry in entries {
        let author = match entry {
            Entry::Single(single) => single.0.author_id,
            Entry::Series { occurrences, .. } => match occurrences.first() {
                Some((post, _)) => post.author_id,
                None => continue,
            },
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = hosts.entry(author) {
            slot.insert(accounts::by_id(ctx, author).await?);
        }
    }
    Ok(hosts)
}

/// A series: the rule with the fields of an unchanged occurrence, then each changed
/// occurrence as an override of the instance it replaces.
fn write_series(
    out: &mut Ics,
    zones: &mut Zones,
    hosts: &HashMap<i64, Actor>,
    id: &str,
    rule: &str,
    first_start: DateTime<chrono::FixedOffset>,
    occurrences: &[(Post, Event)],
) {
    let listed: Vec<&(Post, Event)> = occurrences
        .iter()
        .filter(|(p, _)| Entry::listed(p))
        .collect();
    let Some((post, event)) = listed
        .iter()
        .find(|(_, e)| e.sequence == 0)
        .or(listed.first())
        .copied()
    else {
        return;
    };
    let zone = text::zone(event);
    let starts = match series::expand(rule, first_start, zone) {
        Ok(r) => r.starts,
        Err(_) => Vec::new(),
    };
    let mut master = Fields::of(post, event, hosts.get(&post.author_id));
    master.ends_at = event
        .ends_at
        .map(|end| first_start + (end - event.starts_at));
    master.starts_at = first_start;
    let kept: Vec<_> = listed.iter().filter_map(|(_, e)| e.recurrence_id).collect();
    let removed: Vec<_> = starts
        .iter()
        .filter(|s| !kept.contains(s))
        .copied()
        .collect();
    vevent(
        out,
        zones,
        id,
        &master,
        &Extra {
            rule: Some(rule),
            removed: &removed,
            ..Extra::default()
        },
    );
    for (post, event) in listed {
        if event.sequence == 0 {
            continue;
        }
        let fields = Fields::of(post, event, hosts.get(&post.author_id));
        vevent(
            out,
            zones,
            id,
            &fields,
            &Extra {
                replaces: event.recurrence_id,
                ..Extra::default()
            },
        );
    }
}

/// What a `VEVENT` says of one event.
struct Fields<'a> {
    name: &'a str,
    description: String,
    page: &'a str,
    starts_at: DateTime<chrono::FixedOffset>,
    ends_at: Option<DateTime<chrono::FixedOffset>>,
    zone: Option<Tz>,
    status: String,
    place: Option<String>,
    online_url: Option<&'a str>,
    coordinates: Option<(f64, f64)>,
    category: Option<&'a str>,
    sequence: i32,
    created: DateTime<chrono::FixedOffset>,
    modified: DateTime<chrono::FixedOffset>,
    public: bool,
    host: Option<&'a Actor>,
}

impl<'a> Fields<'a> {
    fn of(post: &'a Post, event: &'a Event, host: Option<&'a Actor>) -> Self {
        let page = post.url.as_deref().unwrap_or(&post.ap_id);
        let mut description = content::plain_text(&event.description).trim().to_owned();
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(page);
        Fields {
            name: &event.name,
            description,
            page,
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            zone: event.timezone.as_deref().and_then(|z| z.parse().ok()),
            status: event.status.to_ascii_uppercase(),
            place: text::place(event),
            online_url: event.online_url.as_deref(),
            coordinates: event.latitude.zip(event.longitude),
            category: event.category.as_deref(),
            sequence: event.sequence,
            created: post.published_at,
            modified: event.updated_at,
            public: FOR_EVERYONE.contains(&post.visibility.as_str()),
            host,
        }
    }
}

/// What only some `VEVENT`s carry.
#[derive(Default)]
struct Extra<'a> {
    /// The series' rule, on its master.
    rule: Option<&'a str>,
    /// Instances of the rule that no longer take place, on the master.
    removed: &'a [DateTime<chrono::FixedOffset>],
    /// The instance an override replaces.
    replaces: Option<DateTime<chrono::FixedOffset>>,
    /// A member's own answer, in their private feed.
    answer: Option<(&'a Actor, Answer)>,
}

fn vevent(out: &mut Ics, zones: &mut Zones, uid: &str, f: &Fields, extra: &Extra) {
    out.begin("VEVENT");
    out.text("UID", uid);
    out.raw("DTSTAMP", &utc(f.modified));
    time(out, zones, "DTSTART", f.starts_at, f.zone);
    if let Some(end) = f.ends_at {
        time(out, zones, "DTEND", end, f.zone);
    }
    if let Some(rule) = extra.rule {
        out.raw("RRULE", rule);
    }
    for removed in extra.removed {
        time(out, zones, "EXDATE", *removed, f.zone);
    }
    if let Some(original) = extra.replaces {
        time(out, zones, "RECURRENCE-ID", original, f.zone);
    }
    out.raw("SEQUENCE", &f.sequence.max(0).to_string());
    out.raw("CREATED", &utc(f.created));
    out.raw("LAST-MODIFIED", &utc(f.modified));
    out.text("SUMMARY", f.name);
    out.text("DESCRIPTION", &f.description);
    out.raw("URL", f.page);
    out.raw("STATUS", &f.status);
    out.raw("CLASS", if f.public { "PUBLIC" } else { "PRIVATE" });
    match (&f.place, f.online_url) {
        (Some(place), _) => out.text("LOCATION", place),
        (None, Some(online)) => out.text("LOCATION", online),
        (None, None) => {}
    }
    if let Some(online) = f.online_url {
        // RFC 7986: where to join an online event.
        out.with_params("CONFERENCE", &[("VALUE", "URI")], online);
    }
    if let Some((lat, lon)) = f.coordinates {
        out.raw("GEO", &format!("{lat};{lon}"));
    }
    if let Some(category) = f.category {
        out.text_list("CATEGORIES", &[category]);
    }
    if let Some(host) = f.host {
        let address = host.url.as_deref().unwrap_or(&host.ap_id);
        out.with_params("ORGANIZER", &[("CN", &host.display_name)], address);
    }
    if let Some((member, answer)) = extra.answer {
        let partstat = match answer {
            Answer::Going => "ACCEPTED",
            Answer::Maybe | Answer::Waiting => "TENTATIVE",
            Answer::Pending => "NEEDS-ACTION",
        };
        let address = member.url.as_deref().unwrap_or(&member.ap_id);
        out.with_params(
            "ATTENDEE",
            &[("CN", member.shown_name()), ("PARTSTAT", partstat)],
            address,
        );
    }
    out.end("VEVENT");
}

/// A time in the event's zone (`TZID=`), or in UTC when the event has none.
fn time(
    out: &mut Ics,
    zones: &mut Zones,
    name: &str,
    at: DateTime<chrono::FixedOffset>,
    zone: Option<Tz>,
) {
    match zone {
        Some(zone) => {
            zones.cover(zone, at.with_timezone(&Utc));
            let local = at.with_timezone(&zone).format(timezone::LOCAL).to_string();
            out.with_params(name, &[("TZID", zone.name())], &local);
        }
        None => out.raw(name, &utc(at)),
    }
}

fn utc(at: DateTime<chrono::FixedOffset>) -> String {
    at.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

/// The zones a feed uses, each with the first and last instant written in it.
#[derive(Default)]
struct Zones(BTreeMap<&'static str, (Tz, DateTime<Utc>, DateTime<Utc>)>);

impl Zones {
    fn cover(&mut self, zone: Tz, at: DateTime<Utc>) {
        let span = self.0.entry(zone.name()).or_insert((zone, at, at));
        span.1 = span.1.min(at);
        span.2 = span.2.max(at);
    }
}

fn ics_response(body: String, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

fn failure(e: &CoreError) -> Response {
    match e {
        CoreError::NotFound | CoreError::Forbidden(_) => not_found(),
        e => {
            tracing::warn!(error = %e, "calendar feed failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the calendar is unavailable\n",
            )
                .into_response()
        }
    }
}
