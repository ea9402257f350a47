//! Sessions of the admin pages. A staff member logs in with their password; the browser
//! keeps a random secret in a cookie and the database only its digest, so a copy of the
//! database opens no session. Each use checks again that the account is still staff, may
//! still log in and is not frozen, so taking a role away ends its sessions at once.
//!
//! Forms carry a token derived from the session's secret ([`csrf_token`]): another site
//! cannot read it, so it cannot make a logged-in moderator's browser post a form.

use super::staff_role;
use crate::{
    Actor, Context,
    error::{CoreError, CoreResult},
    secrets::{digest_of, random_token},
};
use passage_db::{entities::admin_sessions, now};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// How long a session lasts: a working day.
pub const LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(8);

/// Logs a staff member in; the secret for the cookie. Every refusal says the same, so the
/// page tells nobody which usernames exist or who is staff.
pub async fn open(ctx: &Context, username: &str, password: &str) -> CoreResult<String> {
    let refused = || CoreError::Forbidden("wrong username or password, or not a moderator".into());
    let actor = crate::accounts::verify_login(ctx, username, password)
        .await
        .map_err(|e| match e {
            CoreError::TooMany(wait) => CoreError::TooMany(wait),
            _ => refused(),
        })?;
    if may_moderate(ctx, &actor).await?.is_none() {
        return Err(refused());
    }
    let secret = random_token()?;
    let at = now();
    admin_sessions::ActiveModel {
        token_digest: Set(digest_of(&secret)),
        actor_id: Set(actor.id),
        created_at: Set(at),
        expires_at: Set(at + LIFETIME),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?;
    Ok(secret)
}

/// The staff member a session's secret speaks for, while it lasts and they still moderate.
pub async fn staff_of(ctx: &Context, secret: &str) -> CoreResult<Option<Actor>> {
    let Some(session) = admin_sessions::Entity::find()
        .filter(admin_sessions::Column::TokenDigest.eq(digest_of(secret)))
        .filter(admin_sessions::Column::ExpiresAt.gt(now()))
        .one(&ctx.db)
        .await?
    else {
        return Ok(None);
    };
    let actor = crate::accounts::by_id(ctx, session.actor_id).await?;
    may_moderate(ctx, &actor).await
}

/// `actor` if they may moderate now: staff, allowed to log in, not frozen.
async fn may_moderate(ctx: &Context, actor: &Actor) -> CoreResult<Option<Actor>> {
    let Ok(login) = crate::oauth::ensure_may_log_in(ctx, actor).await else {
        return Ok(None);
    };
    if login.disabled || staff_role(ctx, actor).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(actor.clone()))
}

/// Ends a session (logout), and any that have expired.
pub async fn close(ctx: &Context, secret: &str) -> CoreResult<()> {
    admin_sessions::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(admin_sessions::Column::TokenDigest.eq(digest_of(secret)))
                .add(admin_sessions::Column::ExpiresAt.lte(now())),
        )
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// The token forms of this session carry.
pub fn csrf_token(secret: &str) -> String {
    digest_of(&format!("csrf:{secret}"))
}
