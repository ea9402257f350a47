//! Outbound intents: what a use case wants the network to hear about, written in the same
//! transaction as the change itself. The delivery worker in `federation` renders each intent
//! into an activity and sends it; if the process dies in between, the intent is still there.
//!
//! Intents carry ids, not wire JSON (`core` knows no ActivityPub). Undo-style intents carry
//! what the deleted row held, because the row is gone when they are rendered.

use crate::{Context, error::CoreResult};
use passage_db::{now, queries::deliveries};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Intent {
    Follow(FollowRef),
    AcceptFollow(FollowRef),
    RejectFollow(FollowRef),
    UndoFollow(FollowRef),
    CreatePost {
        post_id: i64,
    },
    UpdatePost {
        post_id: i64,
    },
    DeletePost {
        post_id: i64,
    },
    Like {
        like_ap_id: String,
        post_id: i64,
    },
    UndoLike {
        like_ap_id: String,
        post_id: i64,
    },
    Announce {
        boost_id: i64,
    },
    UndoAnnounce {
        announce_ap_id: String,
        post_id: i64,
    },
    /// The actor's profile changed (name, note, locked).
    UpdateActor,
    /// The actor moved to another account (`target_ap_id`): a `Move` goes to its followers.
    Move {
        target_ap_id: String,
    },
    /// The actor was suspended here: its document (now saying `suspended`) goes to the
    /// servers it was linked with, captured before its follows were severed.
    SuspendActor {
        inboxes: Vec<String>,
    },
    /// The actor is purged: a `Delete` of it goes to every known server.
    DeleteActor {
        inboxes: Vec<String>,
    },
    /// A local member's vote on a remote poll, sent to the poll's author.
    PollVote {
        vote_id: i64,
    },
    /// A local member answers an event on another server (sent as `Join` to its host).
    JoinEvent {
        post_id: i64,
        join_ap_id: String,
    },
    /// A local member withdraws that answer (`Leave`).
    LeaveEvent {
        post_id: i64,
        join_ap_id: String,
    },
    /// The host of one of our events replies to someone's `Join`.
    AnswerJoin(JoinAnswer),
    /// A moderator sends a report on to the reported account's server (a `Flag` from the
    /// instance actor).
    ForwardReport {
        report_id: i64,
    },
    /// An organisation turns down a `Join` of itself (Mobilizon's membership request).
    RefuseMembership {
        person_id: i64,
        join_ap_id: String,
    },
    /// The instance subscribes to a relay (a `Follow` by the instance actor).
    RelayFollow {
        relay_id: i64,
    },
    /// The instance leaves a relay: an `Undo` of its `Follow` (the relay row is gone, so
    /// what the `Undo` needs travels here).
    RelayUndo {
        inbox: String,
        follow_ap_id: String,
        object: String,
    },
}

/// A reply to a `Join` of one of our events: `reply` is `Accept`, `Reject` or `Ignore`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinAnswer {
    pub post_id: i64,
    pub participant_id: i64,
    /// The peer's Join, when it had an id.
    pub join_ap_id: Option<String>,
    pub reply: String,
}

/// A Follow, named by its activity id and its two parties (the row may be gone by the time
/// an Undo or Reject of it is rendered).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowRef {
    pub follow_ap_id: String,
    pub follower_id: i64,
    pub followee_id: i64,
}

impl FollowRef {
    pub fn of(follow: &passage_db::entities::follows::Model) -> Self {
        Self {
            follow_ap_id: follow.ap_id.clone(),
            follower_id: follow.follower_id,
            followee_id: follow.followee_id,
        }
    }
}

/// Stores an intent for `actor_id` (the local actor who will sign the activity).
pub async fn record(db: &impl ConnectionTrait, actor_id: i64, intent: &Intent) -> CoreResult<()> {
    deliveries::insert_intent(db, actor_id, to_text(intent)?, now()).await?;
    Ok(())
}

/// As [`record`], unless the same intent is still waiting: a burst of changes that each call
/// for "send the current state" (votes on a poll) becomes one activity, rendered with the
/// state as it is by then.
pub async fn record_once(
    db: &impl ConnectionTrait,
    actor_id: i64,
    intent: &Intent,
) -> CoreResult<()> {
    let text = to_text(intent)?;
    if !deliveries::intent_pending(db, actor_id, &text).await? {
        deliveries::insert_intent(db, actor_id, text, now()).await?;
    }
    Ok(())
}

fn to_text(intent: &Intent) -> CoreResult<String> {
    serde_json::to_string(intent)
        .map_err(|e| crate::CoreError::Internal(format!("serialising intent: {e}")))
}

/// Wakes the delivery worker; call after the transaction that recorded intents commits.
pub fn notify(ctx: &Context) {
    ctx.outbox_signal.notify_one();
    ctx.cluster.tell(crate::cluster::Signal::Outbox);
}

/// Reads an intent back.
pub fn parse(text: &str) -> CoreResult<Intent> {
    serde_json::from_str(text)
        .map_err(|e| crate::CoreError::Internal(format!("unreadable intent {text:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intents_read_back_as_written() {
        let follow = FollowRef {
            follow_ap_id: "https://a.test/activities/1".into(),
            follower_id: 1,
            followee_id: 2,
        };
        for intent in [
            Intent::UndoFollow(follow),
            Intent::DeletePost { post_id: 7 },
            Intent::UndoAnnounce {
                announce_ap_id: "https://a.test/activities/2".into(),
                post_id: 7,
            },
        ] {
            let text = serde_json::to_string(&intent).unwrap();
            assert_eq!(parse(&text).unwrap(), intent, "{text}");
        }
        assert!(parse("{\"type\":\"Teleport\"}").is_err());
    }
}
