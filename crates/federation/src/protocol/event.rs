//! The fields an `Event` adds to a post document: FEP-8a8e's vocabulary and Mobilizon's
//! (`mz:`, `sc:`, `ical:`), read leniently because peers disagree on shapes (the reference,
//! §6.8): the online address as a `VirtualLocation` or as an attachment `Link` named
//! "Website"; the status as `status`, `ical:status` or schema.org's `eventStatus`; the place
//! with a `PostalAddress` or a plain-text `address`.

use passage_core::events::Place;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventFields {
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// IANA zone (FEP-8a8e, `mz:timezone`).
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub timezone: Option<String>,
    /// One `Place` or `VirtualLocation`, or a list of them (hybrid events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Value>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    #[serde(
        default,
        rename = "ical:status",
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub ical_status: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_status: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_start_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub join_mode: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_participation_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub maximum_attendee_capacity: Option<i64>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub remaining_attendee_capacity: Option<i64>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub participant_count: Option<i64>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub category: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_online: Option<bool>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub in_language: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub uuid: Option<String>,
    /// Mobilizon names the organiser here while `attributedTo` is the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<url::Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizers: Option<Value>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub anonymous_participation_enabled: Option<bool>,
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub replies_moderation_option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
}

/// Longest text kept from any one part of a remote place.
const MAX_PART: usize = 300;

fn text(v: Option<&Value>) -> Option<String> {
    let s = v?.as_str()?.trim();
    (!s.is_empty()).then(|| s.chars().take(MAX_PART).collect())
}

impl EventFields {
    fn locations(&self) -> Vec<&Value> {
        match &self.location {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(v @ Value::Object(_)) => vec![v],
            _ => Vec::new(),
        }
    }

    /// The first physical place (`Place`, or an untyped object with an address).
    pub fn place(&self) -> Option<Place> {
        let place = self.locations().into_iter().find(|l| {
            let kind = l.get("type").and_then(Value::as_str);
            kind == Some("Place") || (kind.is_none() && l.get("address").is_some())
        })?;
        let mut parts = Place {
            name: text(place.get("name")),
            latitude: place.get("latitude").and_then(Value::as_f64),
            longitude: place.get("longitude").and_then(Value::as_f64),
            ..Default::default()
        };
        match place.get("address") {
            Some(Value::String(_)) => parts.street_address = text(place.get("address")),
            Some(address @ Value::Object(_)) => {
                parts.street_address = text(address.get("streetAddress"));
                parts.locality = text(address.get("addressLocality"));
                parts.region = text(address.get("addressRegion"));
                parts.postal_code = text(address.get("postalCode"));
                parts.country = text(address.get("addressCountry"));
            }
            _ => {}
        }
        if parts.latitude.is_some_and(|l| !(-90.0..=90.0).contains(&l))
            || parts
                .longitude
                .is_some_and(|l| !(-180.0..=180.0).contains(&l))
        {
            parts.latitude = None;
            parts.longitude = None;
        }
        (parts != Place::default()).then_some(parts)
    }

    /// The online address: a `VirtualLocation`'s `url`.
    pub fn virtual_location(&self) -> Option<String> {
        self.locations()
            .into_iter()
            .filter(|l| l.get("type").and_then(Value::as_str) == Some("VirtualLocation"))
            .find_map(|l| web_url(l.get("url")))
    }

    /// The status in any of the three spellings, `eventStatus` first (FEP-8a8e).
    pub fn any_status(&self) -> Option<&str> {
        self.event_status
            .as_deref()
            .or(self.status.as_deref())
            .or(self.ical_status.as_deref())
    }
}

/// An http(s) address from a string or a `Link`'s `href`.
pub fn web_url(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("href")?.as_str()?,
        _ => return None,
    };
    ((s.starts_with("https://") || s.starts_with("http://")) && url::Url::parse(s).is_ok())
        .then(|| s.to_owned())
}
