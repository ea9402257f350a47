//! The URL verifier activitypub_federation calls for every fetch and every incoming activity.
//! Moderation policy (domain blocks, allow-list mode) plugs in here; until it exists every
//! well-formed peer is allowed, and the library itself rejects bad schemes and hosts.

use activitypub_federation::{config::UrlVerifier, error::Error};
use url::Url;

#[derive(Clone)]
pub struct PolicyVerifier;

#[async_trait::async_trait]
impl UrlVerifier for PolicyVerifier {
    async fn verify(&self, url: &Url) -> Result<(), Error> {
        if url.host_str().is_none() {
            return Err(Error::UrlVerificationError("url without host"));
        }
        Ok(())
    }
}
