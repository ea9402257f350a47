//! `/about`: the instance, its rules (numbered as reports name them) and who moderates it,
//! so people know the terms and whom to turn to before they join or report.

use super::{Frame, handle, labels::Labels, page, wanted};
use askama::Template;
use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::Response,
};
use passage_core::{Context, events::text, languages, moderation};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage {
    lang: String,
    instance: String,
    t: &'static Labels,
    description: String,
    rules: Vec<String>,
    /// Profile address, name and handle of each admin and moderator.
    moderators: Vec<(String, String, String)>,
}

#[derive(Deserialize)]
pub struct AboutQuery {
    lang: Option<String>,
}

pub async fn show(
    State(ctx): State<Context>,
    Query(q): Query<AboutQuery>,
    headers: HeaderMap,
) -> Response {
    let reader = wanted(q.lang.as_deref(), &headers);
    let lang = languages::pick(&reader, &text::LANGUAGES).unwrap_or("en");
    let moderators = match moderation::staff(&ctx).await {
        Ok(staff) => staff
            .into_iter()
            .map(|(a, _)| {
                (
                    ctx.urls.profile(&a.username),
                    a.shown_name().to_owned(),
                    handle(&ctx, &a),
                )
            })
            .collect(),
        Err(error) => {
            tracing::error!(%error, "listing moderators failed");
            Vec::new()
        }
    };
    let frame = Frame::new(&ctx, lang);
    page(
        AboutPage {
            lang: frame.lang,
            instance: frame.instance,
            t: frame.t,
            description: ctx.config.instance.description.clone(),
            rules: ctx.config.instance.rules.clone(),
            moderators,
        }
        .render(),
    )
}
