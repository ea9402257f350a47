//! Finding remote actors: by handle through WebFinger, with Mastodon's round-trip check, or by
//! actor URL. The client API uses this for search and remote follow; the CLI for mentions.

use crate::{FederationData, FederationError, objects::actor};
use passage_core::{Actor, accounts};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Jrd {
    subject: String,
    #[serde(default)]
    links: Vec<JrdLink>,
}

#[derive(Debug, Deserialize)]
struct JrdLink {
    rel: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    href: Option<String>,
}

/// `user@domain` (with or without a leading `@` or `acct:`) → the actor, stored locally.
/// Local handles resolve without network.
pub async fn handle(data: &FederationData, handle: &str) -> Result<Actor, FederationError> {
    let handle = handle
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('@');
    let (user, domain) = handle
        .rsplit_once('@')
        .ok_or_else(|| FederationError::BadRequest(format!("{handle:?} is not user@domain")))?;
    if domain.eq_ignore_ascii_case(data.domain()) {
        return Ok(accounts::local_by_username(data, user).await?);
    }
    let jrd = webfinger(data, user, domain).await?;
    let link = self_link(&jrd).ok_or(FederationError::NotFound)?;
    let found = actor::resolve(&link, data).await?;
    // Round trip: the actor must live on the domain that answered, or that domain's own
    // WebFinger must name the same actor (Mastodon's check against hijacked handles).
    let expected = format!("{}@{}", found.username, found.domain).to_lowercase();
    if expected != handle.to_lowercase() {
        let canonical = webfinger(data, &found.username, &found.domain).await?;
        if self_link(&canonical).as_deref() != Some(found.ap_id.as_str()) {
            return Err(FederationError::Forbidden(
                "webfinger answer does not round-trip".into(),
            ));
        }
    }
    Ok(found)
}

/// The actor id of an account named by its address (kept as given) or by its handle
/// (looked up), as moves and aliases name accounts.
pub async fn actor_id(data: &FederationData, named: &str) -> Result<String, FederationError> {
    let named = named.trim();
    if named.starts_with("https://") || named.starts_with("http://") {
        return Ok(named.to_owned());
    }
    Ok(handle(data, named).await?.ap_id)
}

async fn webfinger(
    data: &FederationData,
    user: &str,
    domain: &str,
) -> Result<Jrd, FederationError> {
    let scheme = if data.config.federation.debug {
        "http"
    } else {
        "https"
    };
    if !passage_core::moderation::federates_with(data, domain).await? {
        return Err(FederationError::Forbidden(format!(
            "this instance does not federate with {domain}"
        )));
    }
    let resource = format!("acct:{user}@{domain}");
    let url = url::Url::parse_with_params(
        &format!("{scheme}://{domain}/.well-known/webfinger"),
        [("resource", &resource)],
    )?;
    data.guard
        .check_url(&url)
        .map_err(FederationError::Forbidden)?;
    let response = data
        .http
        .get(url)
        .header("accept", "application/jrd+json, application/json")
        .send()
        .await
        .map_err(|e| {
            FederationError::Remote(format!("webfinger: {}", crate::error::with_causes(&e)))
        })?;
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Err(FederationError::NotFound);
    }
    if !response.status().is_success() {
        return Err(FederationError::Remote(format!(
            "webfinger answered {}",
            response.status()
        )));
    }
    let limit = data.config.federation.max_fetch_bytes;
    let bytes = response
        .bytes()
        .await
        .map_err(|e| FederationError::Remote(e.to_string()))?;
    if bytes.len() > limit {
        return Err(FederationError::Remote("webfinger answer too large".into()));
    }
    let jrd: Jrd = serde_json::from_slice(&bytes).map_err(|e| {
        FederationError::Remote(format!("webfinger: {}", crate::error::with_causes(&e)))
    })?;
    check_subject(&jrd, &resource)?;
    Ok(jrd)
}

/// The answer must be about the account asked for (Mastodon's `webfinger-hacker2` case).
fn check_subject(jrd: &Jrd, resource: &str) -> Result<(), FederationError> {
    if jrd.subject.eq_ignore_ascii_case(resource) {
        Ok(())
    } else {
        Err(FederationError::Forbidden(format!(
            "webfinger subject {} is not {resource}",
            jrd.subject
        )))
    }
}

fn self_link(jrd: &Jrd) -> Option<String> {
    jrd.links
        .iter()
        .find(|l| {
            l.rel.as_deref() == Some("self")
                && l.kind.as_deref().is_some_and(|k| {
                    k.starts_with("application/activity+json")
                        || k.starts_with("application/ld+json")
                })
        })
        .and_then(|l| l.href.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Jrd {
        let path = format!(
            "{}/mastodon-spec-requests/{name}",
            crate::tests_support::fixtures_dir()
        );
        serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).unwrap()
    }

    #[test]
    fn accepts_matching_subject_and_finds_self_link() {
        let jrd = fixture("activitypub-webfinger.body.json");
        check_subject(&jrd, &jrd.subject.clone()).unwrap();
        assert_eq!(
            self_link(&jrd).as_deref(),
            Some("https://ap.example.com/users/foo")
        );
    }

    #[test]
    fn rejects_answer_about_another_account() {
        let jrd = fixture("webfinger-hacker2.body.json");
        assert!(check_subject(&jrd, "acct:gargron@quitter.no").is_err());
    }
}
