//! WebFinger (RFC 7033) for `acct:user@domain` and actor URLs, and host-meta pointing to it.

use crate::{FederationData, FederationError};
use axum::{
    extract::Query,
    http::header,
    response::{IntoResponse, Response},
};
use passage_core::accounts;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: String,
}

pub async fn webfinger(
    Query(q): Query<WebfingerQuery>,
    data: FederationData,
) -> Result<Response, FederationError> {
    let username = username_of(&q.resource, &data).ok_or(FederationError::NotFound)?;
    let actor = accounts::local_by_username(&data, &username).await?;
    let profile = actor.url.clone().unwrap_or_else(|| actor.ap_id.clone());
    let jrd = json!({
        "subject": format!("acct:{}@{}", actor.username, data.domain()),
        "aliases": [actor.ap_id, profile],
        "links": [
            { "rel": "self", "type": "application/activity+json", "href": actor.ap_id },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile },
        ],
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/jrd+json"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        jrd.to_string(),
    )
        .into_response())
}

/// The local username a resource names: `acct:name@ourdomain`, `name@ourdomain` or one of our
/// actor URLs.
fn username_of(resource: &str, data: &FederationData) -> Option<String> {
    let acct = resource.strip_prefix("acct:").unwrap_or(resource);
    if let Some((name, domain)) = acct.trim_start_matches('@').rsplit_once('@') {
        return domain
            .eq_ignore_ascii_case(data.domain())
            .then(|| name.to_lowercase());
    }
    let base = data.urls.base();
    if resource == format!("{base}/actor") {
        return Some(passage_core::urls::INSTANCE_ACTOR.to_owned());
    }
    resource
        .strip_prefix(&format!("{base}/users/"))
        .or_else(|| resource.strip_prefix(&format!("{base}/@")))
        .filter(|n| !n.contains('/'))
        .map(str::to_lowercase)
}

pub async fn host_meta(data: FederationData) -> Response {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n",
        data.urls.base()
    );
    (
        [(header::CONTENT_TYPE, "application/xrd+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}
