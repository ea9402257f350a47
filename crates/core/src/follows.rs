//! Following: requests, acceptance (automatic unless the followee is locked), rejection and
//! undo, from local actions and from the network alike.

use crate::{
    Actor, Context,
    error::{CoreError, CoreResult},
    notifications::{self, Kind},
    outbox::{self, FollowRef, Intent},
    streaming::Event,
};
use passage_db::{entities::follows, now, queries::follows as q};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, TransactionTrait};

pub type Follow = follows::Model;

/// A local actor asks to follow `target`. Local targets answer at once; remote ones get a
/// Follow activity and the relation stays pending until their Accept arrives.
pub async fn request(ctx: &Context, follower: &Actor, target: &Actor) -> CoreResult<Follow> {
    if !follower.local {
        return Err(CoreError::Forbidden(
            "only local actors follow from here".into(),
        ));
    }
    if follower.id == target.id {
        return Err(CoreError::Invalid("an actor cannot follow itself".into()));
    }
    if crate::blocks::between(ctx, follower, target).await? {
        return Err(CoreError::Forbidden(
            "a block stands between these accounts".into(),
        ));
    }
    if let Some(existing) = q::find_pair(&ctx.db, follower.id, target.id).await? {
        return Ok(existing);
    }
    let ap_id = ctx.urls.new_activity();
    let accepted = target.local && !target.locked;
    let txn = ctx.db.begin().await?;
    let (follow, event) = insert(&txn, &ap_id, follower.id, target, accepted).await?;
    if !target.local {
        let intent = Intent::Follow(FollowRef::of(&follow));
        outbox::record(&txn, follower.id, &intent).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish(event);
    Ok(follow)
}

/// A Follow arrived from `follower` (remote) for local `target`. Unlocked targets accept at
/// once and answer with Accept; locked ones keep the request pending for the owner to decide.
pub async fn receive_request(
    ctx: &Context,
    follower: &Actor,
    target: &Actor,
    ap_id: &str,
) -> CoreResult<Follow> {
    if !target.local {
        return Err(CoreError::Invalid(
            "follow target is not on this instance".into(),
        ));
    }
    if crate::blocks::between(ctx, follower, target).await? {
        return Err(CoreError::Forbidden("blocked".into()));
    }
    let txn = ctx.db.begin().await?;
    let (follow, event) = match q::find_pair(&txn, follower.id, target.id).await? {
        // A repeated Follow (the peer lost our Accept, or re-followed): answer again.
        Some(existing) => (existing, None),
        None => insert(&txn, ap_id, follower.id, target, !target.locked).await?,
    };
    if follow.accepted {
        // Answer the Follow as received, even when it repeats an existing relation.
        let intent = Intent::AcceptFollow(FollowRef {
            follow_ap_id: ap_id.to_owned(),
            ..FollowRef::of(&follow)
        });
        outbox::record(&txn, target.id, &intent).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish(event);
    Ok(follow)
}

/// Stores a new follow and tells a local followee about it.
async fn insert(
    db: &impl sea_orm::ConnectionTrait,
    ap_id: &str,
    follower_id: i64,
    target: &Actor,
    accepted: bool,
) -> CoreResult<(Follow, Option<Event>)> {
    let follow = follows::ActiveModel {
        ap_id: Set(ap_id.to_owned()),
        follower_id: Set(follower_id),
        followee_id: Set(target.id),
        accepted: Set(accepted),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let kind = if accepted {
        Kind::Follow
    } else {
        Kind::FollowRequest
    };
    let event = notifications::record(db, target.into(), follower_id, kind, None).await?;
    Ok((follow, event))
}

/// The local followee accepts a pending request.
pub async fn accept(ctx: &Context, target: &Actor, follower: &Actor) -> CoreResult<Follow> {
    let follow = q::find_pair(&ctx.db, follower.id, target.id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let txn = ctx.db.begin().await?;
    let mut row: follows::ActiveModel = follow.clone().into();
    row.accepted = Set(true);
    let follow = row.update(&txn).await?;
    withdraw_request(&txn, target, follower).await?;
    let event = notifications::record(&txn, target.into(), follower.id, Kind::Follow, None).await?;
    if !follower.local {
        let intent = Intent::AcceptFollow(FollowRef::of(&follow));
        outbox::record(&txn, target.id, &intent).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish(event);
    Ok(follow)
}

/// The follow request of `follower` no longer waits for `target`.
async fn withdraw_request(
    db: &impl sea_orm::ConnectionTrait,
    target: &Actor,
    follower: &Actor,
) -> CoreResult<()> {
    notifications::withdraw(db, Some(target.id), follower.id, Kind::FollowRequest, None).await
}

/// Ends a follow or a request: the row goes, and the follower's lists no longer hold the
/// followee (their posts have no place there once she does not follow).
async fn end(db: &impl sea_orm::ConnectionTrait, follow: &Follow) -> CoreResult<()> {
    follows::Entity::delete_by_id(follow.id).exec(db).await?;
    crate::lists::forget(db, follow.follower_id, follow.followee_id).await
}

/// The local followee rejects a request (or removes an existing follower).
pub async fn reject(ctx: &Context, target: &Actor, follower: &Actor) -> CoreResult<()> {
    let follow = q::find_pair(&ctx.db, follower.id, target.id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let txn = ctx.db.begin().await?;
    end(&txn, &follow).await?;
    withdraw_request(&txn, target, follower).await?;
    if !follower.local {
        let intent = Intent::RejectFollow(FollowRef::of(&follow));
        outbox::record(&txn, target.id, &intent).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    Ok(())
}

/// A local follower stops following (or withdraws a pending request).
pub async fn unfollow(ctx: &Context, follower: &Actor, target: &Actor) -> CoreResult<()> {
    let Some(follow) = q::find_pair(&ctx.db, follower.id, target.id).await? else {
        return Ok(());
    };
    let txn = ctx.db.begin().await?;
    end(&txn, &follow).await?;
    withdraw_request(&txn, target, follower).await?;
    if !target.local {
        let intent = Intent::UndoFollow(FollowRef::of(&follow));
        outbox::record(&txn, follower.id, &intent).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    Ok(())
}

/// The remote followee answered our request. `accepted` false means Reject.
pub async fn receive_answer(
    ctx: &Context,
    follower: &Actor,
    followee: &Actor,
    accepted: bool,
) -> CoreResult<()> {
    let Some(follow) = q::find_pair(&ctx.db, follower.id, followee.id).await? else {
        return Err(CoreError::NotFound);
    };
    if accepted {
        let mut row: follows::ActiveModel = follow.into();
        row.accepted = Set(true);
        row.update(&ctx.db).await?;
    } else {
        end(&ctx.db, &follow).await?;
    }
    Ok(())
}

/// A remote follower sent Undo(Follow).
pub async fn receive_undo(ctx: &Context, follower: &Actor, followee: &Actor) -> CoreResult<()> {
    if let Some(follow) = q::find_pair(&ctx.db, follower.id, followee.id).await? {
        let txn = ctx.db.begin().await?;
        end(&txn, &follow).await?;
        withdraw_request(&txn, followee, follower).await?;
        txn.commit().await?;
    }
    Ok(())
}

/// Who follows `actor` (`followers`) or whom it follows, accepted only, a page at a time;
/// paginated by the follow's id, which is returned beside each actor. Shown to `viewer` only
/// when she is the account (or runs it: an organisation's admins and moderators), or the
/// account chose to show its network; otherwise the list is empty, as in Mastodon. Who
/// follows whom can put people at risk.
pub async fn list(
    ctx: &Context,
    viewer: Option<&Actor>,
    actor: &Actor,
    followers: bool,
    page: passage_db::Page,
) -> CoreResult<Vec<(i64, Actor)>> {
    if !may_see_network(ctx, viewer, actor).await? {
        return Ok(Vec::new());
    }
    pending_or_accepted(ctx, actor, followers, true, page).await
}

/// Whether `viewer` may see whom `actor` follows and who follows it.
pub async fn may_see_network(
    ctx: &Context,
    viewer: Option<&Actor>,
    actor: &Actor,
) -> CoreResult<bool> {
    if actor.show_network {
        return Ok(true);
    }
    match viewer {
        Some(viewer) => crate::organisations::can_publish_as(ctx, viewer, actor).await,
        None => Ok(false),
    }
}

/// Follow requests waiting for `target` to decide, with the request ids for pagination.
pub async fn requests(
    ctx: &Context,
    target: &Actor,
    page: passage_db::Page,
) -> CoreResult<Vec<(i64, Actor)>> {
    pending_or_accepted(ctx, target, true, false, page).await
}

async fn pending_or_accepted(
    ctx: &Context,
    actor: &Actor,
    followers: bool,
    accepted: bool,
    page: passage_db::Page,
) -> CoreResult<Vec<(i64, Actor)>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let mine = if followers {
        follows::Column::FolloweeId
    } else {
        follows::Column::FollowerId
    };
    let select = follows::Entity::find()
        .filter(mine.eq(actor.id))
        .filter(follows::Column::Accepted.eq(accepted));
    let rows = page.finish(page.apply(select, follows::Column::Id).all(&ctx.db).await?);
    let ids: Vec<i64> = rows
        .iter()
        .map(|f| {
            if followers {
                f.follower_id
            } else {
                f.followee_id
            }
        })
        .collect();
    let actors = passage_db::queries::actors::by_ids(&ctx.db, &ids).await?;
    Ok(rows
        .iter()
        .zip(ids)
        .filter_map(|(f, id)| Some((f.id, actors.iter().find(|a| a.id == id)?.clone())))
        .collect())
}

/// The relation between two actors, if any.
pub async fn between(
    ctx: &Context,
    follower: &Actor,
    followee: &Actor,
) -> CoreResult<Option<Follow>> {
    Ok(q::find_pair(&ctx.db, follower.id, followee.id).await?)
}

/// Number of accepted followers (`followers` true) or followees.
pub async fn count(ctx: &Context, actor: &Actor, followers: bool) -> CoreResult<u64> {
    Ok(q::count_accepted(&ctx.db, actor.id, followers).await?)
}

/// Follow requests waiting for `target` (one count, not a page of them).
pub async fn count_requests(ctx: &Context, target: &Actor) -> CoreResult<u64> {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    Ok(follows::Entity::find()
        .filter(follows::Column::FolloweeId.eq(target.id))
        .filter(follows::Column::Accepted.eq(false))
        .count(&ctx.db)
        .await?)
}

/// A follow by the id of its Follow activity.
pub async fn by_ap_id(ctx: &Context, ap_id: &str) -> CoreResult<Option<Follow>> {
    Ok(q::by_ap_id(&ctx.db, ap_id).await?)
}
