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
    Follow {
        follow_ap_id: String,
        follower_id: i64,
        followee_id: i64,
    },
    AcceptFollow {
        follow_ap_id: String,
        follower_id: i64,
        followee_id: i64,
    },
    RejectFollow {
        follow_ap_id: String,
        follower_id: i64,
        followee_id: i64,
    },
    UndoFollow {
        follow_ap_id: String,
        follower_id: i64,
        followee_id: i64,
    },
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
}

/// Stores an intent for `actor_id` (the local actor who will sign the activity).
pub async fn record(db: &impl ConnectionTrait, actor_id: i64, intent: &Intent) -> CoreResult<()> {
    let text = serde_json::to_string(intent)
        .map_err(|e| crate::CoreError::Internal(format!("serialising intent: {e}")))?;
    deliveries::insert_intent(db, actor_id, text, now()).await?;
    Ok(())
}

/// Wakes the delivery worker; call after the transaction that recorded intents commits.
pub fn notify(ctx: &Context) {
    ctx.outbox_signal.notify_one();
}

/// Reads an intent back.
pub fn parse(text: &str) -> CoreResult<Intent> {
    serde_json::from_str(text)
        .map_err(|e| crate::CoreError::Internal(format!("unreadable intent {text:?}: {e}")))
}
