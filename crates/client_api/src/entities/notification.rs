use super::{Account, Status, account_from, status_from, time};
use passage_core::{
    Context,
    notifications::Notification as Row,
    views::{AccountView, PostView},
};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Debug, Serialize)]
pub struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: String,
    pub account: Account,
    pub status: Option<Status>,
}

/// None when the account or the post it needs is gone (clients crash on a mention without
/// its status).
pub fn notification_from(
    ctx: &Context,
    row: &Row,
    accounts: &HashMap<i64, AccountView>,
    posts: &HashMap<i64, PostView>,
) -> Option<Notification> {
    let status = match row.post_id {
        Some(id) => Some(status_from(ctx, posts.get(&id)?)),
        None => None,
    };
    Some(Notification {
        id: row.id.to_string(),
        kind: row.kind.clone(),
        created_at: time(&row.created_at),
        account: account_from(ctx, accounts.get(&row.from_actor_id)?),
        status,
    })
}
