//! Wire types: ActivityStreams documents as peers send and expect them. Plain serde structs;
//! behaviour lives in `objects/` and `activities/`.

pub mod actor;
pub mod addressing;
pub mod event;
pub mod limits;
pub mod note;

#[cfg(test)]
mod fixture_tests;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use url::Url;

/// Refuses `id` unless it has the origin of `expected` (scheme, host and port). Stricter than
/// activitypub_federation's `verify_domains_match`, which ignores the port: two servers on
/// one host are two origins, and neither may speak for the other's objects.
pub fn verify_same_origin(id: &Url, expected: &Url) -> Result<(), crate::FederationError> {
    if id.origin() == expected.origin() {
        Ok(())
    } else {
        Err(crate::FederationError::Forbidden(format!(
            "{id} does not belong to the server of {expected}"
        )))
    }
}

/// The `https://www.w3.org/ns/activitystreams#Public` collection.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The JSON-LD context of everything we serve and send: ActivityStreams, security (keys) and
/// the Mastodon extensions clients and peers read (`sensitive`, `Hashtag`, `Emoji`,
/// `manuallyApprovesFollowers`, profile fields as schema.org `PropertyValue`s).
pub fn context() -> Value {
    serde_json::json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "suspended": "toot:suspended",
            "alsoKnownAs": { "@id": "as:alsoKnownAs", "@type": "@id" },
            "movedTo": { "@id": "as:movedTo", "@type": "@id" },
            "Emoji": "toot:Emoji",
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "sc": "http://schema.org#",
            "mz": "https://joinmobilizon.org/ns#",
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "location": { "@id": "sc:location", "@type": "sc:Place" },
            "address": { "@id": "sc:address", "@type": "sc:PostalAddress" },
            "PostalAddress": "sc:PostalAddress",
            "streetAddress": "sc:streetAddress",
            "addressLocality": "sc:addressLocality",
            "addressRegion": "sc:addressRegion",
            "postalCode": "sc:postalCode",
            "addressCountry": "sc:addressCountry",
            "VirtualLocation": "sc:VirtualLocation",
            "category": "sc:category",
            "inLanguage": "sc:inLanguage",
            "uuid": "sc:identifier",
            "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
            "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
            "eventStatus": { "@id": "sc:eventStatus", "@type": "@id" },
            "previousStartTime": "sc:previousStartDate",
            "timezone": "mz:timezone",
            "joinMode": "mz:joinMode",
            "externalParticipationUrl": "mz:externalParticipationUrl",
            "participantCount": "mz:participantCount",
            "isOnline": "mz:isOnline",
            "anonymousParticipationEnabled": "mz:anonymousParticipationEnabled",
            "repliesModerationOption": "mz:repliesModerationOption",
            "commentsEnabled": "pt:commentsEnabled",
            "pt": "https://joinpeertube.org/ns#",
            "status": "ical:status",
            "license": "sc:license",
            "ResourceCollection": "mz:ResourceCollection",
            "openness": "mz:openness"
        }
    ])
}

/// Wraps a document with [`context`].
pub fn with_context<T: Serialize>(
    inner: T,
) -> activitypub_federation::protocol::context::WithContext<T> {
    activitypub_federation::protocol::context::WithContext::new(inner, context())
}

/// An object given inline or by id. Peers do both (Accept of a Follow, Undo of a Like...).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IdOr<T> {
    Id(Url),
    Object(Box<T>),
}

/// The id a reference gives: the string itself, or the `id` of an inline object.
pub fn id_of(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(map) => map.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// The first usable id a reference gives, however a peer writes it: an id, a `Link` (its
/// `href`), an embedded object (its `id`), a collection (its first item) or a list of any of
/// these, as Mastodon reads `inReplyTo`. Nesting is followed a few levels only: a hostile
/// document cannot make the reader recurse.
pub fn first_id(value: &Value) -> Option<Url> {
    fn within(value: &Value, depth: u8) -> Option<Url> {
        let depth = depth.checked_sub(1)?;
        match value {
            Value::String(s) => Url::parse(s).ok(),
            Value::Array(items) => items.iter().take(16).find_map(|v| within(v, depth)),
            Value::Object(map) => {
                let kind = map.get("type").and_then(Value::as_str).unwrap_or_default();
                if kind.contains("Collection") {
                    ["orderedItems", "items"]
                        .iter()
                        .filter_map(|k| map.get(*k))
                        .find_map(|v| within(v, depth))
                } else if kind == "Link" {
                    map.get("href").and_then(|v| within(v, depth))
                } else {
                    map.get("id")
                        .or_else(|| map.get("href"))
                        .and_then(|v| within(v, depth))
                }
            }
            _ => None,
        }
    }
    within(value, 4)
}

/// Reads an optional reference with [`first_id`]; shapes without a usable id read as absent.
pub fn first_id_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.as_ref().and_then(first_id))
}

/// Reads an optional field that other software may shape otherwise (PeerTube's `category`
/// is an object, a number may come as a string): what does not fit reads as absent, so one
/// odd field never costs the whole object.
pub fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| serde_json::from_value(v).ok()))
}

/// Reads `null` as the type's default (PeerTube writes `"content": null`).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Reads a field that may be absent, one value, or a list of values.
/// The ids in a value that is one object or id, or a list of them.
pub fn one_or_many_ids(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(id_of).map(str::to_owned).collect(),
        one => id_of(one).map(str::to_owned).into_iter().collect(),
    }
}

pub(crate) fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items,
        Some(other) => vec![other],
    })
}

/// Reads `to`/`cc`-style fields that may be one URL, a list, or absent; skips entries that
/// are not URLs, and spells the public collection in full where servers abbreviate it.
pub fn urls_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(one_or_many(d)?
        .iter()
        .filter_map(id_of)
        .map(|id| match id {
            "as:Public" | "Public" => PUBLIC.to_owned(),
            other => other.to_owned(),
        })
        .collect())
}

/// A tag entry: Mention, Hashtag, Emoji... Unknown kinds are kept and ignored.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An `Emoji`'s own id, and its picture (an `Image` with a `url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Value>,
    /// A `Link`'s media type: ActivityStreams for an object link (FEP-e232).
    #[serde(default, rename = "mediaType", skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// The media type FEP-e232 gives a link to an ActivityPub object.
pub const OBJECT_LINK_TYPE: &str =
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

impl Tag {
    /// A Mention or Hashtag: a name and a link.
    pub fn link(kind: &str, href: String, name: String) -> Self {
        Self {
            kind: kind.into(),
            href: Some(href),
            name: Some(name),
            id: None,
            icon: None,
            media_type: None,
        }
    }

    /// An object link (FEP-e232) to `href`, shown as `name`.
    pub fn object_link(href: String, name: Option<String>) -> Self {
        Self {
            kind: "Link".into(),
            href: Some(href),
            name,
            id: None,
            icon: None,
            media_type: Some(OBJECT_LINK_TYPE.into()),
        }
    }

    /// The address and text of an object link (FEP-e232): a `Link` whose media type is
    /// ActivityStreams, in either spelling peers use.
    pub fn object_link_target(&self) -> Option<(String, Option<String>)> {
        let media = self.media_type.as_deref()?;
        let activity_streams = media.starts_with("application/activity+json")
            || (media.starts_with("application/ld+json")
                && media.contains("https://www.w3.org/ns/activitystreams"));
        (self.kind == "Link" && activity_streams)
            .then(|| (self.href.clone(), self.name.clone()))
            .and_then(|(href, name)| Some((href?, name)))
    }

    /// The shortcode and picture of an `Emoji` tag (`:name:` and its icon's url).
    pub fn emoji(&self) -> Option<(String, String)> {
        if self.kind != "Emoji" {
            return None;
        }
        let code = self.name.as_deref()?.trim_matches(':').to_owned();
        let icon = self.icon.as_ref()?;
        let url = icon.get("url").and_then(Value::as_str)?.to_owned();
        Some((code, url))
    }
}

/// Reads `tag`, which may be one object or a list, skipping entries we cannot read.
pub fn tags_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Tag>, D::Error> {
    Ok(one_or_many(d)?
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

/// Reads `attachment`, one object or a list, skipping entries we cannot read.
pub fn attachments_lenient<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<note::Attachment>, D::Error> {
    Ok(one_or_many(d)?
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

/// A language map (`contentMap`, `nameMap`, `summaryMap`) in the order it was sent, keeping
/// only text entries: a peer's odd value drops that entry, not the whole object.
pub fn language_map_lenient<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<indexmap::IndexMap<String, String>>, D::Error> {
    // Read as an ordered map (serde_json's own map would sort the languages).
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum MapOrNot {
        Map(indexmap::IndexMap<String, Value>),
        Other(serde::de::IgnoredAny),
    }
    let MapOrNot::Map(map) = MapOrNot::deserialize(d)? else {
        return Ok(None);
    };
    let kept: indexmap::IndexMap<String, String> = map
        .into_iter()
        .filter_map(|(language, text)| Some((language, text.as_str()?.to_owned())))
        .collect();
    Ok((!kept.is_empty()).then_some(kept))
}

/// Reads a boolean that some servers send as `null` (Pleroma's `sensitive`).
pub fn bool_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}
