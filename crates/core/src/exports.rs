//! A member's follows, followers, lists, blocks, mutes and bookmarks as the CSV files
//! Mastodon exports, so they can be taken to any server (and back: `imports` reads them).
//! Accounts are written `user@domain`, local ones with this instance's domain.

use crate::{Actor, Context, CoreError, error::CoreResult};
use passage_db::{
    entities::{bookmarks, follows, likes, list_accounts, lists, posts},
    queries::actors as aq,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// What can be exported, by the file names GoToSocial serves them under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    Following,
    Followers,
    Lists,
    Blocks,
    Mutes,
    Bookmarks,
}

impl Export {
    pub fn parse(name: &str) -> CoreResult<Self> {
        Ok(match name {
            "following" => Self::Following,
            "followers" => Self::Followers,
            "lists" => Self::Lists,
            "blocks" => Self::Blocks,
            "mutes" => Self::Mutes,
            "bookmarks" => Self::Bookmarks,
            other => {
                return Err(CoreError::Invalid(format!(
                    "{other:?} is not following, followers, lists, blocks, mutes or bookmarks"
                )));
            }
        })
    }
}

/// The CSV text of `what` for `account`.
pub async fn csv(ctx: &Context, account: &Actor, what: Export) -> CoreResult<String> {
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, cells: &[&str]| {
        out.write_record(cells)
            .map_err(|e| CoreError::Internal(format!("writing CSV: {e}")))
    };
    match what {
        Export::Following | Export::Followers => {
            let followers = what == Export::Followers;
            let (mine, theirs) = if followers {
                (follows::Column::FolloweeId, follows::Column::FollowerId)
            } else {
                (follows::Column::FollowerId, follows::Column::FolloweeId)
            };
            let ids: Vec<i64> = follows::Entity::find()
                .select_only()
                .column(theirs)
                .filter(mine.eq(account.id))
                .filter(follows::Column::Accepted.eq(true))
                .order_by_asc(follows::Column::Id)
                .into_tuple()
                .all(&ctx.db)
                .await?;
            let names = addresses(ctx, &ids).await?;
            if followers {
                write(&mut out, &["Account address"])?;
            } else {
                write(
                    &mut out,
                    &[
                        "Account address",
                        "Show boosts",
                        "Notify on new posts",
                        "Languages",
                    ],
                )?;
            }
            for id in ids {
                if let Some(name) = names.get(&id) {
                    if followers {
                        write(&mut out, &[name])?;
                    } else {
                        write(&mut out, &[name, "true", "false", ""])?;
                    }
                }
            }
        }
        Export::Blocks | Export::Mutes => {
            let mutes = what == Export::Mutes;
            let rows = crate::blocks::all(ctx, account, mutes).await?;
            let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
            let names = addresses(ctx, &ids).await?;
            if mutes {
                write(&mut out, &["Account address", "Hide notifications"])?;
            }
            for (id, hide) in rows {
                let Some(name) = names.get(&id) else { continue };
                if mutes {
                    write(&mut out, &[name, if hide { "true" } else { "false" }])?;
                } else {
                    write(&mut out, &[name])?;
                }
            }
        }
        Export::Lists => {
            let owned = lists::Entity::find()
                .filter(lists::Column::ActorId.eq(account.id))
                .order_by_asc(lists::Column::Id)
                .all(&ctx.db)
                .await?;
            let members: Vec<(i64, i64)> = list_accounts::Entity::find()
                .select_only()
                .column(list_accounts::Column::ListId)
                .column(list_accounts::Column::ActorId)
                .filter(list_accounts::Column::ListId.is_in(owned.iter().map(|l| l.id)))
                .into_tuple()
                .all(&ctx.db)
                .await?;
            let ids: Vec<i64> = members.iter().map(|(_, a)| *a).collect();
            let names = addresses(ctx, &ids).await?;
            for list in &owned {
                for (_, member) in members.iter().filter(|(l, _)| *l == list.id) {
                    if let Some(name) = names.get(member) {
                        write(&mut out, &[&list.title, name])?;
                    }
                }
            }
        }
        Export::Bookmarks => {
            let urls = bookmarked(ctx, account).await?;
            for url in urls {
                write(&mut out, &[&url])?;
            }
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| CoreError::Internal(format!("writing CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CoreError::Internal(e.to_string()))
}

/// The addresses of the live posts `account` bookmarked, oldest bookmark first.
pub async fn bookmarked(ctx: &Context, account: &Actor) -> CoreResult<Vec<String>> {
    let ids: Vec<i64> = bookmarks::Entity::find()
        .select_only()
        .column(bookmarks::Column::PostId)
        .filter(bookmarks::Column::ActorId.eq(account.id))
        .order_by_asc(bookmarks::Column::Id)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    live_addresses(ctx, &ids).await
}

/// The addresses of the live posts `account` liked, oldest like first.
pub async fn liked(ctx: &Context, account: &Actor) -> CoreResult<Vec<String>> {
    let ids: Vec<i64> = likes::Entity::find()
        .select_only()
        .column(likes::Column::PostId)
        .filter(likes::Column::ActorId.eq(account.id))
        .order_by_asc(likes::Column::Id)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    live_addresses(ctx, &ids).await
}

/// The ActivityPub ids of the posts of `ids` not deleted, in the order given.
async fn live_addresses(ctx: &Context, ids: &[i64]) -> CoreResult<Vec<String>> {
    let mut urls = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let found: HashMap<i64, String> = posts::Entity::find()
            .select_only()
            .column(posts::Column::Id)
            .column(posts::Column::ApId)
            .filter(posts::Column::Id.is_in(chunk.iter().copied()))
            .filter(posts::Column::DeletedAt.is_null())
            .into_tuple::<(i64, String)>()
            .all(&ctx.db)
            .await?
            .into_iter()
            .collect();
        urls.extend(chunk.iter().filter_map(|id| found.get(id).cloned()));
    }
    Ok(urls)
}

/// `user@domain` of each account, by id.
async fn addresses(ctx: &Context, ids: &[i64]) -> CoreResult<HashMap<i64, String>> {
    let mut names = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        for actor in aq::by_ids(&ctx.db, chunk).await? {
            names.insert(actor.id, format!("{}@{}", actor.username, actor.domain));
        }
    }
    Ok(names)
}
