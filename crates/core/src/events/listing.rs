//! Listing events: upcoming public events of a host, a category or a language, for the API
//! and calendars.

use super::Event;
use crate::{Context, Post, error::CoreResult, visibility::FOR_EVERYONE};
use passage_db::{
    Timestamp,
    entities::{events, posts as post_rows},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Query};

/// Which events a listing or a calendar shows.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only events hosted by this actor.
    pub host_id: Option<i64>,
    pub category: Option<String>,
    pub language: Option<String>,
    /// Only events published here.
    pub local_only: bool,
    /// Only events ending (or, without an end, starting) after this time.
    pub after: Option<Timestamp>,
}

/// Public and unlisted events matching `filter`, soonest first, at most `limit`.
pub async fn list(ctx: &Context, filter: &Filter, limit: u64) -> CoreResult<Vec<(Post, Event)>> {
    let mut posts_q = Query::select()
        .column(post_rows::Column::Id)
        .from(post_rows::Entity)
        .and_where(post_rows::Column::DeletedAt.is_null())
        .and_where(post_rows::Column::Visibility.is_in(FOR_EVERYONE))
        .to_owned();
    if let Some(host) = filter.host_id {
        posts_q.and_where(post_rows::Column::AuthorId.eq(host));
    }
    if filter.local_only {
        posts_q.and_where(post_rows::Column::Local.eq(true));
    }
    if let Some(language) = &filter.language {
        posts_q.and_where(post_rows::Column::Language.eq(language.clone()));
    }
    let mut q = events::Entity::find().filter(events::Column::PostId.in_subquery(posts_q));
    if let Some(category) = &filter.category {
        q = q.filter(events::Column::Category.eq(category.to_ascii_uppercase()));
    }
    if let Some(after) = filter.after {
        q = q.filter(
            sea_orm::Condition::any()
                .add(events::Column::EndsAt.gt(after))
                .add(
                    sea_orm::Condition::all()
                        .add(events::Column::EndsAt.is_null())
                        .add(events::Column::StartsAt.gt(after)),
                ),
        );
    }
    let rows = q
        .order_by_asc(events::Column::StartsAt)
        .limit(limit)
        .all(&ctx.db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|e| e.post_id).collect();
    let posts = post_rows::Entity::find()
        .filter(post_rows::Column::Id.is_in(ids))
        .all(&ctx.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let post = posts.iter().find(|p| p.id == e.post_id)?.clone();
            Some((post, e))
        })
        .collect())
}
