//! `/network`: the organisations and cities of the whole network, server by server, as this
//! instance last visited them (`passage_core::network`), for anyone finding their way in.

use super::{Frame, labels::Labels, page, wanted};
use askama::Template;
use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::Response,
};
use passage_core::{Context, events::text, languages, network};
use serde::Deserialize;

/// An organisation's address, name and handle.
type Listed = (String, String, String);

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    lang: String,
    instance: String,
    t: &'static Labels,
    /// Domain, name and organisations of each server.
    servers: Vec<(String, String, Vec<Listed>)>,
}

#[derive(Deserialize)]
pub struct NetworkQuery {
    lang: Option<String>,
}

/// Most organisations shown on the page.
const SHOWN: u64 = 2000;

pub async fn show(
    State(ctx): State<Context>,
    Query(q): Query<NetworkQuery>,
    headers: HeaderMap,
) -> Response {
    let reader = wanted(q.lang.as_deref(), &headers);
    let lang = languages::pick(&reader, &text::LANGUAGES).unwrap_or("en");
    let (servers, listed) = match (
        network::servers(&ctx).await,
        network::listed(&ctx, None, 0, SHOWN).await,
    ) {
        (Ok(servers), Ok(listed)) => (servers, listed),
        (Err(error), _) | (_, Err(error)) => {
            tracing::error!(%error, "reading the network directory failed");
            (Vec::new(), Vec::new())
        }
    };
    let servers = servers
        .into_iter()
        .filter(|s| s.error.is_none())
        .map(|s| {
            let organisations = listed
                .iter()
                .filter(|a| a.domain == s.domain)
                .map(|a| {
                    let name = if a.display_name.is_empty() {
                        a.username.clone()
                    } else {
                        a.display_name.clone()
                    };
                    (a.url.clone(), name, format!("@{}@{}", a.username, a.domain))
                })
                .collect();
            (s.domain.clone(), s.name.unwrap_or(s.domain), organisations)
        })
        .collect();
    let frame = Frame::new(&ctx, lang);
    page(
        NetworkPage {
            lang: frame.lang,
            instance: frame.instance,
            t: frame.t,
            servers,
        }
        .render(),
    )
}
