//! Routes by resource, as Mastodon's API documentation groups them.

mod account_moves;
mod accounts;
mod admin_accounts;
mod admin_appeals;
mod admin_domain_lists;
mod admin_domains;
mod admin_held;
mod admin_registrations;
mod admin_relays;
mod admin_reports;
mod calendar;
mod conversations;
mod events;
mod filters;
mod grouped_notifications;
mod imports;
mod instance;
mod lists;
mod media;
mod moderation_warnings;
mod network;
mod notification_requests;
mod notifications;
mod oauth;
mod organisation_moves;
mod organisations;
mod polls;
mod reports;
mod resource_files;
mod resources;
mod scheduled_statuses;
mod search;
mod statuses;
mod streaming;
mod tags;
mod timelines;

use crate::{ApiError, ApiState, entities, pagination::Paged};
use axum::{Router, http::Uri};
use passage_core::{Actor, Post, filters as user_filters, views};

/// All routes. Bodies are limited to `max_body` bytes, uploads to `max_upload`.
pub fn router(max_body: usize, max_upload: usize) -> Router<ApiState> {
    use axum::extract::DefaultBodyLimit;
    Router::new()
        .merge(media::routes().layer(DefaultBodyLimit::max(max_upload)))
        .merge(accounts::upload_routes().layer(DefaultBodyLimit::max(max_upload)))
        .merge(imports::upload_routes().layer(DefaultBodyLimit::max(
            passage_core::imports::MAX_BYTES + 64 * 1024,
        )))
        .merge(imports::routes())
        .merge(admin_relays::routes())
        .merge(network::routes())
        .merge(organisation_moves::routes())
        .merge(
            admin_domain_lists::import_routes().layer(DefaultBodyLimit::max(
                passage_core::moderation::subscriptions::MAX_LIST_BYTES,
            )),
        )
        .merge(oauth::routes())
        .merge(lists::routes())
        .merge(reports::routes())
        .merge(polls::routes())
        .merge(scheduled_statuses::routes())
        .merge(conversations::routes())
        .merge(filters::routes())
        .merge(tags::routes())
        .merge(instance::routes())
        .merge(accounts::routes())
        .merge(account_moves::routes())
        .merge(statuses::routes())
        .merge(timelines::routes())
        .merge(notifications::routes())
        .merge(grouped_notifications::routes())
        .merge(notification_requests::routes())
        .merge(search::routes())
        .merge(streaming::routes())
        .merge(events::routes())
        .merge(calendar::routes())
        .merge(organisations::routes())
        .merge(resources::routes())
        .merge(resource_files::routes())
        .merge(admin_domains::routes())
        .merge(admin_accounts::routes())
        .merge(admin_reports::routes())
        .merge(admin_held::routes())
        .merge(admin_domain_lists::routes())
        .merge(admin_appeals::routes())
        .merge(admin_registrations::routes())
        .merge(moderation_warnings::routes())
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { ApiError::not_found() }),
        )
        .layer(DefaultBodyLimit::max(max_body))
}

/// Posts as statuses for `viewer`, in order, without those of accounts hidden from them.
/// In a filter `context` (home, public, thread, account), the viewer's filters apply: posts
/// a `hide` filter matches are left out, others carry what they matched in `filtered`.
async fn statuses(
    state: &ApiState,
    viewer: Option<&Actor>,
    posts: Vec<Post>,
    context: Option<&str>,
) -> Result<Vec<entities::Status>, ApiError> {
    let views = views::shown(&state.ctx, viewer, posts).await?;
    let active = match context {
        Some(context) => user_filters::active(&state.ctx, viewer, context).await?,
        None => user_filters::Active::default(),
    };
    Ok(views
        .iter()
        .filter_map(|v| filtered_status(&state.ctx, &active, v))
        .collect())
}

/// A status with the filters it matched, or None when one of them hides it.
fn filtered_status(
    ctx: &passage_core::Context,
    active: &user_filters::Active,
    view: &views::PostView,
) -> Option<entities::Status> {
    let mut status = entities::status_from(ctx, view);
    let matches = active.matches(view);
    if matches.iter().any(user_filters::Match::hides) {
        return None;
    }
    status.filtered = matches.iter().map(entities::filter_result_from).collect();
    if let Some(inner) = status.reblog.as_mut() {
        inner.filtered = status.filtered.clone();
    }
    Some(status)
}

async fn status(
    state: &ApiState,
    viewer: Option<&Actor>,
    post: Post,
) -> Result<entities::Status, ApiError> {
    let view = views::post(&state.ctx, viewer, post).await?;
    Ok(entities::status_from(&state.ctx, &view))
}

async fn accounts(
    state: &ApiState,
    actors: Vec<Actor>,
) -> Result<Vec<entities::Account>, ApiError> {
    let views = views::accounts(&state.ctx, actors).await?;
    Ok(views
        .iter()
        .map(|v| entities::account_from(&state.ctx, v))
        .collect())
}

async fn account(state: &ApiState, actor: Actor) -> Result<entities::Account, ApiError> {
    let view = views::account(&state.ctx, actor).await?;
    Ok(entities::account_from(&state.ctx, &view))
}

/// A timeline page of posts (cursor = post id) in a filter context. The cursors are those of
/// the page as read, so paging goes on past posts a filter hides.
async fn status_page(
    state: &ApiState,
    viewer: Option<&Actor>,
    uri: &Uri,
    posts: Vec<Post>,
    context: &str,
) -> Result<Paged<entities::Status>, ApiError> {
    let cursors = cursors(posts.iter().map(|p| p.id));
    let items = statuses(state, viewer, posts, Some(context)).await?;
    Ok(Paged::new(items, state.ctx.urls.base(), uri, cursors))
}

/// A page of `(cursor, post)` (bookmarks, favourites: the cursor is not the post id).
async fn keyed_status_page(
    state: &ApiState,
    viewer: Option<&Actor>,
    uri: &Uri,
    rows: Vec<(i64, Post)>,
) -> Result<Paged<entities::Status>, ApiError> {
    let cursors = cursors(rows.iter().map(|(c, _)| *c));
    let items = statuses(
        state,
        viewer,
        rows.into_iter().map(|(_, p)| p).collect(),
        None,
    )
    .await?;
    Ok(Paged::new(items, state.ctx.urls.base(), uri, cursors))
}

/// A page of `(cursor, account)` (followers, follow requests, favourited_by).
async fn keyed_account_page(
    state: &ApiState,
    uri: &Uri,
    rows: Vec<(i64, Actor)>,
) -> Result<Paged<entities::Account>, ApiError> {
    let cursors = cursors(rows.iter().map(|(c, _)| *c));
    let items = accounts(state, rows.into_iter().map(|(_, a)| a).collect()).await?;
    Ok(Paged::new(items, state.ctx.urls.base(), uri, cursors))
}

/// First and last cursor of a page (newest, oldest), None when empty.
fn cursors(ids: impl Iterator<Item = i64>) -> Option<(i64, i64)> {
    let ids: Vec<i64> = ids.collect();
    Some((*ids.first()?, *ids.last()?))
}

/// An id in a path: numeric, or the record cannot exist.
fn id(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::not_found())
}
