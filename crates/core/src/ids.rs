//! Snowflake ids for posts: the creation time in milliseconds in the high bits and a sequence
//! in the low 16, as Mastodon does. Clients need numeric ids that grow with time (Ivory failed
//! on other shapes, Tusky orders ids by length then text), and ordering timelines by id then
//! orders them by publication, even for remote posts that arrive late.

use std::sync::atomic::{AtomicI64, Ordering};

/// One generator per instance (it lives in the `Context`); ids it hands out never repeat and
/// always grow.
///
/// Several processes may serve one instance (see [`crate::cluster`]): each starts its ids of a
/// millisecond at its own random offset among [`NODES`], so two processes writing in the same
/// millisecond do not make the same id (unless they drew the same offset, one chance in 64,
/// *and* write in the same millisecond).
#[derive(Debug)]
pub struct Snowflakes {
    last: AtomicI64,
    node: i64,
}

const SEQUENCE_BITS: u32 = 16;
/// Offsets a process may draw: the top 6 of the 16 sequence bits.
const NODES: i64 = 64;

impl Default for Snowflakes {
    fn default() -> Self {
        let node = (uuid::Uuid::new_v4().as_u64_pair().0 % NODES as u64) as i64;
        Self {
            last: AtomicI64::new(0),
            node: node << (SEQUENCE_BITS - 6),
        }
    }
}

impl Snowflakes {
    /// A fresh id for something created now.
    pub fn next(&self) -> i64 {
        self.bump((chrono::Utc::now().timestamp_millis() << SEQUENCE_BITS) | self.node)
    }

    /// An id for something created earlier (a remote post with its `published` time), placed
    /// among the ids of its time. `salt` spreads posts of the same millisecond; the caller
    /// retries with the next salt if the id is taken. Times in the future count as now.
    pub fn at(&self, at: chrono::DateTime<chrono::FixedOffset>, salt: u64) -> i64 {
        let now = chrono::Utc::now().timestamp_millis();
        let ms = at.timestamp_millis().clamp(0, now);
        if ms >= now - 1_000 {
            return self.next();
        }
        (ms << SEQUENCE_BITS) | (salt & 0xffff) as i64
    }

    fn bump(&self, floor: i64) -> i64 {
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let id = floor.max(last + 1);
            match self
                .last
                .compare_exchange_weak(last, id, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return id,
                Err(seen) => last = seen,
            }
        }
    }
}

/// The time an id was made.
#[cfg(test)]
fn time_of(id: i64) -> i64 {
    id >> SEQUENCE_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_grow_and_past_ids_sort_before_new_ones() {
        let ids = Snowflakes::default();
        let a = ids.next();
        let b = ids.next();
        assert!(b > a);
        let yesterday = chrono::Utc::now().fixed_offset() - chrono::Duration::days(1);
        let old = ids.at(yesterday, 7);
        assert!(old < a);
        assert_eq!(time_of(old), yesterday.timestamp_millis());
        let future = chrono::Utc::now().fixed_offset() + chrono::Duration::days(1);
        assert!(ids.at(future, 1) > b, "the future is clamped to now");
    }

    #[test]
    fn processes_start_each_millisecond_at_their_own_offset() {
        let offsets: std::collections::HashSet<i64> = (0..50)
            .map(|_| Snowflakes::default().next() & 0xffff)
            .collect();
        assert!(offsets.len() > 10, "{offsets:?}");
        let before = chrono::Utc::now().timestamp_millis();
        let made = time_of(Snowflakes::default().next());
        assert!((before..=chrono::Utc::now().timestamp_millis()).contains(&made));
    }
}
