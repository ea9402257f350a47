//! Keyset pagination by id, with Mastodon's three cursors: `max_id` (older than), `since_id`
//! (newer than, newest first) and `min_id` (the page right after, read upwards). Results are
//! always returned newest first.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

/// Largest page a client may ask for.
pub const MAX_LIMIT: u64 = 80;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    /// 1..=[`MAX_LIMIT`]; 0 means the default of 20.
    pub limit: u64,
}

impl Page {
    pub fn limit(&self) -> u64 {
        match self.limit {
            0 => 20,
            n => n.min(MAX_LIMIT),
        }
    }

    /// Filters and orders `select` on `id` for this page.
    pub fn apply<E: EntityTrait>(&self, select: Select<E>, id: impl ColumnTrait) -> Select<E> {
        let mut select = select;
        if let Some(max) = self.max_id {
            select = select.filter(id.lt(max));
        }
        if let Some(since) = self.since_id {
            select = select.filter(id.gt(since));
        }
        if let Some(min) = self.min_id {
            select = select.filter(id.gt(min)).order_by_asc(id);
        } else {
            select = select.order_by_desc(id);
        }
        select.limit(self.limit())
    }

    /// This page of `(cursor, value)` id pairs from `select`, newest first: the rows of a
    /// relation (likes, blocks...) paginated by their own id and naming another row.
    pub async fn pairs<E: EntityTrait>(
        &self,
        db: &impl ConnectionTrait,
        select: Select<E>,
        cursor: impl ColumnTrait,
        value: impl ColumnTrait,
    ) -> Result<Vec<(i64, i64)>, DbErr> {
        let rows = self
            .apply(select, cursor)
            .select_only()
            .column(cursor)
            .column(value)
            .into_tuple()
            .all(db)
            .await?;
        Ok(self.finish(rows))
    }

    /// Puts rows read upwards (with `min_id`) back newest first.
    pub fn finish<T>(&self, mut rows: Vec<T>) -> Vec<T> {
        if self.min_id.is_some() {
            rows.reverse();
        }
        rows
    }
}
