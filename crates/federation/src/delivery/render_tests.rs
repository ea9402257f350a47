//! Every activity we send, built by its constructor from plain values: its JSON is what
//! peers have always received from us (the shape is pinned here field by field), and it
//! reads back through the very types our inbox parses it with.

use crate::{
    activities::{
        accept::{Accept, JoinReply},
        announce::Announce,
        create::{Create, Vote},
        delete::Delete,
        flag::Flag,
        follow::Follow,
        ignore::Ignore,
        join::Join,
        leave::Leave,
        like::Like,
        r#move::Move,
        reject::Reject,
        undo::Undo,
        update::Update,
    },
    protocol::{IdOr, PUBLIC, actor::ActorDocument, context, note::NoteDocument, with_context},
};
use passage_core::visibility::Visibility;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

const ANA: &str = "https://here.test/users/ana";
const FOLLOWERS: &str = "https://here.test/users/ana/followers";
const BOB: &str = "https://there.test/users/bob";
const ID: &str = "https://here.test/activities/1";
const POST: &str = "https://there.test/posts/7";
const EVENT: &str = "https://there.test/events/3";
const JOIN: &str = "https://here.test/joins/5";

/// The activity as sent: with our `@context`, checked here and then taken off so the rest
/// can be compared with what we have always sent.
fn sent(activity: impl Serialize) -> (Value, Value) {
    let full = serde_json::to_value(with_context(activity)).unwrap();
    assert_eq!(full["@context"], context());
    let mut rest = full.clone();
    rest.as_object_mut().unwrap().remove("@context");
    (full, rest)
}

/// The JSON read back as our inbox reads it.
fn read<T: DeserializeOwned>(full: &Value) -> T {
    serde_json::from_value(full.clone()).unwrap()
}

fn follow() -> Follow {
    Follow::new("https://here.test/follows/1", ANA, BOB).unwrap()
}

fn follow_json() -> Value {
    json!({ "id": "https://here.test/follows/1", "type": "Follow", "actor": ANA, "object": BOB })
}

fn note() -> NoteDocument {
    serde_json::from_value(json!({
        "id": "https://here.test/posts/1", "type": "Note", "attributedTo": ANA,
        "to": [PUBLIC], "cc": [FOLLOWERS], "content": "<p>hi</p>",
        "published": "2024-05-01T10:00:00Z",
    }))
    .unwrap()
}

fn actor_document() -> ActorDocument {
    serde_json::from_value(json!({
        "id": ANA, "type": "Person", "preferredUsername": "ana",
        "inbox": "https://here.test/users/ana/inbox", "followers": FOLLOWERS,
        "publicKey": { "id": "https://here.test/users/ana#main-key", "owner": ANA,
                       "publicKeyPem": "PEM" },
    }))
    .unwrap()
}

#[test]
fn follow_and_its_answers() {
    let (full, rest) = sent(follow());
    assert_eq!(rest, follow_json());
    let back: Follow = read(&full);
    assert_eq!((back.actor.as_str(), back.object.as_str()), (ANA, BOB));

    // The followee (Bob, were he ours) answers with the Follow inline and no `to`.
    let expected = |kind| json!({ "id": ID, "type": kind, "actor": BOB, "object": follow_json() });
    let (full, rest) = sent(Accept::of_follow(ID, &follow()).unwrap());
    assert_eq!(rest, expected("Accept"));
    let back: Accept = read(&full);
    assert_eq!(
        (back.actor.as_str(), back.object["id"].as_str()),
        (BOB, Some("https://here.test/follows/1"))
    );
    let (full, rest) = sent(Reject::of_follow(ID, &follow()).unwrap());
    assert_eq!(rest, expected("Reject"));
    assert!(read::<Reject>(&full).to.is_empty());

    let (full, rest) = sent(Undo::of_follow(ID, &follow()).unwrap());
    assert_eq!(
        rest,
        json!({ "id": ID, "type": "Undo", "actor": ANA, "object": follow_json() })
    );
    let IdOr::Object(undone) = read::<Undo>(&full).object else {
        panic!("the Follow goes inline");
    };
    assert_eq!(
        (undone.kind.as_str(), undone.actor.as_str()),
        ("Follow", ANA)
    );
}

#[test]
fn relay_follow_and_undo() {
    let follow = Follow::new("https://here.test/relay-follow", ANA, PUBLIC).unwrap();
    let relay_follow = json!({
        "id": "https://here.test/relay-follow", "type": "Follow", "actor": ANA, "object": PUBLIC,
    });
    let (full, rest) = sent(&follow);
    assert_eq!(rest, relay_follow);
    assert_eq!(read::<Follow>(&full).object.as_str(), PUBLIC);
    let (full, rest) = sent(Undo::of_follow(ID, &follow).unwrap());
    assert_eq!(
        rest,
        json!({ "id": ID, "type": "Undo", "actor": ANA, "object": relay_follow })
    );
    assert!(matches!(read::<Undo>(&full).object, IdOr::Object(_)));
}

#[test]
fn like_announce_and_their_undos() {
    let like = "https://here.test/likes/2";
    let (full, rest) = sent(Like::new(like, ANA, POST).unwrap());
    assert_eq!(
        rest,
        json!({ "id": like, "type": "Like", "actor": ANA, "object": POST })
    );
    assert_eq!(read::<Like>(&full).object.as_str(), POST);

    let at = chrono::DateTime::parse_from_rfc3339("2024-05-01T10:00:00+02:00").unwrap();
    let boost = "https://here.test/posts/9/activity";
    let (full, rest) = sent(Announce::new(boost, ANA, Some(FOLLOWERS), BOB, POST, at).unwrap());
    assert_eq!(
        rest,
        json!({
            "id": boost, "type": "Announce", "actor": ANA, "published": at,
            "to": [PUBLIC], "cc": [BOB, FOLLOWERS], "object": POST,
        })
    );
    let back: Announce = read(&full);
    assert_eq!((back.object.as_str(), back.published), (POST, Some(at)));
    assert_eq!(back.cc, [BOB, FOLLOWERS]);

    for (kind, undone) in [("Like", like), ("Announce", boost)] {
        let (full, rest) = sent(Undo::of(ID, ANA, kind, undone, POST).unwrap());
        let object = json!({ "id": undone, "type": kind, "actor": ANA, "object": POST });
        assert_eq!(
            rest,
            json!({ "id": ID, "type": "Undo", "actor": ANA, "object": object })
        );
        let IdOr::Object(back) = read::<Undo>(&full).object else {
            panic!("the {kind} goes inline");
        };
        assert_eq!(
            (back.id.as_str(), back.object.as_str()),
            (undone, Some(POST))
        );
    }
}

#[test]
fn create_and_update_of_a_post_carry_its_note_and_addressing() {
    let object = serde_json::to_value(note()).unwrap();
    let wrap = |id: &str, kind: &str| {
        json!({
            "id": id, "type": kind, "actor": ANA, "published": object["published"],
            "to": [PUBLIC], "cc": [FOLLOWERS], "object": object,
        })
    };
    let create_id = "https://here.test/posts/1/activity";
    let (full, rest) = sent(Create::of_note(create_id, ANA, note()).unwrap());
    assert_eq!(rest, wrap(create_id, "Create"));
    let back: Create = read(&full);
    assert_eq!(back.object.id.as_str(), "https://here.test/posts/1");
    assert_eq!(back.to, [PUBLIC]);

    let (full, rest) = sent(Update::of_note(ID, ANA, &note()).unwrap());
    assert_eq!(rest, wrap(ID, "Update"));
    let back: Update = read(&full);
    assert_eq!(
        (back.cc, back.object["id"].as_str()),
        (
            Some(vec![FOLLOWERS.to_owned()]),
            Some("https://here.test/posts/1")
        )
    );
}

#[test]
fn a_vote_is_a_bare_note_to_the_polls_author() {
    let note = "https://here.test/votes/4";
    let (full, rest) = sent(Vote::new(note, ANA, BOB, "Yes", POST).unwrap());
    let object = json!({
        "id": note, "type": "Note", "name": "Yes", "attributedTo": ANA, "to": [BOB],
        "inReplyTo": POST,
    });
    assert_eq!(
        rest,
        json!({
            "id": format!("{note}/activity"), "type": "Create", "actor": ANA, "to": [BOB],
            "object": object,
        })
    );
    // Read back, it is what `Create::is_vote` takes for a vote.
    let back: Create = read(&full);
    assert_eq!(back.object.name.as_deref(), Some("Yes"));
    assert_eq!(
        back.object.in_reply_to.as_ref().map(|u| u.as_str()),
        Some(POST)
    );
    assert!(back.object.content.is_empty());
}

#[test]
fn deletes_of_a_post_keep_its_audience_and_of_an_actor_go_to_everyone() {
    let post = "https://here.test/posts/1";
    let tombstone = json!({ "id": post, "type": "Tombstone" });
    let mentions = [BOB.to_owned()];
    let (full, rest) =
        sent(Delete::of_post(ANA, FOLLOWERS, post, Visibility::Public, &mentions).unwrap());
    assert_eq!(
        rest,
        json!({
            "id": format!("{post}#delete"), "type": "Delete", "actor": ANA,
            "to": [PUBLIC], "cc": [FOLLOWERS, BOB], "object": tombstone,
        })
    );
    assert!(matches!(read::<Delete>(&full).object, IdOr::Object(t) if t.id.as_str() == post));
    // A direct post's Delete keeps its empty `cc`, as it always had.
    let (_, rest) =
        sent(Delete::of_post(ANA, FOLLOWERS, post, Visibility::Direct, &mentions).unwrap());
    assert_eq!((&rest["to"], &rest["cc"]), (&json!([BOB]), &json!([])));

    let (full, rest) = sent(Delete::of_actor(ID, ANA).unwrap());
    assert_eq!(
        rest,
        json!({ "id": ID, "type": "Delete", "actor": ANA, "to": [PUBLIC], "object": ANA })
    );
    let back: Delete = read(&full);
    assert!(matches!(back.object, IdOr::Id(id) if id.as_str() == ANA));
    assert_eq!(back.cc, None);
}

#[test]
fn update_of_an_actor_and_of_a_suspended_one() {
    let document = serde_json::to_value(actor_document()).unwrap();
    let (full, rest) = sent(Update::of_actor(ID, &actor_document(), Some(FOLLOWERS)).unwrap());
    assert_eq!(
        rest,
        json!({
            "id": ID, "type": "Update", "actor": ANA, "to": [PUBLIC], "cc": [FOLLOWERS],
            "object": document,
        })
    );
    assert_eq!(read::<Update>(&full).object["id"], ANA);
    // A suspension goes to named servers: no `cc`.
    let (full, rest) = sent(Update::of_actor(ID, &actor_document(), None).unwrap());
    assert_eq!(
        rest,
        json!({ "id": ID, "type": "Update", "actor": ANA, "to": [PUBLIC], "object": document })
    );
    assert_eq!(read::<Update>(&full).to, [PUBLIC]);
}

#[test]
fn move_names_the_account_and_its_target() {
    let target = "https://there.test/users/ana2";
    let (full, rest) = sent(Move::new(ID, ANA, Some(FOLLOWERS), target).unwrap());
    assert_eq!(
        rest,
        json!({
            "id": ID, "type": "Move", "actor": ANA, "object": ANA, "target": target,
            "to": [FOLLOWERS],
        })
    );
    let back: Move = read(&full);
    assert_eq!((back.object.as_str(), back.target.as_str()), (ANA, target));
}

#[test]
fn join_and_leave_of_an_event_elsewhere() {
    let (full, rest) = sent(Join::new(JOIN, ANA, EVENT, vec![BOB.into()]).unwrap());
    assert_eq!(
        rest,
        json!({ "id": JOIN, "type": "Join", "actor": ANA, "to": [BOB], "object": EVENT })
    );
    let back: Join = read(&full);
    assert_eq!(
        (back.object.as_str(), back.to),
        (Some(EVENT), vec![BOB.to_owned()])
    );

    let (full, rest) = sent(Leave::new(ID, ANA, EVENT, BOB, JOIN).unwrap());
    assert_eq!(
        rest,
        json!({
            "id": ID, "type": "Leave", "actor": ANA, "to": [BOB], "object": EVENT,
            "instrument": JOIN,
        })
    );
    let back: Leave = read(&full);
    assert_eq!(
        (back.object.as_str(), back.instrument.map(String::from)),
        (Some(EVENT), Some(JOIN.into()))
    );
}

#[test]
fn answers_to_a_join_carry_it_inline() {
    // Bob joined Ana's event; Ana's server answers.
    let join = Join::new("https://there.test/joins/8", BOB, POST, Vec::new()).unwrap();
    let inline =
        json!({ "id": "https://there.test/joins/8", "type": "Join", "actor": BOB, "object": POST });
    for kind in ["Accept", "Reject", "Ignore"] {
        let (full, rest) = sent(JoinReply::new(kind, ID, ANA, &join).unwrap());
        assert_eq!(
            rest,
            json!({ "id": ID, "type": kind, "actor": ANA, "to": [BOB], "object": inline })
        );
        let (actor, to, object) = match kind {
            "Accept" => {
                let a: Accept = read(&full);
                (a.actor, a.to, a.object)
            }
            "Reject" => {
                let r: Reject = read(&full);
                (r.actor, r.to, r.object)
            }
            _ => {
                let i: Ignore = read(&full);
                (i.actor, i.to, i.object)
            }
        };
        assert_eq!(
            (actor.as_str(), to, &object),
            (ANA, vec![BOB.to_owned()], &inline)
        );
    }
    assert!(JoinReply::new("Maybe", ID, ANA, &join).is_err());

    // An organisation (Ana's) refuses Bob's Join of it.
    let join = Join::new("https://there.test/joins/9", BOB, ANA, Vec::new()).unwrap();
    let (full, rest) = sent(Reject::of_join(ID, ANA, &join).unwrap());
    assert_eq!(
        rest["object"],
        json!({ "id": "https://there.test/joins/9", "type": "Join", "actor": BOB, "object": ANA })
    );
    assert_eq!(read::<Reject>(&full).to, [BOB]);
}

#[test]
fn a_forwarded_report_names_the_account_then_its_posts() {
    let (full, rest) = sent(Flag::new(ID, ANA, BOB, "spam", vec![POST.into()]).unwrap());
    assert_eq!(
        rest,
        json!({
            "id": ID, "type": "Flag", "actor": ANA, "to": [BOB], "content": "spam",
            "object": [BOB, POST],
        })
    );
    let back: Flag = read(&full);
    assert_eq!(
        (back.object, back.content.as_deref()),
        (json!([BOB, POST]), Some("spam"))
    );
}
