//! An event's page, with "add to calendar" (its iCalendar file, or Google Calendar).

use super::{
    Frame, handle,
    labels::{Labels, fill},
    not_found, page, wanted,
};
use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
};
use passage_core::{
    Context, accounts, content,
    events::{self, rsvp, text},
    languages, links, media, posts, texts,
};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    lang: String,
    instance: String,
    t: &'static Labels,
    /// How to answer from Mastodon, and where the question went.
    ask_how: String,
    asked_line: String,
    uri: String,
    name: String,
    status: String,
    when: String,
    place: Option<String>,
    online_url: Option<String>,
    external_url: Option<String>,
    host_url: String,
    host_name: String,
    host_handle: String,
    seats_left: Option<i64>,
    category: Option<String>,
    description: String,
    /// Resources and other objects the event points to: address and title.
    links: Vec<(String, String)>,
    banner: Option<String>,
    ics_url: String,
    google_url: String,
    /// Open to answers: the "answer from Mastodon" form is shown.
    answerable: bool,
    asked: bool,
    ask_error: Option<String>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
    asked: Option<String>,
    ask_error: Option<String>,
}

pub async fn show(
    State(ctx): State<Context>,
    Path(id): Path<String>,
    Query(outcome): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let ap_id = ctx.urls.event(&id);
    let Ok(Some(post)) = posts::by_ap_id(&ctx, &ap_id).await else {
        return not_found(&ctx);
    };
    if !posts::can_view(&ctx, None, &post).await.unwrap_or(false) {
        return not_found(&ctx);
    }
    let (Ok((post, event)), Ok(host)) = (
        events::get(&ctx, post.id).await,
        accounts::by_id(&ctx, post.author_id).await,
    ) else {
        return not_found(&ctx);
    };
    let mut reader = wanted(outcome.lang.as_deref(), &headers);
    // Written in several languages: the reader's version of the name and description.
    let texts = texts::of_post(&ctx.db, post.id).await.unwrap_or_default();
    let available: Vec<&str> = texts.iter().map(|t| t.language.as_str()).collect();
    let version =
        languages::pick(&reader, &available).and_then(|l| texts.iter().find(|t| t.language == l));
    reader.extend(version.map(|t| t.language.clone()));
    reader.extend(post.language.clone());
    let lang = languages::pick(&reader, &text::LANGUAGES).unwrap_or("en");
    let (name, description) = match version {
        Some(t) => (
            t.title.clone(),
            content::render_plain(&t.description, &[], &ctx.urls.tag("")),
        ),
        None => (event.name.clone(), event.description.clone()),
    };
    let going = rsvp::going_counts(&ctx.db, &[post.id])
        .await
        .ok()
        .and_then(|c| c.first().map(|(_, n)| *n))
        .unwrap_or(0);
    let banner = media::of_post(&ctx, post.id)
        .await
        .ok()
        .and_then(|m| m.into_iter().find(|m| m.kind == "image"))
        .and_then(|m| m.file_name)
        .map(|f| ctx.media.url(&ctx.urls, &f));
    let links = match links::of_post(&ctx.db, post.id).await {
        Ok(all) => links::visible_to(&ctx, None, all).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let links = links
        .into_iter()
        .map(|(link, target)| {
            // Ours: the page of the resource, where its address leads a browser too.
            let url = target.and_then(|t| t.url).unwrap_or(link.href.clone());
            (url, link.name.unwrap_or(link.href))
        })
        .collect();
    let frame = Frame::new(&ctx, lang);
    let host_handle = handle(&ctx, &host);
    page(
        EventPage {
            lang: frame.lang,
            instance: frame.instance,
            t: frame.t,
            ask_how: fill(
                frame.t.ask_how,
                &[("handle", &host_handle), ("name", &host.display_name)],
            ),
            asked_line: fill(frame.t.asked, &[("handle", &host_handle)]),
            ics_url: format!("{}/ics", post.ap_id),
            google_url: google_calendar(&event, &post.ap_id),
            uri: post.ap_id.clone(),
            name,
            status: event.status.clone(),
            when: text::when(&event, lang),
            place: text::place(&event),
            online_url: event.online_url.clone(),
            external_url: event.external_url.clone(),
            host_url: ctx.urls.profile(&host.username),
            host_name: host.display_name.clone(),
            host_handle,
            seats_left: event
                .capacity
                .filter(|c| *c > 0)
                .map(|c| (i64::from(c) - going).max(0)),
            category: event.category.clone(),
            description,
            links,
            banner,
            answerable: event.status != "cancelled"
                && matches!(event.join_mode.as_str(), "free" | "restricted")
                && event.ends_at.unwrap_or(event.starts_at) > passage_db::now(),
            asked: outcome.asked.is_some(),
            ask_error: outcome.ask_error,
        }
        .render(),
    )
}

/// Google Calendar's "add event" address, in UTC with the event's zone for display.
fn google_calendar(event: &events::Event, page: &str) -> String {
    let utc = |t: &passage_db::Timestamp| {
        t.with_timezone(&chrono::Utc)
            .format("%Y%m%dT%H%M%SZ")
            .to_string()
    };
    let end = event
        .ends_at
        .unwrap_or(event.starts_at + chrono::Duration::hours(1));
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("action", "TEMPLATE")
        .append_pair("text", &event.name)
        .append_pair("dates", &format!("{}/{}", utc(&event.starts_at), utc(&end)))
        .append_pair("details", page)
        .append_pair("location", &text::place(event).unwrap_or_default())
        .append_pair("ctz", text::zone(event).name())
        .finish();
    format!("https://calendar.google.com/calendar/render?{query}")
}
