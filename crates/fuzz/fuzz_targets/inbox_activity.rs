//! What the inbox does with a body before any database work: parse the JSON, check its shape
//! limits, then read it as each activity and object type we handle. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_federation::{activities, protocol};
use serde_json::Value;

fn read<T: serde::de::DeserializeOwned>(value: &Value) {
    let _ = serde_json::from_value::<T>(value.clone());
}

fuzz_target!(|body: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    if protocol::limits::check(&value).is_err() {
        return;
    }
    let _ = value.get("id").and_then(protocol::id_of);
    let _ = protocol::one_or_many_ids(&value["to"]);
    read::<activities::follow::Follow>(&value);
    read::<activities::accept::Accept>(&value);
    read::<activities::reject::Reject>(&value);
    read::<activities::undo::Undo>(&value);
    read::<activities::create::Create>(&value);
    read::<activities::update::Update>(&value);
    read::<activities::delete::Delete>(&value);
    read::<activities::like::Like>(&value);
    read::<activities::announce::Announce>(&value);
    read::<activities::block::Block>(&value);
    read::<activities::flag::Flag>(&value);
    read::<activities::join::Join>(&value);
    read::<activities::leave::Leave>(&value);
    read::<activities::tentative_accept::TentativeAccept>(&value);
    read::<activities::ignore::Ignore>(&value);
    read::<protocol::note::NoteDocument>(&value);
    read::<protocol::actor::ActorDocument>(&value);
});
