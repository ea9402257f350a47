//! Grouped notifications, as Mastodon 4.3 serves them: the favourites of one post on one day,
//! its boosts, and the day's new followers each show as one entry ("Ana and 12 others
//! favourited your post"), which matters to an organisation whose announcement travels.
//!
//! A group is not stored: its key is computed from the notification (type, post, UTC day), so
//! every notification already recorded groups at once and the key leads back to its rows.

use crate::{
    Actor, Context, CoreError,
    error::CoreResult,
    notifications::{self, Filter, Notification},
};
use passage_db::{Page, Timestamp, entities::notifications as rows};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

/// The types clients group unless they say otherwise (Mastodon's default).
pub const DEFAULT_GROUPED: [&str; 3] = ["favourite", "reblog", "follow"];
/// How far apart two notifications of one group may be.
const BUCKET_SECS: i64 = 86_400;
/// Accounts shown as a group's sample (Mastodon's figure).
const SAMPLES: usize = 8;

/// What a group key stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    Grouped {
        kind: String,
        post_id: Option<i64>,
        bucket: i64,
    },
    Single(i64),
}

impl Key {
    fn of(n: &Notification, grouped: &[String]) -> Self {
        if !grouped.contains(&n.kind) {
            return Self::Single(n.id);
        }
        Self::Grouped {
            kind: n.kind.clone(),
            post_id: n.post_id,
            bucket: n.created_at.timestamp().div_euclid(BUCKET_SECS),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        if let Some(id) = text.strip_prefix("ungrouped-") {
            return id.parse().ok().map(Self::Single);
        }
        let parts: Vec<&str> = text.split('-').collect();
        let (kind, post_id, bucket) = match parts.as_slice() {
            [kind, bucket] => (*kind, None, bucket),
            [kind, post, bucket] => (*kind, Some(post.parse().ok()?), bucket),
            _ => return None,
        };
        if !DEFAULT_GROUPED.contains(&kind) {
            return None;
        }
        Some(Self::Grouped {
            kind: kind.to_owned(),
            post_id,
            bucket: bucket.parse().ok()?,
        })
    }

    fn text(&self) -> String {
        match self {
            Self::Single(id) => format!("ungrouped-{id}"),
            Self::Grouped {
                kind,
                post_id: Some(post),
                bucket,
            } => format!("{kind}-{post}-{bucket}"),
            Self::Grouped { kind, bucket, .. } => format!("{kind}-{bucket}"),
        }
    }

    /// The viewer's notifications in this group.
    fn select(&self, viewer: &Actor) -> CoreResult<Select<rows::Entity>> {
        let select = rows::Entity::find().filter(rows::Column::RecipientId.eq(viewer.id));
        Ok(match self {
            Self::Single(id) => select.filter(rows::Column::Id.eq(*id)),
            Self::Grouped {
                kind,
                post_id,
                bucket,
            } => {
                let at = |secs: i64| -> CoreResult<Timestamp> {
                    chrono::DateTime::from_timestamp(secs, 0)
                        .map(|t| t.fixed_offset())
                        .ok_or(CoreError::NotFound)
                };
                let start = at(bucket.saturating_mul(BUCKET_SECS))?;
                let end = at(bucket.saturating_add(1).saturating_mul(BUCKET_SECS))?;
                let select = select
                    .filter(rows::Column::Kind.eq(kind.as_str()))
                    .filter(rows::Column::CreatedAt.gte(start))
                    .filter(rows::Column::CreatedAt.lt(end));
                match post_id {
                    Some(post) => select.filter(rows::Column::PostId.eq(*post)),
                    None => select.filter(rows::Column::PostId.is_null()),
                }
            }
        })
    }
}

/// The key of the group `n` belongs to under the default grouping (v1 notifications carry
/// it, so clients can merge them with grouped ones).
pub fn default_key(n: &Notification) -> String {
    let grouped: Vec<String> = DEFAULT_GROUPED.iter().map(|k| (*k).to_owned()).collect();
    Key::of(n, &grouped).text()
}

/// One group as a page shows it.
#[derive(Clone, Debug)]
pub struct Group {
    pub key: String,
    pub kind: String,
    pub post_id: Option<i64>,
    /// All notifications of the group, on this page or not.
    pub count: u64,
    pub most_recent_id: i64,
    /// The newest and oldest of the group's notifications on this page, and when the newest
    /// came.
    pub page_max_id: i64,
    pub page_min_id: i64,
    pub latest_page_at: Timestamp,
    /// Who acted, newest first, at most [`SAMPLES`].
    pub sample_account_ids: Vec<i64>,
}

/// A page of groups: the notifications of one page (as [`notifications::list`] reads them)
/// folded into groups in order of their newest member. The cursors of the page are those of
/// the notifications read, so a group may continue on the next page, as in Mastodon.
pub async fn page(
    ctx: &Context,
    viewer: &Actor,
    filter: &Filter,
    grouped: &[String],
    page: Page,
) -> CoreResult<(Vec<Group>, Vec<Notification>)> {
    let read = notifications::list(ctx, viewer, filter, page).await?;
    let hidden = crate::blocks::hidden_from(ctx, viewer).await?.notifications;
    let mut groups: Vec<(Key, Vec<&Notification>)> = Vec::new();
    for n in &read {
        let key = Key::of(n, grouped);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(n),
            None => groups.push((key, vec![n])),
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for (key, members) in groups {
        out.push(summarise(ctx, viewer, &key, &members, &hidden).await?);
    }
    Ok((out, read))
}

/// The group's totals and sample, and what of it this page holds.
async fn summarise(
    ctx: &Context,
    viewer: &Actor,
    key: &Key,
    members: &[&Notification],
    hidden: &std::collections::HashSet<i64>,
) -> CoreResult<Group> {
    let first = members
        .first()
        .ok_or_else(|| CoreError::Internal("an empty notification group".into()))?;
    let mut select = key.select(viewer)?;
    if !hidden.is_empty() {
        select = select.filter(rows::Column::FromActorId.is_not_in(hidden.iter().copied()));
    }
    let (count, most_recent_id, sample_account_ids) = match key {
        Key::Single(_) => (1, first.id, vec![first.from_actor_id]),
        Key::Grouped { .. } => {
            let count = select.clone().count(&ctx.db).await?;
            let recent: Vec<(i64, i64)> = select
                .order_by_desc(rows::Column::Id)
                .select_only()
                .column(rows::Column::Id)
                .column(rows::Column::FromActorId)
                .limit(200)
                .into_tuple()
                .all(&ctx.db)
                .await?;
            let mut sample = Vec::new();
            for (_, actor) in &recent {
                if !sample.contains(actor) && sample.len() < SAMPLES {
                    sample.push(*actor);
                }
            }
            let newest = recent.first().map_or(first.id, |(id, _)| *id);
            (count.max(1), newest, sample)
        }
    };
    let page_max = members.iter().max_by_key(|n| n.id).unwrap_or(first);
    Ok(Group {
        key: key.text(),
        kind: first.kind.clone(),
        post_id: first.post_id,
        count,
        most_recent_id,
        page_max_id: page_max.id,
        page_min_id: members.iter().map(|n| n.id).min().unwrap_or(first.id),
        latest_page_at: page_max.created_at,
        sample_account_ids,
    })
}

/// One group by key, with every notification in it (the newest first).
pub async fn get(
    ctx: &Context,
    viewer: &Actor,
    key: &str,
) -> CoreResult<(Group, Vec<Notification>)> {
    let key = Key::parse(key).ok_or(CoreError::NotFound)?;
    let members = key
        .select(viewer)?
        .order_by_desc(rows::Column::Id)
        .limit(passage_db::page::MAX_LIMIT)
        .all(&ctx.db)
        .await?;
    if members.is_empty() {
        return Err(CoreError::NotFound);
    }
    let hidden = crate::blocks::hidden_from(ctx, viewer).await?.notifications;
    let refs: Vec<&Notification> = members.iter().collect();
    let group = summarise(ctx, viewer, &key, &refs, &hidden).await?;
    Ok((group, members))
}

/// Dismisses every notification of a group.
pub async fn dismiss(ctx: &Context, viewer: &Actor, key: &str) -> CoreResult<()> {
    let key = Key::parse(key).ok_or(CoreError::NotFound)?;
    let ids: Vec<i64> = key
        .select(viewer)?
        .select_only()
        .column(rows::Column::Id)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    if ids.is_empty() {
        return Err(CoreError::NotFound);
    }
    rows::Entity::delete_many()
        .filter(rows::Column::Id.is_in(ids))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// Notifications (or groups, when `grouped` is given) newer than the member's read marker,
/// counted up to `limit`.
pub async fn unread_count(
    ctx: &Context,
    viewer: &Actor,
    grouped: Option<&[String]>,
    limit: u64,
) -> CoreResult<u64> {
    let marker = crate::markers::get(ctx, viewer, &["notifications".to_owned()])
        .await?
        .into_iter()
        .next()
        .map_or(0, |m| m.last_read_id);
    let page = Page {
        since_id: Some(marker),
        limit: passage_db::page::MAX_LIMIT,
        ..Page::default()
    };
    let mut count = 0u64;
    let mut keys: Vec<Key> = Vec::new();
    let mut page = page;
    loop {
        let read = notifications::list(ctx, viewer, &Filter::default(), page).await?;
        let Some(oldest) = read.last() else {
            return Ok(count);
        };
        page.max_id = Some(oldest.id);
        for n in &read {
            match grouped {
                Some(grouped) => {
                    let key = Key::of(n, grouped);
                    if !keys.contains(&key) {
                        keys.push(key);
                        count += 1;
                    }
                }
                None => count += 1,
            }
            if count >= limit {
                return Ok(limit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_as_written() {
        for key in [
            Key::Single(42),
            Key::Grouped {
                kind: "favourite".into(),
                post_id: Some(7),
                bucket: 20_415,
            },
            Key::Grouped {
                kind: "follow".into(),
                post_id: None,
                bucket: 20_415,
            },
        ] {
            assert_eq!(Key::parse(&key.text()), Some(key));
        }
        for bad in [
            "",
            "mention-1-2",
            "favourite-x-1",
            "ungrouped-",
            "follow-1-2-3",
        ] {
            assert_eq!(Key::parse(bad), None, "{bad}");
        }
    }
}
