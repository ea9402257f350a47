//! The end of an overwriting import: what the member had and the file does not name is
//! undone through the ordinary use cases (an ended follow sends its `Undo`).

use super::{Import, Kind, cells, kept_targets};
use crate::{Actor, Context, error::CoreResult};
use passage_db::entities::{bookmarks, follows, list_accounts, lists};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// Undoes what `account` has of the import's kind that its lines do not name.
pub async fn undo_unnamed(ctx: &Context, account: &Actor, import: &Import) -> CoreResult<usize> {
    let rows = kept_targets(ctx, import).await?;
    let kept: HashSet<i64> = rows.iter().filter_map(|r| r.target_id).collect();
    let kind = Kind::parse(&import.kind)?;
    let mut undone = 0;
    match kind {
        Kind::Following => {
            let followed: Vec<i64> = follows::Entity::find()
                .select_only()
                .column(follows::Column::FolloweeId)
                .filter(follows::Column::FollowerId.eq(account.id))
                .into_tuple()
                .all(&ctx.db)
                .await?;
            for id in followed.into_iter().filter(|id| !kept.contains(id)) {
                let target = crate::accounts::by_id(ctx, id).await?;
                crate::follows::unfollow(ctx, account, &target).await?;
                undone += 1;
            }
        }
        Kind::Blocks | Kind::Mutes => {
            let had = crate::blocks::all(ctx, account, kind == Kind::Mutes).await?;
            for (id, _) in had.into_iter().filter(|(id, _)| !kept.contains(id)) {
                let target = crate::accounts::by_id(ctx, id).await?;
                if kind == Kind::Blocks {
                    crate::blocks::unblock(ctx, account, &target).await?;
                } else {
                    crate::blocks::unmute(ctx, account, &target).await?;
                }
                undone += 1;
            }
        }
        Kind::Bookmarks => {
            let removed = bookmarks::Entity::delete_many()
                .filter(bookmarks::Column::ActorId.eq(account.id))
                .filter(bookmarks::Column::PostId.is_not_in(kept.iter().copied()))
                .exec(&ctx.db)
                .await?;
            undone += removed.rows_affected as usize;
        }
        Kind::Lists => {
            // Each list the file names keeps the accounts it names for it; lists it does not
            // name go.
            let mut named: HashMap<String, HashSet<i64>> = HashMap::new();
            for row in &rows {
                if let Some(title) = cells(row).into_iter().next() {
                    let members = named.entry(title.to_lowercase()).or_default();
                    members.extend(row.target_id);
                }
            }
            let owned = lists::Entity::find()
                .filter(lists::Column::ActorId.eq(account.id))
                .all(&ctx.db)
                .await?;
            for list in owned {
                match named.get(&list.title.to_lowercase()) {
                    None => {
                        crate::lists::delete(ctx, account, list.id).await?;
                        undone += 1;
                    }
                    Some(members) => {
                        let removed = list_accounts::Entity::delete_many()
                            .filter(list_accounts::Column::ListId.eq(list.id))
                            .filter(
                                list_accounts::Column::ActorId.is_not_in(members.iter().copied()),
                            )
                            .exec(&ctx.db)
                            .await?;
                        undone += removed.rows_affected as usize;
                    }
                }
            }
        }
    }
    Ok(undone)
}
