//! Building the network directory (`passage_core::network`): starting from the servers this
//! instance recognises, each is visited for its NodeInfo (name, software, members), its
//! directory of organisations and cities (`/api/v1/directory`, groups only: members are
//! never listed), and, if it runs Passage, its own list of peers, followed up to
//! `federation.directory_depth` hops. Servers this instance does not federate with are
//! left out. Every answer is bounded in size and read as untrusted.

use crate::{FederationData, FederationError};
use passage_core::network::{self, Account, Visit};
use serde_json::Value;
use std::collections::{HashSet, VecDeque};

/// Most peers taken from one server's list, and most accounts from its directory.
const MAX_PEERS: usize = 1000;
const DIRECTORY_PAGE: usize = 80;

/// Visits the network and stores what was found; the number of servers visited.
pub async fn refresh(data: &FederationData) -> Result<usize, FederationError> {
    let ctx = &data.ctx;
    let config = &ctx.config.federation;
    let mut seen: HashSet<String> = HashSet::from([ctx.domain().to_lowercase()]);
    let mut queue = VecDeque::new();
    for domain in network::peers(ctx).await? {
        if seen.insert(domain.to_lowercase()) {
            queue.push_back((domain, None, 1));
        }
    }
    if queue.is_empty() && network::servers(ctx).await?.is_empty() {
        // No network to visit, and nothing stored to clear: no write every round.
        return Ok(0);
    }
    let mut visits = Vec::new();
    while let Some((domain, via, depth)) = queue.pop_front() {
        if visits.len() >= config.directory_max_servers {
            break;
        }
        if !passage_core::moderation::federates_with(ctx, &domain).await? {
            continue;
        }
        let mut visit = Visit {
            domain: domain.clone(),
            via,
            ..Visit::default()
        };
        match visit_one(data, &mut visit).await {
            Ok(peers) if depth < config.directory_depth => {
                for peer in peers {
                    if seen.insert(peer.to_lowercase()) {
                        queue.push_back((peer, Some(domain.clone()), depth + 1));
                    }
                }
            }
            Ok(_) => {}
            Err(error) => visit.error = Some(error.to_string()),
        }
        visits.push(visit);
    }
    let count = visits.len();
    network::store(ctx, visits).await?;
    Ok(count)
}

/// Rebuilds the directory when it is older than [`network::REFRESH`].
pub async fn refresh_due(data: &FederationData) -> Result<usize, FederationError> {
    if !network::due(data).await? {
        return Ok(0);
    }
    refresh(data).await
}

/// Fills `visit` from the server's answers; the peers it lists.
async fn visit_one(
    data: &FederationData,
    visit: &mut Visit,
) -> Result<Vec<String>, FederationError> {
    let base = format!("{}://{}", scheme(data), visit.domain);
    let links = get_json(data, &format!("{base}/.well-known/nodeinfo")).await?;
    let href = links["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| {
            l["rel"]
                .as_str()
                .is_some_and(|r| r.contains("nodeinfo.diaspora.software/ns/schema/2."))
        })
        .filter_map(|l| l["href"].as_str())
        .next_back()
        .ok_or_else(|| FederationError::Remote("no NodeInfo 2 link".into()))?;
    let same_server = url::Url::parse(href)
        .ok()
        .and_then(|u| u.host_str().map(|h| (h.to_owned(), u.port())))
        .is_some_and(|(host, port)| {
            let authority = port.map_or(host.clone(), |p| format!("{host}:{p}"));
            authority.eq_ignore_ascii_case(&visit.domain)
        });
    if !same_server {
        return Err(FederationError::Remote(
            "NodeInfo lives on another server".into(),
        ));
    }
    let info = get_json(data, href).await?;
    visit.software = text(&info["software"]["name"], 40);
    visit.name = text(&info["metadata"]["nodeName"], 100);
    visit.users = info["usage"]["users"]["total"].as_i64();

    let directory = get_json(
        data,
        &format!("{base}/api/v1/directory?local=true&limit={DIRECTORY_PAGE}"),
    )
    .await
    .unwrap_or(Value::Null);
    visit.accounts = directory
        .as_array()
        .into_iter()
        .flatten()
        .take(DIRECTORY_PAGE)
        .filter(|a| a["group"].as_bool() == Some(true))
        .filter_map(|a| listed(a, &visit.domain))
        .collect();

    if visit.software.as_deref() != Some("passage") {
        return Ok(Vec::new());
    }
    let peers = get_json(data, &format!("{base}/api/passage/v1/network/peers"))
        .await
        .unwrap_or(Value::Null);
    Ok(peers
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|d| is_domain(d))
        .take(MAX_PEERS)
        .map(str::to_lowercase)
        .collect())
}

/// An organisation from a Mastodon account entity, if it lives on the server listing it.
fn listed(account: &Value, domain: &str) -> Option<Account> {
    let url = text(&account["url"], 500)?;
    let ap_id = text(&account["uri"], 500).unwrap_or_else(|| url.clone());
    let host = |u: &str| {
        url::Url::parse(u)
            .ok()
            .and_then(|u| u.host_str().map(|h| h.to_owned()))
    };
    if host(&ap_id) != domain.split(':').next().map(str::to_owned) {
        return None;
    }
    Some(Account {
        ap_id,
        username: text(&account["username"], 100)?,
        display_name: text(&account["display_name"], 100).unwrap_or_default(),
        note: text(&account["note"], 2000).unwrap_or_default(),
        url,
        avatar: text(&account["avatar"], 500),
    })
}

/// A string field, cut to `max` characters.
fn text(value: &Value, max: usize) -> Option<String> {
    value
        .as_str()
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(max).collect())
}

/// A host name, with a port for development peers.
fn is_domain(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 254
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
}

fn scheme(data: &FederationData) -> &'static str {
    if data.config.federation.debug {
        "http"
    } else {
        "https"
    }
}

/// GETs JSON, bounded by `federation.max_fetch_bytes`.
async fn get_json(data: &FederationData, url: &str) -> Result<Value, FederationError> {
    let url = url::Url::parse(url)?;
    let limit = data.config.federation.max_fetch_bytes;
    let body = crate::fetch::bounded(data, &url, "application/json", limit).await?;
    Ok(serde_json::from_slice(&body)?)
}
