//! Post objects: `Note` (and `Article`/`Page`, which peers such as Friendica, Lemmy or
//! WordPress send and we read as posts), and `Tombstone`.

use super::{Tag, attachments_lenient, tags_lenient, urls_lenient};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteDocument {
    pub id: Url,
    /// One type; from a list (`["Note", "Article"]`) the first kind read as a post.
    #[serde(rename = "type", deserialize_with = "kind_lenient")]
    pub kind: String,
    pub attributed_to: AttributedTo,
    #[serde(default, deserialize_with = "urls_lenient")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "urls_lenient")]
    pub cc: Vec<String>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub content: String,
    /// Every language version, the primary one first: Mastodon reads only the first key.
    #[serde(
        default,
        deserialize_with = "super::language_map_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub content_map: Option<IndexMap<String, String>>,
    #[serde(
        default,
        deserialize_with = "super::language_map_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub name_map: Option<IndexMap<String, String>>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::language_map_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary_map: Option<IndexMap<String, String>>,
    /// What the object was made in (FEP-7888): an event series, a resource folder. Other
    /// servers put a conversation here, in any shape, so it is read as anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<serde_json::Value>,
    /// The group the object was posted to (FEP-1b12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<serde_json::Value>,
    /// The address of the licence (schema.org's `license`).
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub license: Option<String>,
    #[serde(default, deserialize_with = "super::bool_lenient")]
    pub sensitive: bool,
    /// An id, a `Link`, an embedded object, a collection or a list: the first id is read.
    #[serde(
        default,
        deserialize_with = "super::first_id_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub in_reply_to: Option<Url>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "tags_lenient")]
    pub tag: Vec<Tag>,
    #[serde(
        default,
        deserialize_with = "attachments_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attachment: Vec<Attachment>,
    /// A poll (`Question`) with one choice: its options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<QuestionOption>>,
    /// A poll with several choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<QuestionOption>>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// When a poll closed: Mastodon writes a time, others `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<serde_json::Value>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub voters_count: Option<i64>,
    /// What an `Event` adds (all absent on other kinds). A Question's `endTime` above is an
    /// Event's end.
    #[serde(flatten)]
    pub event: super::event::EventFields,
}

/// One option of a `Question`: its title as `name`, its votes as `replies.totalItems`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuestionOption {
    #[serde(rename = "type", default = "note_kind")]
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<OptionReplies>,
}

fn note_kind() -> String {
    "Note".into()
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OptionReplies {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub total_items: i64,
}

/// A media attachment as Mastodon writes it: a `Document` with `mediaType`, `url`, the
/// description as `name`, and its `blurhash`, `focalPoint` and size.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// A URL, or a `Link` object with `href` (PeerTube, Pixelfed).
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub url: serde_json::Value,
    /// A `Link` attachment's address (Mobilizon's "Website" link of an online event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blurhash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focal_point: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i32>,
}

impl Attachment {
    /// The file's address, from a plain URL or the first Link.
    pub fn href(&self) -> Option<String> {
        fn first(v: &serde_json::Value) -> Option<String> {
            match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(o) => o.get("href").and_then(first),
                serde_json::Value::Array(items) => items.iter().find_map(first),
                _ => None,
            }
        }
        first(&self.url).filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    }
}

/// `attributedTo`: one actor id, an embedded actor, or a list (PeerTube lists the channel
/// and the account).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttributedTo {
    One(Url),
    Many(Vec<serde_json::Value>),
    Embedded(serde_json::Map<String, serde_json::Value>),
}

impl AttributedTo {
    /// The author: the id given, the embedded actor's id, or from a list the first id or
    /// the first `Person` (a PeerTube channel, a `Group`, comes second).
    pub fn author(&self) -> Option<Url> {
        let id_of = |m: &serde_json::Map<String, serde_json::Value>| {
            m.get("id")
                .and_then(|i| i.as_str())
                .and_then(|s| Url::parse(s).ok())
        };
        match self {
            Self::One(url) => Some(url.clone()),
            Self::Embedded(m) => id_of(m),
            Self::Many(items) => items.iter().find_map(|v| match v {
                serde_json::Value::String(s) => Url::parse(s).ok(),
                serde_json::Value::Object(m)
                    if m.get("type").and_then(|t| t.as_str()) == Some("Person") =>
                {
                    id_of(m)
                }
                _ => None,
            }),
        }
    }
}

/// `type` as a string, or read from a list of types by [`NoteDocument::kind_of`].
fn kind_lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(NoteDocument::kind_of(&serde_json::Value::deserialize(d)?).to_owned())
}

impl NoteDocument {
    /// Kinds read as posts. Media objects (PeerTube's `Video`, Funkwhale's `Audio`, Pixelfed's
    /// `Image`) become statuses with their name as a heading and a link, as in Mastodon.
    pub const KINDS: [&'static str; 9] = [
        "Note", "Article", "Page", "Question", "Event", "Audio", "Video", "Image", "Document",
    ];

    /// Kinds shown with their name as a heading rather than as a microblog post (and an
    /// `Event` without times, which is stored as a post, not as an event).
    const TITLED: [&'static str; 6] = ["Article", "Page", "Audio", "Video", "Image", "Document"];

    /// The kind a `type` value names: itself, or from a list the first titled kind (as
    /// Mastodon converts an object when any of its types is one), else the first post kind,
    /// else the first entry. Empty for anything else.
    pub fn kind_of(value: &serde_json::Value) -> &str {
        match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Array(items) => {
                let names = || items.iter().filter_map(|v| v.as_str());
                names()
                    .find(|k| Self::TITLED.contains(k))
                    .or_else(|| names().find(|k| Self::KINDS.contains(k)))
                    .or_else(|| names().next())
                    .unwrap_or_default()
            }
            _ => "",
        }
    }

    /// Most poll options read from a remote `Question`, and longest title kept: generous
    /// beside Mastodon's 4 × 50, small enough that a hostile poll costs nothing.
    pub const MAX_POLL_OPTIONS: usize = 20;
    pub const MAX_OPTION_CHARS: usize = 200;

    /// The options of a `Question` with their counts and whether several may be chosen.
    pub fn poll_options(&self) -> Option<(Vec<(String, i64)>, bool)> {
        if self.kind != "Question" {
            return None;
        }
        let (options, multiple) = match (&self.one_of, &self.any_of) {
            (Some(one), _) if !one.is_empty() => (one, false),
            (_, Some(any)) if !any.is_empty() => (any, true),
            _ => return None,
        };
        let options = options
            .iter()
            .take(Self::MAX_POLL_OPTIONS)
            .map(|o| {
                let title = o.name.chars().take(Self::MAX_OPTION_CHARS).collect();
                (
                    title,
                    o.replies.as_ref().map_or(0, |r| r.total_items.max(0)),
                )
            })
            .collect();
        Some((options, multiple))
    }

    /// The language of the content: the first `contentMap` key, if any.
    pub fn language(&self) -> Option<String> {
        self.content_map
            .as_ref()
            .and_then(|m| m.keys().next().cloned())
    }

    /// The HTML to show: `content`, or the `contentMap` entry when `content` is empty.
    /// Articles, media objects and events with a `name` get it as a heading, as Mastodon
    /// shows them; a media object without text gets a link to where it plays.
    pub fn html(&self) -> String {
        let mut body = if self.content.is_empty() {
            self.content_map
                .as_ref()
                .and_then(|m| m.values().next().cloned())
                .unwrap_or_default()
        } else {
            self.content.clone()
        };
        let timeless_event = self.kind == "Event" && self.event.start_time.is_none();
        if !Self::TITLED.contains(&self.kind.as_str()) && !timeless_event {
            return body;
        }
        if body.is_empty() && matches!(self.kind.as_str(), "Audio" | "Video" | "Image" | "Document")
        {
            let link = self
                .url
                .as_ref()
                .and_then(super::first_id)
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .unwrap_or_else(|| self.id.clone());
            let link = html_escape(link.as_str()).replace('"', "&quot;");
            body = format!("<p><a href=\"{link}\">{link}</a></p>");
        }
        match &self.name {
            Some(name) if !name.trim().is_empty() => {
                format!("<p><strong>{}</strong></p>{body}", html_escape(name))
            }
            _ => body,
        }
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
}
