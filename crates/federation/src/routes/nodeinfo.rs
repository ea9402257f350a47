//! NodeInfo 2.0 and 2.1 (`/.well-known/nodeinfo` lists both). The software names itself
//! honestly (`passage`) and tells Mastodon-API clients which API it follows through
//! `metadata.upstream`, which megalodon-based apps read.

use crate::{FederationData, FederationError};
use axum::{
    extract::Path,
    http::header,
    response::{IntoResponse, Response},
};
use passage_core::config::Registrations;
use passage_db::queries::actors;
use serde_json::json;

const SCHEMA: &str = "http://nodeinfo.diaspora.software/ns/schema/";

pub async fn discovery(data: FederationData) -> Response {
    let base = data.urls.base();
    let links: Vec<_> = ["2.0", "2.1"]
        .map(|v| json!({ "rel": format!("{SCHEMA}{v}"), "href": format!("{base}/nodeinfo/{v}") }))
        .into();
    let doc = json!({ "links": links });
    cors_json(doc)
}

pub async fn nodeinfo(
    Path(version): Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    let version = version.trim_end_matches(".json");
    if version != "2.0" && version != "2.1" {
        return Err(FederationError::NotFound);
    }
    let users = actors::count_local(&data.db, &["Person"]).await?;
    let software = json!({ "name": "passage", "version": env!("CARGO_PKG_VERSION") });
    let doc = json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": [] },
        "openRegistrations": data.config.instance.registrations == Registrations::Open
            && passage_core::shutdown::current(&data).await?.is_none(),
        "usage": { "users": { "total": users } },
        "metadata": {
            "nodeName": data.config.instance.name,
            "nodeDescription": data.config.instance.description,
            "upstream": { "name": "mastodon", "version": "4.3.0" },
        },
    });
    Ok(cors_json(doc))
}

fn cors_json(doc: serde_json::Value) -> Response {
    let content_type =
        "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"";
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        doc.to_string(),
    )
        .into_response()
}
