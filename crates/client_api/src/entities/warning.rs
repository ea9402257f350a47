//! Mastodon's `AccountWarning` (with its `Appeal`), as `moderation_warning` notifications
//! and Passage's warnings endpoint carry it.

use super::{account_from, time};
use passage_core::{
    Context, CoreResult,
    moderation::{accounts::Warning, appeals},
    notifications::Notification as Row,
    views::AccountView,
};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Warnings by id, rendered.
pub type Warnings = HashMap<i64, Value>;

pub fn warning_from(
    ctx: &Context,
    w: &Warning,
    appeal: Option<&appeals::Appeal>,
    target: &AccountView,
) -> Value {
    json!({
        "id": w.id.to_string(),
        "action": w.action,
        "text": w.text,
        "status_ids": [],
        "target_account": account_from(ctx, target),
        "appeal": appeal.map(|a| json!({"text": a.text, "state": appeals::state(a)})),
        "created_at": time(&w.created_at),
        // Passage's: when the action lifts by itself, and whether it has been lifted.
        "expires_at": w.expires_at.as_ref().map(time),
        "lifted_at": w.lifted_at.as_ref().map(time),
    })
}

/// The warnings `rows` carry, rendered with their targets from `accounts`.
pub async fn warnings_for(
    ctx: &Context,
    rows: &[Row],
    accounts: &HashMap<i64, AccountView>,
) -> CoreResult<Warnings> {
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.warning_id).collect();
    let found = passage_core::moderation::accounts::warnings_by_ids(ctx, &ids).await?;
    Ok(found
        .iter()
        .filter_map(|(w, appeal)| {
            let target = accounts.get(&w.target_id)?;
            Some((w.id, warning_from(ctx, w, appeal.as_ref(), target)))
        })
        .collect())
}
