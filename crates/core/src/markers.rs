//! Read positions in the home timeline and notifications, shared between a member's apps.

use crate::{Actor, Context, error::CoreResult};
use passage_db::{entities::markers, now};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

pub type Marker = markers::Model;

/// The timelines that have markers.
pub const TIMELINES: [&str; 2] = ["home", "notifications"];

pub async fn get(ctx: &Context, actor: &Actor, timelines: &[String]) -> CoreResult<Vec<Marker>> {
    let wanted: Vec<&str> = if timelines.is_empty() {
        TIMELINES.to_vec()
    } else {
        timelines.iter().map(String::as_str).collect()
    };
    Ok(markers::Entity::find()
        .filter(markers::Column::ActorId.eq(actor.id))
        .filter(markers::Column::Timeline.is_in(wanted))
        .all(&ctx.db)
        .await?)
}

/// Moves a marker; its version counts the moves.
pub async fn set(
    ctx: &Context,
    actor: &Actor,
    timeline: &str,
    last_read_id: i64,
) -> CoreResult<Marker> {
    if !TIMELINES.contains(&timeline) {
        return Err(crate::CoreError::Invalid(format!(
            "{timeline:?} has no marker"
        )));
    }
    let existing = markers::Entity::find_by_id((actor.id, timeline.to_owned()))
        .one(&ctx.db)
        .await?;
    Ok(match existing {
        Some(m) => {
            let version = m.version + 1;
            let mut row: markers::ActiveModel = m.into();
            row.last_read_id = Set(last_read_id);
            row.version = Set(version);
            row.updated_at = Set(now());
            row.update(&ctx.db).await?
        }
        None => {
            markers::ActiveModel {
                actor_id: Set(actor.id),
                timeline: Set(timeline.to_owned()),
                last_read_id: Set(last_read_id),
                version: Set(1),
                updated_at: Set(now()),
            }
            .insert(&ctx.db)
            .await?
        }
    })
}
