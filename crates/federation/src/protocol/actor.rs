//! Actor documents: `Person`, `Group`, `Application` (and the other actor types peers use).

use activitypub_federation::protocol::public_key::PublicKey;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorDocument {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    /// Optional in ActivityStreams; see [`ActorDocument::username`].
    #[serde(default)]
    pub preferred_username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub inbox: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "super::bool_lenient")]
    pub manually_approves_followers: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discoverable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Avatar and header: an `Image`, a bare URL, or a list of either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<serde_json::Value>,
    /// Profile fields as Mastodon's `PropertyValue`s (other attachments are ignored).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::one_or_many"
    )]
    pub attachment: Vec<serde_json::Value>,
    /// What an organisation (`Group`) adds.
    #[serde(flatten)]
    pub group: GroupCollections,
    /// The other accounts this one says it also is: where it may be moved from.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::one_or_many"
    )]
    pub also_known_as: Vec<serde_json::Value>,
    /// The account this one moved to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<serde_json::Value>,
    /// Suspended by its server's moderators (Mastodon's `toot:suspended`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspended: bool,
}

/// The collections of an organisation: its moderators as `attributedTo` (FEP-1b12), its
/// members and resources (Mobilizon's names), its events (Mobilizon's `events`, FEP-8a8e's
/// `upcomingEvents`) and who may join. Absent on other actors.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupCollections {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upcoming_events: Option<serde_json::Value>,
    /// Mobilizon's `openness`: ours are `invite_only`, as an organisation chooses its
    /// members itself (Mobilizon then offers to follow rather than to join).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openness: Option<String>,
}

/// An `Image` with its URL, as Mastodon sends avatars and headers.
pub fn image(url: &str) -> serde_json::Value {
    let media_type = if url.ends_with(".png") {
        "image/png"
    } else {
        "image/jpeg"
    };
    serde_json::json!({"type": "Image", "mediaType": media_type, "url": url})
}

/// A profile field as a `PropertyValue`.
pub fn property_value(name: &str, value: &str) -> serde_json::Value {
    serde_json::json!({"type": "PropertyValue", "name": name, "value": value})
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

impl ActorDocument {
    /// The name the account is stored and shown under: `preferredUsername`, or, for actors
    /// without one (it is optional), the last segment of the id (`…/users/123` is `123`).
    pub fn username(&self) -> String {
        let given = self.preferred_username.trim();
        if !given.is_empty() {
            return given.to_owned();
        }
        let segment = self
            .id
            .path_segments()
            .and_then(|mut s| s.rfind(|part| !part.is_empty()))
            .unwrap_or_default();
        let derived: String = segment
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .take(100)
            .collect();
        if derived.is_empty() {
            self.id.host_str().unwrap_or("actor").to_owned()
        } else {
            derived
        }
    }

    /// The profile page: `url` may be a string, a Link object or a list of them.
    pub fn profile_url(&self) -> Option<String> {
        fn first(v: &serde_json::Value) -> Option<String> {
            match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(m) => {
                    m.get("href").and_then(|h| h.as_str()).map(str::to_owned)
                }
                serde_json::Value::Array(items) => items.iter().find_map(first),
                _ => None,
            }
        }
        self.url.as_ref().and_then(first)
    }

    pub fn avatar_url(&self) -> Option<String> {
        self.icon.as_ref().and_then(image_url)
    }

    pub fn header_url(&self) -> Option<String> {
        self.image.as_ref().and_then(image_url)
    }

    /// `(name, value)` of each `PropertyValue` attachment.
    pub fn fields(&self) -> Vec<(String, String)> {
        self.attachment
            .iter()
            .filter(|a| a.get("type").and_then(|t| t.as_str()) == Some("PropertyValue"))
            .filter_map(|a| {
                let text = |k: &str| a.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                Some((text("name")?, text("value")?))
            })
            .collect()
    }
}

/// The URL of an image: a string, an object's `url` (itself a string or a Link), or the
/// first of a list.
fn image_url(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Object(m) => match m.get("url")? {
            serde_json::Value::Object(link) => link.get("href")?.as_str().map(str::to_owned),
            other => image_url(other),
        },
        serde_json::Value::Array(items) => items.iter().find_map(image_url),
        _ => None,
    }
}
