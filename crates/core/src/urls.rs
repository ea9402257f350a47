//! The one place that knows the shape of local URLs (actor ids, inboxes, objects).

use url::Url;

#[derive(Clone, Debug)]
pub struct Urls {
    base: String,
}

/// Username of the instance actor: the server-level `Application` that signs fetches.
pub const INSTANCE_ACTOR: &str = "instance.actor";

impl Urls {
    /// `debug` serves plain http (tests and development on `localhost:PORT`).
    pub fn new(domain: &str, debug: bool) -> Self {
        let scheme = if debug { "http" } else { "https" };
        Self {
            base: format!("{scheme}://{domain}"),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// `https`, or `http` for a debug instance.
    pub fn scheme(&self) -> &str {
        self.base
            .split_once("://")
            .map_or("https", |(scheme, _)| scheme)
    }

    pub fn actor(&self, username: &str) -> String {
        if username == INSTANCE_ACTOR {
            format!("{}/actor", self.base)
        } else {
            format!("{}/users/{username}", self.base)
        }
    }

    pub fn inbox(&self, username: &str) -> String {
        format!("{}/inbox", self.actor(username))
    }

    pub fn outbox(&self, username: &str) -> String {
        format!("{}/outbox", self.actor(username))
    }

    pub fn followers(&self, username: &str) -> String {
        format!("{}/followers", self.actor(username))
    }

    pub fn following(&self, username: &str) -> String {
        format!("{}/following", self.actor(username))
    }

    pub fn profile(&self, username: &str) -> String {
        format!("{}/@{username}", self.base)
    }

    /// A local post's page, the `url` apps open: its author's profile and the client API id.
    pub fn post_page(&self, username: &str, id: i64) -> String {
        format!("{}/{id}", self.profile(username))
    }

    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }

    /// A new post id; random so ids reveal neither counts nor order.
    pub fn new_post(&self) -> String {
        self.post(&uuid::Uuid::now_v7().to_string())
    }

    /// A post's ActivityPub id from the last segment of its address.
    pub fn post(&self, key: &str) -> String {
        format!("{}/posts/{key}", self.base)
    }

    /// An event's id (also its page) from the last segment of its address.
    pub fn event(&self, key: &str) -> String {
        format!("{}/events/{key}", self.base)
    }

    /// A new event's id.
    pub fn new_event(&self) -> String {
        self.event(&uuid::Uuid::now_v7().to_string())
    }

    /// A recurring series of events.
    pub fn event_series(&self, key: &str) -> String {
        format!("{}/events/series/{key}", self.base)
    }

    /// A resource's id (also its page).
    pub fn resource(&self, key: &str) -> String {
        format!("{}/resources/{key}", self.base)
    }

    /// A new resource's id.
    pub fn new_resource(&self) -> String {
        self.resource(&uuid::Uuid::now_v7().to_string())
    }

    /// A folder of resources.
    pub fn resource_folder(&self, key: &str) -> String {
        format!("{}/resources/folders/{key}", self.base)
    }

    /// Where a hashtag's page is; `tag("")` is the base the composer links hashtags to.
    pub fn tag(&self, name: &str) -> String {
        if name.is_empty() {
            format!("{}/tags", self.base)
        } else {
            format!("{}/tags/{name}", self.base)
        }
    }

    /// An organisation's or a member's public calendar feed.
    pub fn calendar_feed(&self, username: &str) -> String {
        format!("{}/feed/ics", self.profile(username))
    }

    /// A member's private feed of the events she answered.
    pub fn calendar_answers(&self, token: &str) -> String {
        format!("{}/feed/ics/answers/{token}", self.base)
    }

    /// A file shipped with the server (`avatar.png`, `header.png`).
    pub fn static_file(&self, name: &str) -> String {
        format!("{}/static/{name}", self.base)
    }

    /// A new activity id (Follow, Like, Announce, and the activities delivery renders).
    pub fn new_activity(&self) -> String {
        format!("{}/activities/{}", self.base, uuid::Uuid::now_v7())
    }

    /// True when `url` points at this instance.
    pub fn is_local(&self, url: &str) -> bool {
        url == self.base || url.starts_with(&format!("{}/", self.base))
    }

    /// `text` as an absolute `http(s)` address in its normal form (which holds no control
    /// characters or spaces), or None: what a peer gives as a link is stored only so, never as
    /// `javascript:` or with a line break that could split a calendar feed.
    pub fn web_address(text: &str) -> Option<String> {
        let url = Url::parse(text.trim()).ok()?;
        matches!(url.scheme(), "http" | "https").then(|| url.to_string())
    }

    /// The host (with port, if any) of a URL, lowercased, without a trailing dot.
    pub fn host_of(url: &str) -> Option<String> {
        let parsed = Url::parse(url).ok()?;
        let host = parsed.host_str()?.trim_end_matches('.').to_lowercase();
        Some(match parsed.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        })
    }
}
