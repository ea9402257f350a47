//! A local post's page at `/@name/ID`, the `url` apps open: the same ID as the client API's,
//! so an app that opens a status from its URL finds it. Public and unlisted posts only;
//! anything else is "not found". An ActivityPub client is sent to the post's document.

use super::{Frame, handle, not_found, page};
use askama::Template;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Redirect, Response},
};
use passage_core::{Context, accounts, media, posts};

#[derive(Template)]
#[template(path = "post.html")]
struct PostPage {
    lang: String,
    instance: String,
    uri: String,
    language: Option<String>,
    author_url: String,
    author_name: String,
    author_handle: String,
    summary: Option<String>,
    content: String,
    /// Each picture's address and description.
    pictures: Vec<(String, String)>,
    published: String,
    published_shown: String,
}

pub async fn show(
    State(ctx): State<Context>,
    Path((name, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return not_found(&ctx);
    };
    let (Ok(post), Ok(author)) = (
        posts::by_id(&ctx, id).await,
        accounts::local_by_username(&ctx, &name).await,
    ) else {
        return not_found(&ctx);
    };
    let shown = post.author_id == author.id
        && post.reblog_of_id.is_none()
        && posts::can_view(&ctx, None, &post).await.unwrap_or(false);
    if !shown {
        return not_found(&ctx);
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if accept.contains("activity+json") || accept.contains("ld+json") {
        return Redirect::to(&post.ap_id).into_response();
    }
    let pictures = media::of_post(&ctx, post.id)
        .await
        .unwrap_or_default()
        .iter()
        .filter(|m| m.content_type.starts_with("image/"))
        .filter_map(|m| {
            let src = match &m.file_name {
                Some(file) => ctx.media.url(&ctx.urls, file),
                None => m.remote_url.clone()?,
            };
            Some((src, m.description.clone().unwrap_or_default()))
        })
        .collect();
    let frame = Frame::new(&ctx, post.language.as_deref().unwrap_or("en"));
    page(
        PostPage {
            lang: frame.lang,
            instance: frame.instance,
            uri: post.ap_id.clone(),
            language: post.language.clone(),
            author_url: ctx.urls.profile(&author.username),
            author_name: author.shown_name().to_owned(),
            author_handle: handle(&ctx, &author),
            summary: post.summary.clone().filter(|s| !s.is_empty()),
            content: post.content.clone(),
            pictures,
            published: post.published_at.to_rfc3339(),
            published_shown: post.published_at.format("%Y-%m-%d %H:%M").to_string(),
        }
        .render(),
    )
}
