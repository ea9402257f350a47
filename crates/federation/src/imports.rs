//! Working through a member's import (stored by `passage_core::imports`): each line's
//! account or post is found, here or over the network as a search with `resolve` would, and
//! then followed, blocked, muted, listed or bookmarked through the ordinary use cases, which
//! send what they send (a `Follow` to a remote account).

use crate::{Federation, FederationData, FederationError, objects, resolve};
use activitypub_federation::config::FederationConfig;
use passage_core::{
    Actor, accounts,
    imports::{self, Import, Kind, Mode},
};

/// Works through `import` to its end, calling `progress` after each batch of lines. A line
/// that fails is recorded with its reason and the next one taken; only the database failing
/// stops the run, leaving the rest for the next holder.
pub async fn run(
    config: &FederationConfig<Federation>,
    import: Import,
    mut progress: impl FnMut(&Import),
) -> Result<Import, FederationError> {
    let ctx = &config.to_request_data().ctx.clone();
    let account = accounts::by_id(ctx, import.account_id).await?;
    let kind = Kind::parse(&import.kind)?;
    loop {
        let rows = imports::next_rows(ctx, &import).await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            // Request data of its own per line: the library counts the fetches made
            // through one and stops at `http_fetch_limit`, a bound meant for one activity.
            let data = config.to_request_data();
            let outcome = match apply(&data, &account, kind, &imports::cells(&row)).await {
                Ok(target) => Ok(target),
                Err(e @ (FederationError::Unavailable(_) | FederationError::Internal(_))) => {
                    return Err(e);
                }
                Err(e) => Err(reason(e)),
            };
            imports::record(ctx, &row, outcome).await?;
        }
        progress(&imports::reload(ctx, &import).await?);
    }
    if Mode::parse(&import.mode)? == Mode::Overwrite {
        imports::undo_unnamed(ctx, &account, &import).await?;
    }
    imports::finish(ctx, &import).await?;
    let done = imports::reload(ctx, &import).await?;
    progress(&done);
    Ok(done)
}

/// Works through `import` in the background, as the member's request returns.
pub fn spawn(config: FederationConfig<Federation>, import: Import) {
    tokio::spawn(async move {
        let id = import.id;
        if let Err(error) = run(&config, import, |_| {}).await {
            tracing::warn!(%error, import = id, "import stopped; it resumes within a minute");
        }
    });
}

/// Takes up imports whose holder stopped (a restart), each worked through in the
/// background so the periodic work that found them is not held up; how many were taken.
pub async fn resume_abandoned(
    config: &FederationConfig<Federation>,
) -> Result<usize, FederationError> {
    let ctx = config.to_request_data().ctx.clone();
    let mut taken = 0;
    for id in imports::abandoned(&ctx).await? {
        if let Some(import) = imports::claim(&ctx, id).await? {
            spawn(config.clone(), import);
            taken += 1;
        }
    }
    Ok(taken)
}

/// Does what one line asks; the account or post it named.
async fn apply(
    data: &FederationData,
    me: &Actor,
    kind: Kind,
    cells: &[String],
) -> Result<i64, FederationError> {
    let ctx = &data.ctx;
    let cell = |n: usize| cells.get(n).map(String::as_str).unwrap_or_default();
    match kind {
        Kind::Following => {
            let target = account(data, cell(0)).await?;
            passage_core::follows::request(ctx, me, &target).await?;
            Ok(target.id)
        }
        Kind::Blocks => {
            let target = account(data, cell(0)).await?;
            passage_core::blocks::block(ctx, me, &target).await?;
            Ok(target.id)
        }
        Kind::Mutes => {
            let target = account(data, cell(0)).await?;
            let hide = imports::parse_flag(cell(1)).map_err(FederationError::BadRequest)?;
            passage_core::blocks::mute(ctx, me, &target, hide).await?;
            Ok(target.id)
        }
        Kind::Lists => {
            let target = account(data, cell(1)).await?;
            let list = passage_core::lists::named(ctx, me, cell(0)).await?;
            // As in Mastodon, listing an account follows it.
            passage_core::follows::request(ctx, me, &target).await?;
            passage_core::lists::add(ctx, me, list.id, &[target.id]).await?;
            Ok(target.id)
        }
        Kind::Bookmarks => {
            let url = url::Url::parse(cell(0))?;
            let post = match passage_core::posts::by_ap_id(ctx, url.as_str()).await? {
                Some(post) => post,
                None => objects::note::resolve(&url, data).await?,
            };
            passage_core::bookmarks::add(ctx, me, &post).await?;
            Ok(post.id)
        }
    }
}

/// An account by its address: known here, or found through WebFinger.
async fn account(data: &FederationData, address: &str) -> Result<Actor, FederationError> {
    let (user, domain) = imports::parse_account(address).map_err(FederationError::BadRequest)?;
    let ctx = &data.ctx;
    match domain {
        None => Ok(accounts::local_by_username(ctx, user).await?),
        Some(domain) if domain.eq_ignore_ascii_case(ctx.domain()) => {
            Ok(accounts::local_by_username(ctx, user).await?)
        }
        Some(domain) => match accounts::remote_by_handle(ctx, user, domain).await? {
            Some(known) => Ok(known),
            None => resolve::handle(data, &format!("{user}@{domain}")).await,
        },
    }
}

/// Why a line failed, for the member to read beside its number.
fn reason(error: FederationError) -> String {
    match error {
        FederationError::NotFound => "not found".into(),
        FederationError::Gone => "deleted".into(),
        FederationError::BadRequest(m)
        | FederationError::Forbidden(m)
        | FederationError::Remote(m)
        | FederationError::Unauthorized(m) => m,
        other => other.to_string(),
    }
}
