//! Exclusions: domains that imports and subscriptions leave alone, because this instance
//! decides about them itself (a partner a shared blocklist gets wrong, a local neighbour).
//! An exclusion covers the domain's subdomains, as rules do.

use super::{
    By,
    audit::{self, Action},
    check_staff,
    domains::check_domain,
    lists::Bad,
};
use crate::{
    Context,
    error::{CoreError, CoreResult, OrNotFound},
};
use passage_db::{entities::domain_excludes, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde_json::json;

pub type DomainExclude = domain_excludes::Model;

/// Every excluded domain.
pub(super) async fn domains(ctx: &Context) -> CoreResult<Vec<String>> {
    Ok(domain_excludes::Entity::find()
        .select_only()
        .column(domain_excludes::Column::Domain)
        .into_tuple()
        .all(&ctx.db)
        .await?)
}

/// What a line of a list names, once read: a domain to decide on, one that is excluded, or
/// a line to report.
pub(super) enum Screened {
    Domain(String),
    Excluded,
    Bad(Bad),
}

/// Reads the domain of a list's line (`line`), against the exclusions.
pub(super) fn screen(ctx: &Context, excluded: &[String], line: usize, domain: &str) -> Screened {
    match check_domain(ctx, domain) {
        Ok(d) if covers(excluded, &d) => Screened::Excluded,
        Ok(d) => Screened::Domain(d),
        Err(e) => Screened::Bad(Bad {
            line,
            why: match e {
                CoreError::Invalid(why) => why,
                other => other.to_string(),
            },
        }),
    }
}

/// Whether an exclusion in `excluded` covers `domain`.
pub(super) fn covers(excluded: &[String], domain: &str) -> bool {
    excluded.iter().any(|x| under(domain, x))
}

/// Whether `domain` is `rule` or one of its subdomains.
pub(super) fn under(domain: &str, rule: &str) -> bool {
    domain == rule
        || domain
            .strip_suffix(rule)
            .is_some_and(|rest| rest.ends_with('.'))
}

pub async fn create(
    ctx: &Context,
    by: By<'_>,
    domain: &str,
    private_comment: Option<String>,
) -> CoreResult<DomainExclude> {
    check_staff(ctx, by).await?;
    let domain = check_domain(ctx, domain)?;
    if domain_excludes::Entity::find()
        .filter(domain_excludes::Column::Domain.eq(&domain))
        .one(&ctx.db)
        .await?
        .is_some()
    {
        return Err(CoreError::Invalid(format!(
            "domain: {domain} is already excluded"
        )));
    }
    let txn = ctx.db.begin().await?;
    let exclude = domain_excludes::ActiveModel {
        domain: Set(domain.clone()),
        private_comment: Set(private_comment.filter(|c| !c.trim().is_empty())),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "domain_exclude.create",
        target: &domain,
        reason: exclude.private_comment.as_deref(),
        detail: json!({}),
    };
    audit::commit(txn, entry).await?;
    Ok(exclude)
}

pub async fn list(ctx: &Context, by: By<'_>) -> CoreResult<Vec<DomainExclude>> {
    check_staff(ctx, by).await?;
    Ok(domain_excludes::Entity::find()
        .order_by_desc(domain_excludes::Column::Id)
        .all(&ctx.db)
        .await?)
}

pub async fn get(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<DomainExclude> {
    check_staff(ctx, by).await?;
    domain_excludes::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()
}

pub async fn remove(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<DomainExclude> {
    let exclude = get(ctx, by, id).await?;
    let txn = ctx.db.begin().await?;
    domain_excludes::Entity::delete_by_id(id).exec(&txn).await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "domain_exclude.destroy",
        target: &exclude.domain,
        reason: None,
        detail: json!({}),
    };
    audit::commit(txn, entry).await?;
    Ok(exclude)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_exclusion_covers_subdomains_only() {
        let excluded = vec!["partner.example".to_owned()];
        assert!(super::covers(&excluded, "partner.example"));
        assert!(super::covers(&excluded, "social.partner.example"));
        assert!(!super::covers(&excluded, "notpartner.example"));
        assert!(!super::covers(&excluded, "example"));
    }
}
