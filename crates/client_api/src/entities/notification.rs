use super::{Account, Status, account_from, status_from, time};
use passage_core::{
    Context,
    notification_groups::{self, Group},
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
    pub group_key: String,
    pub created_at: String,
    pub account: Account,
    pub status: Option<Status>,
    /// What a moderator did, for `moderation_warning` notifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation_warning: Option<serde_json::Value>,
}

/// None when the account, the post or the warning it needs is gone (clients crash on a
/// mention without its status).
pub fn notification_from(
    ctx: &Context,
    row: &Row,
    accounts: &HashMap<i64, AccountView>,
    posts: &HashMap<i64, PostView>,
    warnings: &super::Warnings,
) -> Option<Notification> {
    let status = match row.post_id {
        Some(id) => Some(status_from(ctx, posts.get(&id)?)),
        None => None,
    };
    let moderation_warning = match row.warning_id {
        Some(id) => Some(warnings.get(&id)?.clone()),
        None => None,
    };
    Some(Notification {
        id: row.id.to_string(),
        kind: row.kind.clone(),
        group_key: notification_groups::default_key(row),
        created_at: time(&row.created_at),
        account: account_from(ctx, accounts.get(&row.from_actor_id)?),
        status,
        moderation_warning,
    })
}

/// Mastodon's NotificationGroup (4.3): accounts and the status are given once, beside the
/// groups, in [`GroupedNotifications`].
#[derive(Clone, Debug, Serialize)]
pub struct NotificationGroup {
    pub group_key: String,
    pub notifications_count: u64,
    #[serde(rename = "type")]
    pub kind: String,
    pub most_recent_notification_id: String,
    pub page_min_id: String,
    pub page_max_id: String,
    pub latest_page_notification_at: String,
    pub sample_account_ids: Vec<String>,
    pub status_id: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupedNotifications {
    pub accounts: Vec<Account>,
    pub statuses: Vec<Status>,
    pub notification_groups: Vec<NotificationGroup>,
}

/// None when an account it shows, or the post it needs, is gone.
pub fn group_from(
    g: &Group,
    accounts: &HashMap<i64, AccountView>,
    posts: &HashMap<i64, PostView>,
) -> Option<NotificationGroup> {
    if let Some(id) = g.post_id {
        posts.get(&id)?;
    }
    let samples: Vec<String> = g
        .sample_account_ids
        .iter()
        .filter(|id| accounts.contains_key(id))
        .map(i64::to_string)
        .collect();
    if samples.is_empty() {
        return None;
    }
    Some(NotificationGroup {
        group_key: g.key.clone(),
        notifications_count: g.count,
        kind: g.kind.clone(),
        most_recent_notification_id: g.most_recent_id.to_string(),
        page_min_id: g.page_min_id.to_string(),
        page_max_id: g.page_max_id.to_string(),
        latest_page_notification_at: time(&g.latest_page_at),
        sample_account_ids: samples,
        status_id: g.post_id.map(|id| id.to_string()),
    })
}

/// Groups with the accounts and statuses they name, each once.
pub fn grouped_from(
    ctx: &Context,
    groups: &[Group],
    accounts: &HashMap<i64, AccountView>,
    posts: &HashMap<i64, PostView>,
) -> GroupedNotifications {
    let notification_groups: Vec<NotificationGroup> = groups
        .iter()
        .filter_map(|g| group_from(g, accounts, posts))
        .collect();
    let mut account_ids: Vec<&String> = notification_groups
        .iter()
        .flat_map(|g| &g.sample_account_ids)
        .collect();
    account_ids.sort_unstable();
    account_ids.dedup();
    let mut status_ids: Vec<i64> = groups.iter().filter_map(|g| g.post_id).collect();
    status_ids.sort_unstable();
    status_ids.dedup();
    GroupedNotifications {
        accounts: account_ids
            .iter()
            .filter_map(|id| accounts.get(&id.parse().ok()?))
            .map(|v| account_from(ctx, v))
            .collect(),
        statuses: status_ids
            .iter()
            .filter_map(|id| posts.get(id))
            .map(|v| status_from(ctx, v))
            .collect(),
        notification_groups,
    }
}
