//! Parse tests over real payloads captured from Mastodon, Pleroma, Friendica, GNU social,
//! Mobilizon and Lemmy (`crates/federation/assets/lemmy-apub-assets/`): every activity and object
//! type this crate handles must read, and visibility must come out as the sender meant.

use crate::{
    activities::{
        announce::Announce, create::Create, delete::Delete, follow::Follow, like::Like, undo::Undo,
        update::Update,
    },
    protocol::{actor::ActorDocument, addressing::visibility_of, note::NoteDocument},
    tests_support::fixtures_dir,
};
use passage_core::visibility::Visibility;
use serde_json::Value;

fn files(dir: &str) -> Vec<(String, Value)> {
    fn walk(path: &std::path::Path, out: &mut Vec<(String, Value)>) {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        for entry in entries {
            let file = entry.unwrap().path();
            if file.is_dir() {
                walk(&file, out);
            } else if file.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&file).unwrap();
                out.push((
                    file.display().to_string(),
                    serde_json::from_str(&text).unwrap(),
                ));
            }
        }
    }
    let root = format!("{}/lemmy-apub-assets", fixtures_dir());
    let mut out = Vec::new();
    for software in std::fs::read_dir(&root).unwrap_or_else(|e| panic!("{root}: {e}")) {
        walk(&software.unwrap().path().join(dir), &mut out);
    }
    assert!(!out.is_empty(), "no fixtures under {root}/*/{dir}");
    out
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, value: &Value) {
    if let Err(e) = serde_json::from_value::<T>(value.clone()) {
        panic!("{name}: {e}");
    }
}

#[test]
fn activities_of_handled_types_parse() {
    let mut parsed = 0;
    for (name, value) in files("activities") {
        let object_kind = value["object"]["type"].as_str().unwrap_or_default();
        match value["type"].as_str().unwrap_or_default() {
            "Follow" => parse::<Follow>(&name, &value),
            "Undo" => parse::<Undo>(&name, &value),
            "Create" if NoteDocument::KINDS.contains(&object_kind) => {
                parse::<Create>(&name, &value)
            }
            "Update" => parse::<Update>(&name, &value),
            "Delete" => parse::<Delete>(&name, &value),
            "Like" => parse::<Like>(&name, &value),
            "Announce"
                if value["object"].is_string() || NoteDocument::KINDS.contains(&object_kind) =>
            {
                parse::<Announce>(&name, &value)
            }
            _ => continue,
        }
        parsed += 1;
    }
    assert!(parsed >= 30, "only {parsed} activities parsed");
}

#[test]
fn actors_and_posts_parse() {
    let mut actors = 0;
    let mut notes = 0;
    for (name, value) in files("objects") {
        match value["type"].as_str().unwrap_or_default() {
            "Person" | "Group" | "Organization" | "Service" | "Application" => {
                parse::<ActorDocument>(&name, &value);
                actors += 1;
            }
            kind if NoteDocument::KINDS.contains(&kind) => {
                parse::<NoteDocument>(&name, &value);
                notes += 1;
            }
            _ => {}
        }
    }
    assert!(
        actors >= 15 && notes >= 15,
        "{actors} actors, {notes} notes"
    );
}

#[test]
fn mastodon_addressing_reads_as_mastodon_meant() {
    let dir = format!("{}/lemmy-apub-assets/mastodon/activities", fixtures_dir());
    let text = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
    let read = |f: &str| -> Create { serde_json::from_str(&text(f)).unwrap() };
    // This capture is an unlisted reply: followers in `to`, Public in `cc`.
    let public = read("create_note.json");
    assert_eq!(
        visibility_of(&public.object.to, &public.object.cc, None),
        Visibility::Unlisted
    );
    let dm: NoteDocument = serde_json::from_str(&text("private_message.json")).unwrap();
    assert_eq!(visibility_of(&dm.to, &dm.cc, None), Visibility::Direct);
    assert!(
        public.object.language().is_some(),
        "contentMap gives the language"
    );
}

#[test]
fn mobilizon_event_reads_with_place_status_and_organiser() {
    let path = format!(
        "{}/lemmy-apub-assets/mobilizon/objects/event.json",
        fixtures_dir()
    );
    let event: NoteDocument =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(event.kind, "Event");
    let f = &event.event;
    assert_eq!(f.timezone.as_deref(), Some("Europe/London"));
    assert_eq!(f.any_status(), Some("CONFIRMED"));
    assert_eq!(f.join_mode.as_deref(), Some("free"));
    assert_eq!(
        f.start_time.unwrap().to_rfc3339(),
        "2022-12-11T19:00:00+00:00"
    );
    assert!(event.end_time.unwrap() > f.start_time.unwrap());
    let place = f.place().unwrap();
    assert_eq!(place.name.as_deref(), Some("The Kenn Centre"));
    assert_eq!(place.postal_code.as_deref(), Some("EX6 7TW"));
    assert_eq!(place.locality.as_deref(), Some("Teignbridge"));
    assert!((place.latitude.unwrap() - 50.668816).abs() < 1e-4);
    assert_eq!(f.virtual_location(), None);
    // The organiser sends; the group is the host.
    assert_eq!(
        f.actor.as_ref().unwrap().as_str(),
        "https://rendezvous.nomagic.uk/@emorrp1"
    );
    let host = event.attributed_to.author().unwrap();
    assert!(host.as_str().ends_with("@devon_caledonian_society"));
    assert!(crate::objects::note::sent_by_author(
        &event,
        &host,
        f.actor.as_ref().unwrap()
    ));
    assert_eq!(event.attachment[0].name.as_deref(), Some("Banner"));
}

#[test]
fn fep_8a8e_hybrid_event_reads_both_locations() {
    let event: NoteDocument = serde_json::from_value(serde_json::json!({
        "id": "https://g.example/federation/m/42",
        "type": "Event",
        "attributedTo": "https://g.example/federation/u/relay",
        "name": "Know your rights",
        "startTime": "2026-03-01T18:00:00+01:00",
        "endTime": "2026-03-01T20:00:00+01:00",
        "timezone": "Europe/Rome",
        "eventStatus": "https://schema.org/EventCancelled",
        "location": [
            { "type": "VirtualLocation", "url": "https://jitsi.example/x" },
            { "type": "Place", "name": "Colosseo", "address": "Piazza del Colosseo, Roma",
              "latitude": 41.89, "longitude": 12.49 }
        ]
    }))
    .unwrap();
    let f = &event.event;
    assert_eq!(
        f.virtual_location().as_deref(),
        Some("https://jitsi.example/x")
    );
    let place = f.place().unwrap();
    assert_eq!(
        place.street_address.as_deref(),
        Some("Piazza del Colosseo, Roma")
    );
    assert_eq!(
        passage_core::events::Status::parse(f.any_status().unwrap()).unwrap(),
        passage_core::events::Status::Cancelled
    );
}

#[test]
fn language_maps_keep_the_order_sent_and_drop_what_is_not_text() {
    let note: NoteDocument = serde_json::from_value(serde_json::json!({
        "id": "https://peer.example/notes/1",
        "type": "Note",
        "attributedTo": "https://peer.example/users/ana",
        "content": "<p>Bonjour</p>",
        "contentMap": {"fr": "<p>Bonjour</p>", "en": "<p>Hello</p>", "de": null},
        "nameMap": "not a map",
        "summaryMap": {"el": 5}
    }))
    .unwrap();
    let languages: Vec<&String> = note.content_map.as_ref().unwrap().keys().collect();
    assert_eq!(languages, ["fr", "en"], "primary first, as sent");
    assert_eq!(note.language().as_deref(), Some("fr"));
    assert!(note.name_map.is_none() && note.summary_map.is_none());
}
