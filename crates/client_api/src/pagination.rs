//! Mastodon's pagination: `max_id`/`since_id`/`min_id`/`limit` in, a `Link` header out, written
//! exactly as clients parse it: `<url>; rel="next", <url>; rel="prev"`, next first (toot
//! anchors its regex at the start), one `;` per part (megalodon), no raw `,` in the URLs
//! (masto splits on it), and no header at all on an empty page.

use crate::params::de;
use axum::{
    Json,
    http::{HeaderValue, Uri, header::LINK},
    response::{IntoResponse, Response},
};
use passage_db::Page;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize)]
pub struct PageParams {
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub max_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub since_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub min_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub limit: Option<i64>,
}

impl PageParams {
    pub fn page(&self) -> Page {
        Page {
            max_id: self.max_id,
            since_id: self.since_id,
            min_id: self.min_id,
            limit: self.limit.unwrap_or(0).clamp(0, i64::from(u16::MAX)) as u64,
        }
    }
}

/// A JSON body with its `Link` header: a list, or the object grouped notifications answer.
pub struct Linked<B> {
    pub body: B,
    pub link: Option<String>,
}

/// A JSON list with its `Link` header.
pub type Paged<T> = Linked<Vec<T>>;

impl<B> Linked<B> {
    /// `cursors` are the pagination ids of the first (newest) and last (oldest) item.
    pub fn new(body: B, base: &str, uri: &Uri, cursors: Option<(i64, i64)>) -> Self {
        let link = cursors.map(|(newest, oldest)| {
            let next = page_url(base, uri, "max_id", oldest);
            let prev = page_url(base, uri, "min_id", newest);
            format!("<{next}>; rel=\"next\", <{prev}>; rel=\"prev\"")
        });
        Self { body, link }
    }
}

fn page_url(base: &str, uri: &Uri, key: &str, id: i64) -> String {
    let kept = uri.query().unwrap_or("");
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(kept.as_bytes()) {
        if !matches!(
            k.as_ref(),
            "max_id" | "min_id" | "since_id" | "access_token"
        ) {
            query.append_pair(&k, &v);
        }
    }
    query.append_pair(key, &id.to_string());
    // The serializer percent-encodes `,`, so masto's split on `,` is safe.
    format!("{base}{}?{}", uri.path(), query.finish())
}

impl<B: Serialize> IntoResponse for Linked<B> {
    fn into_response(self) -> Response {
        let mut response = Json(self.body).into_response();
        if let Some(link) = self.link.and_then(|l| HeaderValue::from_str(&l).ok()) {
            response.headers_mut().insert(LINK, link);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_and_put_next_first() {
        let uri: Uri = "/api/v1/notifications?types[]=mention&max_id=9&limit=2"
            .parse()
            .unwrap();
        let paged = Paged::new(vec![1, 2], "https://x.example", &uri, Some((50, 40)));
        assert_eq!(
            paged.link.unwrap(),
            "<https://x.example/api/v1/notifications?types%5B%5D=mention&limit=2&max_id=40>; rel=\"next\", \
             <https://x.example/api/v1/notifications?types%5B%5D=mention&limit=2&min_id=50>; rel=\"prev\""
        );
        assert!(Paged::<u8>::new(vec![], "b", &uri, None).link.is_none());
    }
}
