//! The human-readable lines of an event, in its language: when (with the IANA zone), where,
//! the online address and where to register. Mastodon shows a remote `Event` as its name,
//! its `summary` and a link, dropping `content` (see the reference, §3.6), so everything a
//! reader needs to decide and come must fit in the summary. Dates are localised by chrono's
//! locale tables; the few words around them are translated here for the network's languages.

use super::{Event, Status};
use crate::content::escape;
use chrono::{Locale, TimeZone};
use chrono_tz::Tz;

/// Words used around dates, per language.
struct Words {
    locale: Locale,
    online: &'static str,
    register: &'static str,
    cancelled: &'static str,
    tentative: &'static str,
    postponed_from: &'static str,
    /// The question a direct poll asks, and its two answers.
    question: &'static str,
    going: &'static str,
    not_going: &'static str,
}

/// The languages event lines are written in; others get English.
pub const LANGUAGES: [&str; 7] = ["en", "fr", "nl", "el", "lv", "es", "de"];

fn words(language: &str) -> Words {
    let base = language.split(['-', '_']).next().unwrap_or("en");
    match base {
        "fr" => Words {
            locale: Locale::fr_BE,
            online: "En ligne",
            register: "Inscription",
            cancelled: "ANNULÉ",
            tentative: "À confirmer",
            postponed_from: "reporté, prévu d'abord le",
            question: "Serez-vous là ?",
            going: "J'y serai",
            not_going: "Je n'y serai pas",
        },
        "nl" => Words {
            locale: Locale::nl_NL,
            online: "Online",
            register: "Aanmelden",
            cancelled: "GEANNULEERD",
            tentative: "Onder voorbehoud",
            postponed_from: "verplaatst, eerst gepland op",
            question: "Kom je?",
            going: "Ik kom",
            not_going: "Ik kom niet",
        },
        "el" => Words {
            locale: Locale::el_GR,
            online: "Διαδικτυακά",
            register: "Εγγραφή",
            cancelled: "ΑΚΥΡΩΘΗΚΕ",
            tentative: "Προς επιβεβαίωση",
            postponed_from: "αναβλήθηκε, αρχικά στις",
            question: "Θα έρθεις;",
            going: "Θα έρθω",
            not_going: "Δεν θα έρθω",
        },
        "lv" => Words {
            locale: Locale::lv_LV,
            online: "Tiešsaistē",
            register: "Reģistrēties",
            cancelled: "ATCELTS",
            tentative: "Vēl jāapstiprina",
            postponed_from: "pārcelts, sākotnēji",
            question: "Vai piedalīsies?",
            going: "Piedalīšos",
            not_going: "Nepiedalīšos",
        },
        "es" => Words {
            locale: Locale::es_ES,
            online: "En línea",
            register: "Inscripción",
            cancelled: "CANCELADO",
            tentative: "Por confirmar",
            postponed_from: "aplazado, previsto antes el",
            question: "¿Vendrás?",
            going: "Asistiré",
            not_going: "No asistiré",
        },
        "de" => Words {
            locale: Locale::de_DE,
            online: "Online",
            register: "Anmeldung",
            cancelled: "ABGESAGT",
            tentative: "Unter Vorbehalt",
            postponed_from: "verschoben, zuerst geplant am",
            question: "Kommst du?",
            going: "Ich komme",
            not_going: "Ich komme nicht",
        },
        _ => Words {
            locale: Locale::en_GB,
            online: "Online",
            register: "Register",
            cancelled: "CANCELLED",
            tentative: "To be confirmed",
            postponed_from: "postponed, first planned for",
            question: "Will you come?",
            going: "Going",
            not_going: "Not going",
        },
    }
}

/// The event's zone: its own, or UTC when a peer sent none.
pub fn zone(event: &Event) -> Tz {
    event
        .timezone
        .as_deref()
        .and_then(|name| name.parse().ok())
        .unwrap_or(Tz::UTC)
}

/// The question a direct poll asks about an event (in `language`) and its answers, going
/// first.
pub fn poll_words(language: &str) -> (&'static str, [&'static str; 2]) {
    let w = words(language);
    (w.question, [w.going, w.not_going])
}

/// "Tuesday 1 December 2026, 18:00–20:00 (Europe/Brussels)", in `language`.
pub fn when(event: &Event, language: &str) -> String {
    let w = words(language);
    let tz = zone(event);
    let start = tz.from_utc_datetime(&event.starts_at.naive_utc());
    let mut text = start
        .format_localized("%A %-d %B %Y, %H:%M", w.locale)
        .to_string();
    if let Some(end) = event.ends_at {
        let end = tz.from_utc_datetime(&end.naive_utc());
        if end.date_naive() == start.date_naive() {
            text.push_str(&end.format("–%H:%M").to_string());
        } else {
            text.push_str(" – ");
            text.push_str(
                &end.format_localized("%A %-d %B %Y, %H:%M", w.locale)
                    .to_string(),
            );
        }
    }
    text.push_str(&format!(" ({})", tz.name()));
    text
}

/// The place on one line: name, street, postcode and town, region, country.
pub fn place(event: &Event) -> Option<String> {
    let town = [event.postal_code.as_deref(), event.locality.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let parts: Vec<&str> = [
        event.place_name.as_deref(),
        event.street_address.as_deref(),
        Some(town.as_str()),
        event.region.as_deref(),
        event.country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|s| !s.is_empty())
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn link(url: &str) -> String {
    let url = escape(url);
    format!("<a href=\"{url}\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">{url}</a>")
}

/// The summary lines as HTML (`<br>`-separated): status, when, where, online, register.
/// `page` is the event's own page, where people register.
pub fn summary_html(event: &Event, language: &str, page: &str) -> String {
    let w = words(language);
    let mut lines = Vec::new();
    match Status::parse(&event.status) {
        Ok(Status::Cancelled) => lines.push(format!("❌ {}", w.cancelled)),
        Ok(Status::Tentative) => lines.push(format!("❔ {}", w.tentative)),
        _ => {}
    }
    let mut when_line = format!("🗓️ {}", escape(&when(event, language)));
    if let Some(previous) = event.previous_starts_at {
        let tz = zone(event);
        let before = tz
            .from_utc_datetime(&previous.naive_utc())
            .format_localized("%-d %B %Y, %H:%M", w.locale);
        when_line.push_str(&format!(" ({} {before})", w.postponed_from));
    }
    lines.push(when_line);
    if let Some(place) = place(event) {
        lines.push(format!("📍 {}", escape(&place)));
    }
    if let Some(online) = &event.online_url {
        lines.push(format!("💻 {}: {}", w.online, link(online)));
    }
    let register = event.external_url.as_deref().unwrap_or(page);
    lines.push(format!("🎟️ {}: {}", w.register, link(register)));
    lines.join("<br>")
}

/// The status text Mastodon clients show for one of our events: the name, the summary
/// lines, then the description.
pub fn status_html(event: &Event, language: &str, page: &str, description_html: &str) -> String {
    format!(
        "<p><strong>{}</strong></p><p>{}</p>{}",
        escape(&event.name),
        summary_html(event, language, page),
        description_html
    )
}
