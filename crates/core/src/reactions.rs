//! Likes and boosts (Like and Announce), with their undo, both ways.
//!
//! A boost is stored as a post row whose `reblog_of_id` names the original, as Mastodon does,
//! so timelines show boosts without a second table.

use crate::{
    Actor, Context, Post,
    error::{CoreError, CoreResult},
    notifications::{self, Kind, Recipient},
    outbox::{self, Intent},
    streaming::Event,
    visibility::Visibility,
};
use passage_db::{
    Timestamp,
    entities::{likes, posts},
    now,
    queries::{likes as lq, posts as pq},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, TransactionTrait};

/// A local actor likes a post (idempotent).
pub async fn like(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<()> {
    if !crate::posts::can_view(ctx, Some(actor), post).await? {
        return Err(CoreError::NotFound);
    }
    if lq::find_pair(&ctx.db, actor.id, post.id).await?.is_some() {
        return Ok(());
    }
    let ap_id = ctx.urls.new_activity();
    let txn = ctx.db.begin().await?;
    let event = insert_like(&txn, &ap_id, actor.id, post).await?;
    if !post.local {
        outbox::record(
            &txn,
            actor.id,
            &Intent::Like {
                like_ap_id: ap_id,
                post_id: post.id,
            },
        )
        .await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish(event);
    Ok(())
}

async fn insert_like(
    db: &impl sea_orm::ConnectionTrait,
    ap_id: &str,
    actor_id: i64,
    post: &Post,
) -> CoreResult<Option<Event>> {
    likes::ActiveModel {
        ap_id: Set(ap_id.to_owned()),
        actor_id: Set(actor_id),
        post_id: Set(post.id),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let author = Recipient::author_of(post);
    notifications::record(db, author, actor_id, Kind::Favourite, Some(post.id)).await
}

/// A local actor withdraws a like.
pub async fn unlike(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<()> {
    let Some(like) = lq::find_pair(&ctx.db, actor.id, post.id).await? else {
        return Ok(());
    };
    let txn = ctx.db.begin().await?;
    likes::Entity::delete_by_id(like.id).exec(&txn).await?;
    notifications::withdraw(&txn, None, actor.id, Kind::Favourite, Some(post.id)).await?;
    if !post.local {
        let intent = Intent::UndoLike {
            like_ap_id: like.ap_id,
            post_id: post.id,
        };
        outbox::record(&txn, actor.id, &intent).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    Ok(())
}

/// A Like arrived from a remote actor for one of our posts (or one we know).
pub async fn receive_like(
    ctx: &Context,
    actor: &Actor,
    post: &Post,
    ap_id: &str,
) -> CoreResult<()> {
    if lq::by_ap_id(&ctx.db, ap_id).await?.is_some()
        || lq::find_pair(&ctx.db, actor.id, post.id).await?.is_some()
    {
        return Ok(());
    }
    if !crate::posts::can_view(ctx, Some(actor), post).await? {
        return Err(CoreError::Forbidden(
            "cannot like a post one cannot see".into(),
        ));
    }
    let txn = ctx.db.begin().await?;
    let event = insert_like(&txn, ap_id, actor.id, post).await?;
    txn.commit().await?;
    ctx.stream.publish(event);
    Ok(())
}

/// Undo(Like) from a remote actor: only the liker can undo.
pub async fn receive_undo_like(ctx: &Context, actor: &Actor, like_ap_id: &str) -> CoreResult<()> {
    if let Some(like) = lq::by_ap_id(&ctx.db, like_ap_id).await? {
        if like.actor_id != actor.id {
            return Err(CoreError::Forbidden(
                "only the liker may undo a like".into(),
            ));
        }
        let txn = ctx.db.begin().await?;
        likes::Entity::delete_by_id(like.id).exec(&txn).await?;
        notifications::withdraw(&txn, None, actor.id, Kind::Favourite, Some(like.post_id)).await?;
        txn.commit().await?;
    }
    Ok(())
}

/// The posts `actor` favourited, newest favourite first, each with the like's id (the
/// pagination cursor).
pub async fn favourites(
    ctx: &Context,
    actor: &Actor,
    page: passage_db::Page,
) -> CoreResult<Vec<(i64, Post)>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let select = likes::Entity::find().filter(likes::Column::ActorId.eq(actor.id));
    let rows = page.finish(page.apply(select, likes::Column::Id).all(&ctx.db).await?);
    crate::bookmarks::with_posts(ctx, actor, rows.iter().map(|l| (l.id, l.post_id)).collect()).await
}

/// Who favourited (`boosts` false) or boosted a post, newest first, with cursors.
pub async fn reacted_by(
    ctx: &Context,
    post: &Post,
    boosts: bool,
    page: passage_db::Page,
) -> CoreResult<Vec<(i64, Actor)>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let pairs = if boosts {
        let select = posts::Entity::find()
            .filter(posts::Column::ReblogOfId.eq(post.id))
            .filter(posts::Column::DeletedAt.is_null());
        page.pairs(&ctx.db, select, posts::Column::Id, posts::Column::AuthorId)
            .await?
    } else {
        let select = likes::Entity::find().filter(likes::Column::PostId.eq(post.id));
        page.pairs(&ctx.db, select, likes::Column::Id, likes::Column::ActorId)
            .await?
    };
    crate::accounts::with_cursors(ctx, pairs).await
}

pub async fn like_count(ctx: &Context, post: &Post) -> CoreResult<u64> {
    Ok(lq::count_for_post(&ctx.db, post.id).await?)
}

/// A local actor boosts a public or unlisted post (idempotent). Returns the boost row.
pub async fn boost(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<Post> {
    if !Visibility::parse(&post.visibility)?.is_public() || post.deleted_at.is_some() {
        return Err(CoreError::Forbidden(
            "only public posts can be boosted".into(),
        ));
    }
    if let Some(existing) = pq::reblog_by(&ctx.db, actor.id, post.id).await? {
        return Ok(existing);
    }
    let ap_id = ctx.urls.new_activity();
    let txn = ctx.db.begin().await?;
    let id = ctx.ids.next();
    let (boost, event) = insert_boost(&txn, id, actor.id, post, &ap_id, true, now()).await?;
    outbox::record(&txn, actor.id, &Intent::Announce { boost_id: boost.id }).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream
        .publish(event.into_iter().chain([Event::Post(boost.id)]));
    Ok(boost)
}

async fn insert_boost(
    db: &impl sea_orm::ConnectionTrait,
    id: i64,
    actor_id: i64,
    post: &Post,
    ap_id: &str,
    local: bool,
    published: Timestamp,
) -> CoreResult<(Post, Option<Event>)> {
    let author = Recipient::author_of(post);
    let event = notifications::record(db, author, actor_id, Kind::Reblog, Some(post.id)).await?;
    let boost = posts::ActiveModel {
        reblog_of_id: Set(Some(post.id)),
        ..crate::posts::contentless_row(id, ap_id, actor_id, local, published)
    }
    .insert(db)
    .await?;
    Ok((boost, event))
}

/// A local actor withdraws a boost.
pub async fn unboost(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<()> {
    let Some(boost) = pq::reblog_by(&ctx.db, actor.id, post.id).await? else {
        return Ok(());
    };
    let txn = ctx.db.begin().await?;
    posts::Entity::delete_by_id(boost.id).exec(&txn).await?;
    notifications::withdraw(&txn, None, actor.id, Kind::Reblog, Some(post.id)).await?;
    let intent = Intent::UndoAnnounce {
        announce_ap_id: boost.ap_id,
        post_id: post.id,
    };
    outbox::record(&txn, actor.id, &intent).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish([Event::Deleted(boost.id)]);
    Ok(())
}

/// An Announce arrived: `actor` boosted `post` (already stored or fetched by federation).
pub async fn receive_announce(
    ctx: &Context,
    actor: &Actor,
    post: &Post,
    ap_id: &str,
    published: Timestamp,
) -> CoreResult<Post> {
    if let Some(existing) = pq::by_ap_id(&ctx.db, ap_id).await? {
        return Ok(existing);
    }
    if !Visibility::parse(&post.visibility)?.is_public() {
        return Err(CoreError::Forbidden(
            "only public posts can be boosted".into(),
        ));
    }
    let id = crate::posts::remote_id(ctx, published, ap_id).await?;
    let txn = ctx.db.begin().await?;
    let (boost, event) = insert_boost(&txn, id, actor.id, post, ap_id, false, published).await?;
    txn.commit().await?;
    ctx.stream
        .publish(event.into_iter().chain([Event::Post(boost.id)]));
    Ok(boost)
}

/// Undo(Announce) from a remote actor.
pub async fn receive_undo_announce(ctx: &Context, actor: &Actor, ap_id: &str) -> CoreResult<()> {
    if let Some(boost) = pq::by_ap_id(&ctx.db, ap_id).await? {
        if boost.author_id != actor.id || boost.reblog_of_id.is_none() {
            return Err(CoreError::Forbidden(
                "only the booster may undo a boost".into(),
            ));
        }
        let txn = ctx.db.begin().await?;
        posts::Entity::delete_by_id(boost.id).exec(&txn).await?;
        notifications::withdraw(&txn, None, actor.id, Kind::Reblog, boost.reblog_of_id).await?;
        txn.commit().await?;
        ctx.stream.publish([Event::Deleted(boost.id)]);
    }
    Ok(())
}
