//! Every GET made through activitypub_federation's client (actors, keys, objects, WebFinger,
//! collections) is signed by the instance actor the way deliveries are: draft-cavage over
//! `(request-target) host date accept`, RSA through aws-lc-rs.
//!
//! The library's own signed fetch covers `(request-target) (created) (expires) accept digest`
//! without `host` or `date`; Mastodon in secure mode refuses a GET whose signature does not
//! cover `host`, and other servers require `date`. So the library is left to send plain GETs
//! and this middleware signs them on the way out. A server that answers 401 is asked once
//! more in the other format (RFC 9421), and the format it took is remembered for it, as for
//! deliveries ([`crate::delivery`]).

use crate::{signatures, state::SignatureFormats};
use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
use http::{Extensions, HeaderValue, Method, StatusCode};
use passage_core::config::SignatureFormat;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};
use std::sync::Arc;

/// Signs outgoing GETs with one actor's key (the instance actor's).
pub struct SignedFetch {
    pub key: RsaKeyPair,
    pub key_id: String,
    /// The format tried first on a server whose format is not known yet.
    pub first: SignatureFormat,
    pub formats: Arc<SignatureFormats>,
}

impl SignedFetch {
    /// `request` with `Date` and the signature headers of `format` set (replacing any).
    fn sign(
        &self,
        mut request: Request,
        format: SignatureFormat,
    ) -> reqwest_middleware::Result<Request> {
        let url = request.url().clone();
        let accept = request
            .headers()
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let covered: Vec<(&str, &str)> = accept.iter().map(|a| ("accept", a.as_str())).collect();
        // Signing is about 0.7 ms of CPU; fetches are rare beside deliveries, so it stays here.
        let headers = match format {
            SignatureFormat::Cavage => signatures::sign(
                &self.key,
                &self.key_id,
                "GET",
                &url[url::Position::BeforeHost..url::Position::AfterPort],
                &url[url::Position::BeforePath..url::Position::AfterQuery],
                None,
                &covered,
            ),
            SignatureFormat::Rfc9421 => {
                signatures::rfc9421::sign(&self.key, &self.key_id, "GET", &url, None, &covered)
            }
        }
        .map_err(|e| reqwest_middleware::Error::Middleware(anyhow::anyhow!("signing: {e}")))?;
        let map = request.headers_mut();
        for stale in ["signature", "signature-input", "date", "digest"] {
            map.remove(stale);
        }
        for (name, value) in headers {
            let value = HeaderValue::from_str(&value).map_err(|e| {
                reqwest_middleware::Error::Middleware(anyhow::anyhow!("signing: {e}"))
            })?;
            map.insert(name, value);
        }
        Ok(request)
    }
}

#[async_trait::async_trait]
impl Middleware for SignedFetch {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        if request.method() != Method::GET {
            return next.run(request, extensions).await;
        }
        let host = request.url()[url::Position::BeforeHost..url::Position::AfterPort].to_owned();
        let first = self.formats.get(&host).unwrap_or(self.first);
        let again = request.try_clone();
        let response = next
            .clone()
            .run(self.sign(request, first)?, extensions)
            .await?;
        let Some(again) = again.filter(|_| response.status() == StatusCode::UNAUTHORIZED) else {
            return Ok(response);
        };
        let other = first.other();
        let response = next.run(self.sign(again, other)?, extensions).await?;
        if response.status().is_success() {
            self.formats.remember(&host, other);
        }
        Ok(response)
    }
}
