//! Moving an account to another, the fediverse's way (Mastodon, GoToSocial, Akkoma): the new
//! account first names the old one among its aliases (`alsoKnownAs`); the old one then says
//! it moved (`movedTo`, and a `Move` to its followers), and every server with followers of it
//! has them follow the new account instead. Nothing here speaks ActivityPub: the caller has
//! fetched the new account afresh, so its aliases are the ones its server serves now.

use crate::{
    Actor, Context,
    error::{CoreError, CoreResult},
    follows,
    outbox::{self, Intent},
};
use passage_db::{entities::actors, now, queries::follows as fq};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};

/// More than anyone moving between a few servers needs; few enough to list on a profile.
pub const MAX_ALIASES: usize = 10;

/// How long after a move neither account may move again (GoToSocial's rule): moving back and
/// forth would let an account shake off blocks and drag its followers around.
pub const COOLDOWN: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// The other accounts `actor` says it also is (its `alsoKnownAs`), as actor ids.
pub fn aliases(actor: &Actor) -> Vec<String> {
    actor
        .also_known_as
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

/// How a list of aliases is stored: JSON, or nothing for none.
pub(crate) fn encode_aliases(list: &[String]) -> Option<String> {
    (!list.is_empty()).then(|| serde_json::Value::from(list.to_vec()).to_string())
}

/// Aliases as a peer sent them: web addresses only, at most [`MAX_ALIASES`] times four (a
/// hostile document cannot make the row grow without bound).
pub(crate) fn clean_remote_aliases(list: Vec<String>) -> Option<String> {
    let kept: Vec<String> = list
        .into_iter()
        .filter(|uri| web_address(uri))
        .filter(|uri| uri.len() <= 2_000)
        .take(MAX_ALIASES * 4)
        .collect();
    encode_aliases(&kept)
}

fn web_address(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.has_host())
}

/// A local account sets the accounts it is also known as: the ones it may be moved *from*.
/// The list replaces the previous one; peers hear of it through an `Update` of the actor.
pub async fn set_aliases(ctx: &Context, actor: &Actor, uris: Vec<String>) -> CoreResult<Actor> {
    if !actor.local {
        return Err(CoreError::Forbidden("not an account of this server".into()));
    }
    let mut list: Vec<String> = Vec::new();
    for uri in uris.into_iter().map(|u| u.trim().to_owned()) {
        if uri.is_empty() || list.contains(&uri) {
            continue;
        }
        if !web_address(&uri) {
            return Err(CoreError::Invalid(format!(
                "{uri:?} is not an account address (https://…)"
            )));
        }
        if uri == actor.ap_id {
            return Err(CoreError::Invalid(
                "an account cannot be an alias of itself".into(),
            ));
        }
        list.push(uri);
    }
    if list.len() > MAX_ALIASES {
        return Err(CoreError::Invalid(format!(
            "at most {MAX_ALIASES} aliases are allowed"
        )));
    }
    let txn = ctx.db.begin().await?;
    let mut row = actors::ActiveModel::from(actor.clone());
    row.also_known_as = Set(encode_aliases(&list));
    row.updated_at = Set(now());
    let saved = row.update(&txn).await?;
    outbox::record(&txn, actor.id, &Intent::UpdateActor).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    Ok(saved)
}

/// A local account moves to `target`, which must name it among its aliases. Its followers
/// here follow `target` at once; those elsewhere hear a `Move` and do the same.
pub async fn move_local(ctx: &Context, origin: &Actor, target: &Actor) -> CoreResult<Actor> {
    if !origin.local {
        return Err(CoreError::Forbidden("not an account of this server".into()));
    }
    check_move(origin, target)?;
    let txn = ctx.db.begin().await?;
    let moved = mark_moved(&txn, origin, target).await?;
    // The document first (it now says `movedTo`), then the Move: a server that looks the
    // account up on receiving the Move finds the two agree.
    outbox::record(&txn, origin.id, &Intent::UpdateActor).await?;
    let intent = Intent::Move {
        target_ap_id: target.ap_id.clone(),
    };
    outbox::record(&txn, origin.id, &intent).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    redirect_followers(ctx, &moved, target).await?;
    Ok(moved)
}

/// A peer's account says it moved to `target` (fetched afresh by the caller). Refused unless
/// `target` names it as an alias; the same Move received twice has one effect.
pub async fn receive(ctx: &Context, origin: &Actor, target: &Actor) -> CoreResult<()> {
    if origin.local {
        return Err(CoreError::Forbidden(
            "a peer cannot move an account of this server".into(),
        ));
    }
    if origin.moved_to.as_deref() == Some(target.ap_id.as_str()) {
        return Ok(());
    }
    check_move(origin, target)?;
    let txn = ctx.db.begin().await?;
    let moved = mark_moved(&txn, origin, target).await?;
    txn.commit().await?;
    redirect_followers(ctx, &moved, target).await?;
    Ok(())
}

/// What makes a move acceptable, wherever it starts.
fn check_move(origin: &Actor, target: &Actor) -> CoreResult<()> {
    if origin.id == target.id {
        return Err(CoreError::Invalid(
            "an account cannot move to itself".into(),
        ));
    }
    if !aliases(target).contains(&origin.ap_id) {
        return Err(CoreError::Forbidden(format!(
            "{} does not name {} as one of its aliases (alsoKnownAs)",
            target.ap_id, origin.ap_id
        )));
    }
    if target.moved_to.is_some() {
        return Err(CoreError::Invalid(
            "the new account has itself moved away".into(),
        ));
    }
    let recent = |a: &Actor| a.moved_at.is_some_and(|at| now() - at < COOLDOWN);
    if recent(origin) || recent(target) {
        return Err(CoreError::Conflict(format!(
            "one of these accounts moved less than {} days ago",
            COOLDOWN.num_days()
        )));
    }
    Ok(())
}

async fn mark_moved(
    db: &impl sea_orm::ConnectionTrait,
    origin: &Actor,
    target: &Actor,
) -> CoreResult<Actor> {
    let mut row = actors::ActiveModel::from(origin.clone());
    row.moved_to = Set(Some(target.ap_id.clone()));
    row.moved_at = Set(Some(now()));
    row.updated_at = Set(now());
    Ok(row.update(db).await?)
}

/// Each local follower of `origin` (or one asking to be) follows `target` instead, and stops
/// following `origin`. One follower's failure (a block in the way) does not stop the others.
async fn redirect_followers(ctx: &Context, origin: &Actor, target: &Actor) -> CoreResult<usize> {
    let mut moved = 0;
    for follower_id in fq::local_follower_ids(&ctx.db, origin.id).await? {
        let follower = super::by_id(ctx, follower_id).await?;
        if follower.id != target.id {
            match follows::request(ctx, &follower, target).await {
                Ok(_) => moved += 1,
                Err(e) => tracing::info!(
                    follower = %follower.ap_id, target = %target.ap_id,
                    "follower not carried over on a move: {e}"
                ),
            }
        }
        follows::unfollow(ctx, &follower, origin).await?;
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_aliases_keep_web_addresses_only_and_stay_bounded() {
        let many: Vec<String> = (0..100).map(|i| format!("https://a.test/u/{i}")).collect();
        let kept: Vec<String> = serde_json::from_str(&clean_remote_aliases(many).unwrap()).unwrap();
        assert_eq!(kept.len(), MAX_ALIASES * 4);
        let mixed = vec![
            "https://b.test/users/ana".to_owned(),
            "javascript:alert(1)".to_owned(),
            "acct:ana@b.test".to_owned(),
            "/users/ana".to_owned(),
        ];
        assert_eq!(
            clean_remote_aliases(mixed).as_deref(),
            Some(r#"["https://b.test/users/ana"]"#)
        );
        assert_eq!(clean_remote_aliases(Vec::new()), None);
    }
}
