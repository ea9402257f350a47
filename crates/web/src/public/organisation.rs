//! The page of an organisation (or of a member): who it is, its upcoming events, its public
//! resources, its calendar, and its members when it chose to show them.

use super::{
    Frame, handle,
    labels::{self, Labels},
    not_found, page, wanted,
};
use askama::Template;
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::Response,
};
use passage_core::{
    Context,
    accounts::{self, ActorKind},
    events::{self, Filter, text},
    languages, organisations, resources,
};

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    lang: String,
    instance: String,
    t: &'static Labels,
    follow_hint: String,
    uri: String,
    name: String,
    handle: String,
    summary: String,
    /// "1 member", "12 members".
    member_count: Option<String>,
    feed_url: String,
    webcal_url: String,
    /// Address, name and date of each upcoming event.
    events: Vec<(String, String, String)>,
    /// Address and title of each public resource.
    resources: Vec<(String, String)>,
    /// Profile address and name of each member, when they are public.
    members: Vec<(String, String)>,
}

pub async fn show(
    State(ctx): State<Context>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(actor) = accounts::local_by_username(&ctx, &name).await else {
        return not_found(&ctx);
    };
    // A moved account sends its visitors on to the new one.
    if let Some(target) = &actor.moved_to {
        let to = match accounts::by_ap_id(&ctx, target).await {
            Ok(Some(found)) => found.url.unwrap_or(found.ap_id),
            _ => target.clone(),
        };
        return axum::response::IntoResponse::into_response(axum::response::Redirect::temporary(
            &to,
        ));
    }
    let reader = wanted(None, &headers);
    let lang = languages::pick(&reader, &text::LANGUAGES).unwrap_or("en");
    let filter = Filter {
        host_id: Some(actor.id),
        after: Some(passage_db::now()),
        ..Filter::default()
    };
    let events = events::list(&ctx, &filter, 50)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(post, event)| (post.ap_id, event.name.clone(), text::when(&event, lang)))
        .collect();
    let resources = resources::list(&ctx, None, &actor, None, true, 50)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|shared| {
            let available: Vec<&str> = shared.texts.iter().map(|t| t.language.as_str()).collect();
            let language = languages::pick(&reader, &available)?;
            let text = shared.texts.iter().find(|t| t.language == language)?;
            Some((shared.post.ap_id.clone(), text.title.clone()))
        })
        .collect();
    let is_group = actor.kind == ActorKind::Group.as_str();
    let member_count = if is_group {
        organisations::counts(&ctx, &actor)
            .await
            .ok()
            .map(|(n, _)| labels::member_count(lang, n))
    } else {
        None
    };
    let members = if is_group && actor.members_public {
        organisations::members(&ctx, None, &actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|(m, _)| (ctx.urls.profile(&m.username), m.shown_name().to_owned()))
            .collect()
    } else {
        Vec::new()
    };
    let feed_url = ctx.urls.calendar_feed(&actor.username);
    let webcal_url = events::calendar::webcal(&feed_url);
    let frame = Frame::new(&ctx, lang);
    let handle = handle(&ctx, &actor);
    page(
        OrganisationPage {
            lang: frame.lang,
            instance: frame.instance,
            t: frame.t,
            follow_hint: labels::fill(frame.t.follow_hint, &[("handle", &handle)]),
            uri: actor.ap_id.clone(),
            name: actor.display_name.clone(),
            handle,
            summary: actor.summary.clone(),
            member_count,
            feed_url,
            webcal_url,
            events,
            resources,
            members,
        }
        .render(),
    )
}
