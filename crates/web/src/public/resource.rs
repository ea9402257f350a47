//! A resource's page, in the reader's language with links to its other versions.

use super::{Frame, handle, not_found, page, wanted};
use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
};
use passage_core::{Context, accounts, languages, media, posts, resources};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "resource.html")]
struct ResourcePage {
    lang: String,
    instance: String,
    t: &'static super::labels::Labels,
    uri: String,
    language: String,
    title: String,
    description: String,
    /// Each language version, and whether it is the one shown.
    versions: Vec<(String, bool)>,
    host_url: String,
    host_name: String,
    host_handle: String,
    category: Option<String>,
    licence: Option<String>,
    licence_url: Option<String>,
    folder: Option<String>,
    link_url: Option<String>,
    /// Each file: its address and what to call it.
    files: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

pub async fn show(
    State(ctx): State<Context>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let ap_id = ctx.urls.resource(&id);
    let Ok(Some(post)) = posts::by_ap_id(&ctx, &ap_id).await else {
        return not_found(&ctx);
    };
    let (Ok(shared), Ok(host)) = (
        resources::get(&ctx, None, post.id).await,
        accounts::by_id(&ctx, post.author_id).await,
    ) else {
        return not_found(&ctx);
    };
    let available: Vec<&str> = shared.texts.iter().map(|t| t.language.as_str()).collect();
    let reader = wanted(q.lang.as_deref(), &headers);
    let Some(text) = languages::pick(&reader, &available)
        .and_then(|l| shared.texts.iter().find(|t| t.language == l))
    else {
        return not_found(&ctx);
    };
    let files = media::of_post(&ctx, post.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| {
            let href = ctx.media.url(&ctx.urls, &m.file_name?);
            let kind = m.content_type.rsplit('/').next().unwrap_or("file");
            let label = m
                .description
                .unwrap_or_else(|| format!("Download ({})", kind.to_ascii_uppercase()));
            Some((href, label))
        })
        .collect();
    let folder = match shared.resource.folder_id {
        Some(id) => resources::folders::find(&ctx, id)
            .await
            .ok()
            .flatten()
            .map(|f| f.name),
        None => None,
    };
    let r = &shared.resource;
    let frame = Frame::new(&ctx, &text.language);
    page(
        ResourcePage {
            lang: frame.lang,
            instance: frame.instance,
            t: frame.t,
            uri: shared.post.ap_id.clone(),
            language: text.language.clone(),
            title: text.title.clone(),
            description: resources::body_html(&ctx, &text.description, None, None),
            versions: shared
                .texts
                .iter()
                .map(|t| (t.language.clone(), t.language == text.language))
                .collect(),
            host_url: ctx.urls.profile(&host.username),
            host_name: host.display_name.clone(),
            host_handle: handle(&ctx, &host),
            category: r.category.clone(),
            licence: r.licence.clone(),
            licence_url: r
                .licence
                .as_deref()
                .and_then(resources::licence_url)
                .map(str::to_owned),
            folder,
            link_url: r.link_url.clone(),
            files,
        }
        .render(),
    )
}
