//! The URL verifier activitypub_federation calls for every fetch and every incoming activity:
//! the instance's moderation policy decides whether the host may be talked to at all
//! (suspended domains, and unknown ones in allow-list mode, are refused), and a host written
//! as an address must be a public one (see [`crate::guard`]).

use crate::guard::Guard;
use activitypub_federation::{config::UrlVerifier, error::Error};
use passage_core::{Context, moderation};
use std::sync::Arc;
use url::Url;

#[derive(Clone)]
pub struct PolicyVerifier {
    pub ctx: Context,
    pub guard: Arc<Guard>,
}

#[async_trait::async_trait]
impl UrlVerifier for PolicyVerifier {
    async fn verify(&self, url: &Url) -> Result<(), Error> {
        let Some(host) = host_of(url) else {
            return Err(Error::UrlVerificationError("url without host"));
        };
        if self.guard.check_url(url).is_err() {
            return Err(Error::UrlVerificationError("not a public address"));
        }
        match moderation::federates_with(&self.ctx, &host).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(Error::UrlVerificationError(
                "this instance does not federate with that domain",
            )),
            Err(e) => {
                tracing::error!(error = %e, "moderation policy unavailable");
                Err(Error::UrlVerificationError("moderation policy unavailable"))
            }
        }
    }
}

/// The host of a URL with its port, if any, as policies name hosts.
pub fn host_of(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}
