//! Posts scheduled for later: a member writes now and the post goes out at the chosen time
//! (a training announced on Monday morning, written on Friday). The post is checked when it
//! is scheduled, with the same rules as an immediate one, and its uploads are held back so
//! no other post takes them; the chore loop publishes it when due.

use crate::{
    Actor, Context, CoreError,
    error::{CoreResult, OrNotFound},
    media::{self, Media},
    polls::NewPoll,
    posts::{self, NewPost},
    visibility::Visibility,
};
use passage_db::{Page, Timestamp, entities::scheduled_posts, now, queries::actors as aq};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// How far ahead a post must be scheduled; nearer than this, a client should just post.
/// Mastodon's figure, which clients show in their date pickers.
pub const MIN_LEAD: chrono::Duration = chrono::Duration::minutes(5);
/// Scheduled posts one member may have waiting, and on one day (Mastodon's limits).
pub const MAX_PENDING: u64 = 300;
pub const MAX_PER_DAY: u64 = 25;
/// Posts one pass of the chore loop publishes; the rest wait for the next pass.
const BATCH: u64 = 50;

/// What the post will be made of, as stored until it is published.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Params {
    pub text: String,
    pub visibility: String,
    pub in_reply_to_id: Option<i64>,
    pub language: Option<String>,
    pub spoiler_text: Option<String>,
    pub sensitive: bool,
    pub mention_ids: Vec<i64>,
    pub media_ids: Vec<i64>,
    pub poll: Option<NewPoll>,
    pub idempotency: Option<String>,
}

/// A scheduled post with its parameters and the uploads it holds.
#[derive(Clone, Debug)]
pub struct Scheduled {
    pub id: i64,
    pub scheduled_at: Timestamp,
    pub params: Params,
    pub media: Vec<Media>,
}

impl Params {
    fn of(new: &NewPost) -> Self {
        Self {
            text: new.text.clone(),
            visibility: new.visibility.as_str().to_owned(),
            in_reply_to_id: new.in_reply_to,
            language: new.language.clone(),
            spoiler_text: new.summary.clone(),
            sensitive: new.sensitive,
            mention_ids: new.mentions.iter().map(|a| a.id).collect(),
            media_ids: new.media_ids.clone(),
            poll: new.poll.clone(),
            idempotency: new.idempotency_key.clone(),
        }
    }
}

fn check_time(at: Timestamp) -> CoreResult<()> {
    if at < now() + MIN_LEAD {
        return Err(CoreError::Invalid(
            "scheduled_at: must be at least 5 minutes in the future".into(),
        ));
    }
    Ok(())
}

/// Schedules `new` for `at`. The same idempotency key from the same author returns the
/// scheduled post already made.
pub async fn schedule(
    ctx: &Context,
    author: &Actor,
    new: NewPost,
    at: Timestamp,
) -> CoreResult<Scheduled> {
    if !author.local {
        return Err(CoreError::Forbidden(
            "only local actors post from here".into(),
        ));
    }
    check_time(at)?;
    new.check()?;
    let own =
        scheduled_posts::Entity::find().filter(scheduled_posts::Column::ActorId.eq(author.id));
    if new.idempotency_key.is_some() {
        for row in own.clone().all(&ctx.db).await? {
            if decode(&row)?.idempotency == new.idempotency_key {
                return view(ctx, row).await;
            }
        }
    }
    if own.clone().count(&ctx.db).await? >= MAX_PENDING {
        return Err(CoreError::Invalid(format!(
            "scheduled_at: at most {MAX_PENDING} scheduled posts may wait"
        )));
    }
    let day = at.date_naive();
    let start = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().fixed_offset());
    if let Some(start) = start {
        let that_day = own
            .filter(scheduled_posts::Column::ScheduledAt.gte(start))
            .filter(scheduled_posts::Column::ScheduledAt.lt(start + chrono::Duration::days(1)))
            .count(&ctx.db)
            .await?;
        if that_day >= MAX_PER_DAY {
            return Err(CoreError::Invalid(format!(
                "scheduled_at: at most {MAX_PER_DAY} posts may be scheduled on one day"
            )));
        }
    }
    let params = Params::of(&new);
    let id = ctx.ids.next();
    let txn = ctx.db.begin().await?;
    let held = media::for_new_post(&txn, author, &new.media_ids).await?;
    let row = scheduled_posts::ActiveModel {
        id: Set(id),
        actor_id: Set(author.id),
        scheduled_at: Set(at),
        params: Set(encode(&params)?),
        created_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    media::reserve(&txn, &held, id).await?;
    txn.commit().await?;
    Ok(Scheduled {
        id: row.id,
        scheduled_at: row.scheduled_at,
        params,
        media: held,
    })
}

fn encode(params: &Params) -> CoreResult<String> {
    serde_json::to_string(params).map_err(|e| CoreError::Internal(format!("scheduled post: {e}")))
}

fn decode(row: &scheduled_posts::Model) -> CoreResult<Params> {
    serde_json::from_str(&row.params)
        .map_err(|e| CoreError::Internal(format!("scheduled post {}: {e}", row.id)))
}

async fn view(ctx: &Context, row: scheduled_posts::Model) -> CoreResult<Scheduled> {
    views(ctx, vec![row]).await?.pop().or_not_found()
}

/// Scheduled posts with their uploads, for a page in two reads of the media table at most.
async fn views(ctx: &Context, rows: Vec<scheduled_posts::Model>) -> CoreResult<Vec<Scheduled>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let held = media::of_scheduled(&ctx.db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let params = decode(&row)?;
            // In the order the author chose, as the post will show them.
            let media = params
                .media_ids
                .iter()
                .filter_map(|id| held.iter().find(|m| m.id == *id).cloned())
                .collect();
            Ok(Scheduled {
                id: row.id,
                scheduled_at: row.scheduled_at,
                params,
                media,
            })
        })
        .collect()
}

async fn own_row(ctx: &Context, owner: &Actor, id: i64) -> CoreResult<scheduled_posts::Model> {
    scheduled_posts::Entity::find_by_id(id)
        .filter(scheduled_posts::Column::ActorId.eq(owner.id))
        .one(&ctx.db)
        .await?
        .or_not_found()
}

/// One of the owner's scheduled posts (another member's does not exist for them).
pub async fn get(ctx: &Context, owner: &Actor, id: i64) -> CoreResult<Scheduled> {
    view(ctx, own_row(ctx, owner, id).await?).await
}

/// A page of the owner's scheduled posts, newest first by id.
pub async fn list(ctx: &Context, owner: &Actor, page: Page) -> CoreResult<Vec<Scheduled>> {
    let select =
        scheduled_posts::Entity::find().filter(scheduled_posts::Column::ActorId.eq(owner.id));
    let rows = page.finish(
        page.apply(select, scheduled_posts::Column::Id)
            .all(&ctx.db)
            .await?,
    );
    views(ctx, rows).await
}

/// Moves a scheduled post to another time.
pub async fn reschedule(
    ctx: &Context,
    owner: &Actor,
    id: i64,
    at: Timestamp,
) -> CoreResult<Scheduled> {
    check_time(at)?;
    let mut row: scheduled_posts::ActiveModel = own_row(ctx, owner, id).await?.into();
    row.scheduled_at = Set(at);
    view(ctx, row.update(&ctx.db).await?).await
}

/// Cancels a scheduled post; its uploads are free again.
pub async fn cancel(ctx: &Context, owner: &Actor, id: i64) -> CoreResult<()> {
    let row = own_row(ctx, owner, id).await?;
    let txn = ctx.db.begin().await?;
    media::release(&txn, row.id).await?;
    scheduled_posts::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Publishes the scheduled posts that are due; returns how many went out.
///
/// A row is claimed by deleting it, so two processes never publish it twice. A post that no
/// longer passes (its parent was deleted meanwhile, a mentioned account is gone) is dropped
/// with a warning in the log, as Mastodon does; everything else about it was checked when it
/// was scheduled.
pub async fn publish_due(ctx: &Context) -> CoreResult<usize> {
    let due = scheduled_posts::Entity::find()
        .filter(scheduled_posts::Column::ScheduledAt.lte(now()))
        .order_by_asc(scheduled_posts::Column::ScheduledAt)
        .limit(BATCH)
        .all(&ctx.db)
        .await?;
    let mut published = 0;
    for row in due {
        let txn = ctx.db.begin().await?;
        media::release(&txn, row.id).await?;
        let claimed = scheduled_posts::Entity::delete_by_id(row.id)
            .exec(&txn)
            .await?;
        txn.commit().await?;
        if claimed.rows_affected == 0 {
            continue;
        }
        match publish(ctx, &row).await {
            Ok(()) => published += 1,
            Err(e) => tracing::warn!(scheduled = row.id, error = %e, "scheduled post dropped"),
        }
    }
    Ok(published)
}

async fn publish(ctx: &Context, row: &scheduled_posts::Model) -> CoreResult<()> {
    let params = decode(row)?;
    let author = aq::by_id(&ctx.db, row.actor_id).await?.or_not_found()?;
    let mentions = aq::by_ids(&ctx.db, &params.mention_ids).await?;
    let new = NewPost {
        text: params.text,
        visibility: Visibility::parse(&params.visibility)?,
        in_reply_to: params.in_reply_to_id,
        language: params.language,
        summary: params.spoiler_text,
        sensitive: params.sensitive,
        mentions,
        media_ids: params.media_ids,
        idempotency_key: params.idempotency,
        poll: params.poll,
    };
    posts::create(ctx, &author, new).await?;
    Ok(())
}
