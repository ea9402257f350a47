//! How the viewer and other accounts stand to each other (the Mastodon Relationship), for
//! many accounts in four queries.

use crate::{Actor, Context, error::CoreResult};
use passage_db::entities::follows;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Relation {
    pub target_id: i64,
    pub following: bool,
    pub requested: bool,
    pub followed_by: bool,
    pub requested_by: bool,
    pub standing: crate::blocks::Standing,
}

pub async fn with(ctx: &Context, viewer: &Actor, target_ids: &[i64]) -> CoreResult<Vec<Relation>> {
    let outgoing = follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(viewer.id))
        .filter(follows::Column::FolloweeId.is_in(target_ids.iter().copied()))
        .all(&ctx.db)
        .await?;
    let incoming = follows::Entity::find()
        .filter(follows::Column::FolloweeId.eq(viewer.id))
        .filter(follows::Column::FollowerId.is_in(target_ids.iter().copied()))
        .all(&ctx.db)
        .await?;
    let standings = crate::blocks::standings(ctx, viewer, target_ids).await?;
    Ok(target_ids
        .iter()
        .zip(standings)
        .map(|(&id, standing)| {
            let out = outgoing.iter().find(|f| f.followee_id == id);
            let inc = incoming.iter().find(|f| f.follower_id == id);
            Relation {
                target_id: id,
                following: out.is_some_and(|f| f.accepted),
                requested: out.is_some_and(|f| !f.accepted),
                followed_by: inc.is_some_and(|f| f.accepted),
                requested_by: inc.is_some_and(|f| !f.accepted),
                standing,
            }
        })
        .collect())
}

pub async fn one(ctx: &Context, viewer: &Actor, target_id: i64) -> CoreResult<Relation> {
    Ok(with(ctx, viewer, &[target_id])
        .await?
        .pop()
        .unwrap_or_default())
}
