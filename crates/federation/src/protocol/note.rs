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
    #[serde(rename = "type")]
    pub kind: String,
    pub attributed_to: AttributedTo,
    #[serde(default, deserialize_with = "urls_lenient")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "urls_lenient")]
    pub cc: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(default, deserialize_with = "super::bool_lenient")]
    pub sensitive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// When a poll closed: Mastodon writes a time, others `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// `attributedTo`: one actor id, or a list (PeerTube lists the channel and the account).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttributedTo {
    One(Url),
    Many(Vec<serde_json::Value>),
}

impl AttributedTo {
    /// The first Person-like author.
    pub fn author(&self) -> Option<Url> {
        match self {
            Self::One(url) => Some(url.clone()),
            Self::Many(items) => items.iter().find_map(|v| match v {
                serde_json::Value::String(s) => Url::parse(s).ok(),
                serde_json::Value::Object(m)
                    if m.get("type").and_then(|t| t.as_str()) == Some("Person") =>
                {
                    m.get("id")
                        .and_then(|i| i.as_str())
                        .and_then(|s| Url::parse(s).ok())
                }
                _ => None,
            }),
        }
    }
}

impl NoteDocument {
    /// Kinds read as posts.
    pub const KINDS: [&'static str; 5] = ["Note", "Article", "Page", "Question", "Event"];

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

    /// The HTML to show: `content`, or the `contentMap` entry when `content` is empty. Articles
    /// with a `name` get it as a heading, as Mastodon shows them.
    pub fn html(&self) -> String {
        let body = if self.content.is_empty() {
            self.content_map
                .as_ref()
                .and_then(|m| m.values().next().cloned())
                .unwrap_or_default()
        } else {
            self.content.clone()
        };
        match (&self.name, self.kind.as_str()) {
            (Some(name), "Article" | "Page") => {
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
