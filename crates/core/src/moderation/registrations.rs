//! What keeps sign-ups safe on an instance nobody watches every hour:
//! - invitations: codes an admin or moderator makes, with a use limit and an expiry; they
//!   open an invite-only instance and skip approval elsewhere;
//! - blocked email domains (their subdomains too), after a strict reading of the address:
//!   one `@`, a plain ASCII local part and a plain host name, so characters that mail servers
//!   read differently cannot smuggle a blocked domain past the check (CVE-2026-41259);
//! - a limit on sign-ups in any 24 hours and on sign-ups waiting for approval (GoToSocial's
//!   10 and 20 by default; `[accounts]` in the configuration);
//! - an open instance whose moderators have not acted or logged in to the admin pages for a
//!   week takes sign-ups for approval only ([`unattended`]; Mastodon 4.2.8's answer to the
//!   spam waves on abandoned servers).

use super::{
    By,
    audit::{self, Action},
    check_staff,
    excludes::under,
};
use crate::{
    Context,
    error::{CoreError, CoreResult, OrNotFound, duplicate_as},
    secrets::random_token,
};
use passage_db::{
    Timestamp,
    entities::{email_domain_blocks, invites, users},
    now,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;

pub type Invite = invites::Model;
pub type EmailDomainBlock = email_domain_blocks::Model;

/// Makes an invitation.
pub async fn invite(
    ctx: &Context,
    by: By<'_>,
    max_uses: Option<i32>,
    expires_at: Option<Timestamp>,
) -> CoreResult<Invite> {
    check_staff(ctx, by).await?;
    if max_uses.is_some_and(|m| m < 1) {
        return Err(CoreError::Invalid("max_uses: at least 1".into()));
    }
    if expires_at.is_some_and(|at| at <= now()) {
        return Err(CoreError::Invalid(
            "expires_in: must be in the future".into(),
        ));
    }
    // 16 characters of a 256-bit token: short enough to read out, far too many to guess.
    let code: String = random_token()?.chars().take(16).collect();
    let txn = ctx.db.begin().await?;
    let made = invites::ActiveModel {
        code: Set(code),
        created_by_id: Set(by.moderator_id()),
        max_uses: Set(max_uses),
        uses: Set(0),
        expires_at: Set(expires_at),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "invite.create",
        target: &format!("invite {}", made.id),
        reason: None,
        detail: json!({"max_uses": max_uses, "expires_at": expires_at}),
    };
    audit::commit(txn, entry).await?;
    Ok(made)
}

/// Invitations, newest first.
pub async fn invites(ctx: &Context, by: By<'_>) -> CoreResult<Vec<Invite>> {
    check_staff(ctx, by).await?;
    Ok(invites::Entity::find()
        .order_by_desc(invites::Column::Id)
        .all(&ctx.db)
        .await?)
}

/// Withdraws an invitation; accounts made with it stay.
pub async fn revoke_invite(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Invite> {
    check_staff(ctx, by).await?;
    let gone = invites::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()?;
    let txn = ctx.db.begin().await?;
    invites::Entity::delete_by_id(id).exec(&txn).await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "invite.destroy",
        target: &format!("invite {id}"),
        reason: None,
        detail: json!({"uses": gone.uses}),
    };
    audit::commit(txn, entry).await?;
    Ok(gone)
}

/// Whether an invitation can still be used: known, not expired, not used up.
pub fn usable(i: &Invite) -> bool {
    i.expires_at.is_none_or(|at| at > now()) && i.max_uses.is_none_or(|max| i.uses < max)
}

/// The invitation a code names, if it can still be used.
pub async fn valid_invite(ctx: &Context, code: &str) -> CoreResult<Invite> {
    invites::Entity::find()
        .filter(invites::Column::Code.eq(code))
        .one(&ctx.db)
        .await?
        .filter(usable)
        .ok_or_else(|| {
            CoreError::Invalid("invite_code: not valid (unknown, expired or used up)".into())
        })
}

/// Counts one use of an invitation.
pub(crate) async fn use_invite(ctx: &Context, id: i64) -> CoreResult<()> {
    invites::Entity::update_many()
        .col_expr(
            invites::Column::Uses,
            Expr::col(invites::Column::Uses).add(1),
        )
        .filter(invites::Column::Id.eq(id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// The domain of a plain email address, lowercased; None for anything else (quotes,
/// comments, `%` routing, several `@`, non-ASCII, IP literals).
pub fn email_domain(email: &str) -> Option<String> {
    let (local, domain) = email.trim().split_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._+-".contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.');
    let domain = domain.to_ascii_lowercase();
    let labels_ok = domain.contains('.')
        && domain.len() <= 253
        && domain.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    (local_ok && labels_ok).then_some(domain)
}

/// The address as it is kept, if sign-ups may use it.
pub(crate) async fn check_email(ctx: &Context, email: &str) -> CoreResult<String> {
    let domain = email_domain(email).ok_or_else(|| {
        CoreError::Invalid("email: give a plain address, like ana@example.org".into())
    })?;
    let blocked = email_domain_blocks::Entity::find()
        .all(&ctx.db)
        .await?
        .into_iter()
        .any(|b| under(&domain, &b.domain));
    if blocked {
        return Err(CoreError::Invalid(
            "email: sign-ups from this email provider are not accepted here".into(),
        ));
    }
    Ok(email.trim().to_lowercase())
}

/// How long an open instance may go without a moderator before sign-ups wait for approval.
pub const UNATTENDED_AFTER: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// Whether no admin or moderator has taken a moderation action or logged in to the admin
/// pages for [`UNATTENDED_AFTER`].
pub async fn unattended(ctx: &Context) -> CoreResult<bool> {
    use passage_db::entities::{admin_sessions, audit_log};
    let since = now() - UNATTENDED_AFTER;
    let acted = audit_log::Entity::find()
        .filter(audit_log::Column::ModeratorId.is_not_null())
        .filter(audit_log::Column::CreatedAt.gt(since))
        .count(&ctx.db)
        .await?;
    let logged_in = admin_sessions::Entity::find()
        .filter(admin_sessions::Column::CreatedAt.gt(since))
        .count(&ctx.db)
        .await?;
    Ok(acted == 0 && logged_in == 0)
}

/// Refuses a sign-up past the daily limit, or past the waiting limit when it would wait.
pub(crate) async fn check_limits(ctx: &Context, approved: bool) -> CoreResult<()> {
    let config = &ctx.config.accounts;
    if config.registrations_per_day > 0 {
        let today = users::Entity::find()
            .filter(users::Column::Registered.eq(true))
            .filter(users::Column::CreatedAt.gt(now() - chrono::TimeDelta::hours(24)))
            .count(&ctx.db)
            .await?;
        if today >= u64::from(config.registrations_per_day) {
            return Err(CoreError::Forbidden(
                "this instance takes no more sign-ups today; try again tomorrow".into(),
            ));
        }
    }
    if !approved && config.max_pending_registrations > 0 {
        let waiting = users::Entity::find()
            .filter(users::Column::Approved.eq(false))
            .count(&ctx.db)
            .await?;
        if waiting >= u64::from(config.max_pending_registrations) {
            return Err(CoreError::Forbidden(
                "too many sign-ups wait for approval; try again later".into(),
            ));
        }
    }
    Ok(())
}

/// Blocks an email domain for sign-ups.
pub async fn block_email_domain(
    ctx: &Context,
    by: By<'_>,
    domain: &str,
) -> CoreResult<EmailDomainBlock> {
    check_staff(ctx, by).await?;
    let domain = email_domain(&format!("x@{}", domain.trim()))
        .ok_or_else(|| CoreError::Invalid(format!("domain: {domain:?} is not a domain name")))?;
    let txn = ctx.db.begin().await?;
    let made = email_domain_blocks::ActiveModel {
        domain: Set(domain.clone()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        duplicate_as(e, || {
            CoreError::Invalid(format!("domain: {domain} is blocked already"))
        })
    })?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "email_domain_block.create",
        target: &domain,
        reason: None,
        detail: json!({}),
    };
    audit::commit(txn, entry).await?;
    Ok(made)
}

pub async fn email_domain_blocks(ctx: &Context, by: By<'_>) -> CoreResult<Vec<EmailDomainBlock>> {
    check_staff(ctx, by).await?;
    Ok(email_domain_blocks::Entity::find()
        .order_by_desc(email_domain_blocks::Column::Id)
        .all(&ctx.db)
        .await?)
}

pub async fn email_domain_block(
    ctx: &Context,
    by: By<'_>,
    id: i64,
) -> CoreResult<EmailDomainBlock> {
    check_staff(ctx, by).await?;
    email_domain_blocks::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()
}

pub async fn unblock_email_domain(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<()> {
    let gone = email_domain_block(ctx, by, id).await?;
    let txn = ctx.db.begin().await?;
    email_domain_blocks::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "email_domain_block.destroy",
        target: &gone.domain,
        reason: None,
        detail: json!({}),
    };
    audit::commit(txn, entry).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::email_domain;

    #[test]
    fn only_plain_addresses_have_a_domain() {
        assert_eq!(
            email_domain("Ana.B+news@Example.ORG").as_deref(),
            Some("example.org")
        );
        for tricky in [
            r#""a@evil.example"@allowed.example"#,
            "user@allowed.example%evil.example",
            "a@b@evil.example",
            "user@[127.0.0.1]",
            "usér@example.org",
            "user@exämple.org",
            "user(comment)@example.org",
            "user@localhost",
            "@example.org",
        ] {
            assert_eq!(email_domain(tricky), None, "{tricky}");
        }
    }
}
