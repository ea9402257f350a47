//! Hashtags a member features on her profile (Mastodon's featured tags): at most ten, each
//! shown with how many of her public posts carry it and when she last used it.

use crate::{Actor, Context, CoreError, error::CoreResult};
use passage_db::{
    Timestamp,
    entities::{featured_tags, post_tags, posts},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Query,
};

/// Most hashtags one account features, as Mastodon allows.
pub const MAX: u64 = 10;

/// How many of her own recent posts are read for suggestions.
const SUGGESTION_POSTS: u64 = 200;

#[derive(Clone, Debug)]
pub struct Featured {
    pub id: i64,
    pub name: String,
    pub statuses: u64,
    pub last_status_at: Option<Timestamp>,
}

/// What `actor` features, oldest first, with its counts over her public and unlisted posts.
pub async fn of(ctx: &Context, actor: &Actor) -> CoreResult<Vec<Featured>> {
    let rows = featured_tags::Entity::find()
        .filter(featured_tags::Column::ActorId.eq(actor.id))
        .order_by_asc(featured_tags::Column::Id)
        .limit(MAX)
        .all(&ctx.reader)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(counted(ctx, actor, row).await?);
    }
    Ok(out)
}

async fn counted(ctx: &Context, actor: &Actor, row: featured_tags::Model) -> CoreResult<Featured> {
    let tagged = posts::Entity::find()
        .filter(posts::Column::AuthorId.eq(actor.id))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(posts::Column::Visibility.is_in(["public", "unlisted"]))
        .filter(
            posts::Column::Id.in_subquery(
                Query::select()
                    .column(post_tags::Column::PostId)
                    .from(post_tags::Entity)
                    .and_where(post_tags::Column::Name.eq(row.name.as_str()))
                    .to_owned(),
            ),
        );
    let statuses = tagged.clone().count(&ctx.reader).await?;
    let last = tagged
        .order_by_desc(posts::Column::Id)
        .one(&ctx.reader)
        .await?;
    Ok(Featured {
        id: row.id,
        name: row.name,
        statuses,
        last_status_at: last.map(|p| p.published_at),
    })
}

/// Features `name` on `actor`'s profile; featuring it again changes nothing.
pub async fn add(ctx: &Context, actor: &Actor, name: &str) -> CoreResult<Featured> {
    let name = super::normalise(name)
        .map_err(|_| CoreError::Invalid(format!("{name:?} is not a hashtag")))?;
    let existing = featured_tags::Entity::find()
        .filter(featured_tags::Column::ActorId.eq(actor.id))
        .filter(featured_tags::Column::Name.eq(name.as_str()))
        .one(&ctx.db)
        .await?;
    let row = match existing {
        Some(row) => row,
        None => {
            let count = featured_tags::Entity::find()
                .filter(featured_tags::Column::ActorId.eq(actor.id))
                .count(&ctx.db)
                .await?;
            if count >= MAX {
                return Err(CoreError::Invalid(format!(
                    "at most {MAX} hashtags can be featured"
                )));
            }
            featured_tags::ActiveModel {
                actor_id: Set(actor.id),
                name: Set(name),
                created_at: Set(now()),
                ..Default::default()
            }
            .insert(&ctx.db)
            .await?
        }
    };
    counted(ctx, actor, row).await
}

/// Stops featuring one of `actor`'s featured tags.
pub async fn remove(ctx: &Context, actor: &Actor, id: i64) -> CoreResult<()> {
    let done = featured_tags::Entity::delete_many()
        .filter(featured_tags::Column::Id.eq(id))
        .filter(featured_tags::Column::ActorId.eq(actor.id))
        .exec(&ctx.db)
        .await?;
    if done.rows_affected == 0 {
        return Err(CoreError::NotFound);
    }
    Ok(())
}

/// The hashtags `actor` used most in her recent posts and does not feature yet, most used
/// first, at most [`MAX`].
pub async fn suggestions(ctx: &Context, actor: &Actor) -> CoreResult<Vec<String>> {
    let recent: Vec<i64> = posts::Entity::find()
        .select_only()
        .column(posts::Column::Id)
        .filter(posts::Column::AuthorId.eq(actor.id))
        .filter(posts::Column::DeletedAt.is_null())
        .order_by_desc(posts::Column::Id)
        .limit(SUGGESTION_POSTS)
        .into_tuple()
        .all(&ctx.reader)
        .await?;
    let names: Vec<String> = post_tags::Entity::find()
        .select_only()
        .column(post_tags::Column::Name)
        .filter(post_tags::Column::PostId.is_in(recent))
        .into_tuple()
        .all(&ctx.reader)
        .await?;
    let featured: Vec<String> = of(ctx, actor).await?.into_iter().map(|f| f.name).collect();
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for name in names.into_iter().filter(|n| !featured.contains(n)) {
        *counts.entry(name).or_default() += 1;
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(ranked
        .into_iter()
        .take(MAX as usize)
        .map(|(name, _)| name)
        .collect())
}
