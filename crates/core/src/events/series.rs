//! Recurring events. FEP-8a8e leaves recurrence out and no peer reads `RRULE`, so a series is
//! published as one event per occurrence: every peer and every Mastodon client sees a normal
//! event, and each occurrence keeps its own answers and waiting list. The occurrences share a
//! `series_id` and the rule, and each remembers the start its rule gave it (`recurrence_id`),
//! so calendars can show the series as one `RRULE` with the occurrences that were moved,
//! cancelled or deleted as exceptions.

use super::Event;
use crate::{
    Context, Post,
    error::{CoreError, CoreResult},
};
use chrono::Utc;
use chrono_tz::Tz;
use passage_db::{
    Timestamp,
    entities::{events, posts as post_rows},
};
use rrule::{RRule, Unvalidated};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Most occurrences one series may have: each becomes a post in its followers' timelines.
pub const MAX_OCCURRENCES: u16 = 52;

/// A checked rule: its canonical text (what calendars get as `RRULE`) and the starts it gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Recurrence {
    pub rule: String,
    pub starts: Vec<Timestamp>,
}

/// Reads an RFC 5545 `RRULE` value (with or without the `RRULE:` prefix) for an event starting
/// at `first` in `zone`, and lists its occurrences. A rule must end (`COUNT` or `UNTIL`) within
/// [`MAX_OCCURRENCES`], and the first start must be one of its own.
pub fn expand(text: &str, first: Timestamp, zone: Tz) -> CoreResult<Recurrence> {
    let invalid = |why: String| CoreError::Invalid(format!("recurrence: {why}"));
    let text = text.trim();
    let text = text
        .strip_prefix("RRULE:")
        .or_else(|| text.strip_prefix("rrule:"))
        .unwrap_or(text)
        .to_ascii_uppercase();
    let rule: RRule<Unvalidated> = text
        .parse()
        .map_err(|e| invalid(format!("{text:?} is not an RRULE ({e})")))?;
    if rule.get_count().is_none() && rule.get_until().is_none() {
        return Err(invalid(format!(
            "give COUNT or UNTIL (at most {MAX_OCCURRENCES} occurrences)"
        )));
    }
    let start = first.with_timezone(&rrule::Tz::Tz(zone));
    let set = rule
        .build(start)
        .map_err(|e| invalid(format!("{text:?} cannot start at this time ({e})")))?;
    let result = set.all(MAX_OCCURRENCES + 1);
    if result.dates.len() > usize::from(MAX_OCCURRENCES) {
        return Err(invalid(format!(
            "at most {MAX_OCCURRENCES} occurrences; this rule gives more"
        )));
    }
    let starts: Vec<Timestamp> = result
        .dates
        .iter()
        .map(|d| d.with_timezone(&Utc).fixed_offset())
        .collect();
    if starts.first() != Some(&first) {
        return Err(invalid(
            "the rule must include the event's own start (check BYDAY against starts_at)".into(),
        ));
    }
    if starts.len() < 2 {
        return Err(invalid("the rule gives a single occurrence".into()));
    }
    Ok(Recurrence { rule: text, starts })
}

/// Every occurrence of each series, deleted ones included, by series.
pub async fn occurrences(
    ctx: &Context,
    ids: &[String],
) -> CoreResult<HashMap<String, Vec<(Post, Event)>>> {
    let mut by_series = HashMap::<String, Vec<(Post, Event)>>::new();
    if ids.is_empty() {
        return Ok(by_series);
    }
    let rows = events::Entity::find()
        .filter(events::Column::SeriesId.is_in(ids.iter().cloned()))
        .order_by_asc(events::Column::RecurrenceId)
        .all(&ctx.db)
        .await?;
    let posts = post_rows::Entity::find()
        .filter(post_rows::Column::Id.is_in(rows.iter().map(|e| e.post_id)))
        .all(&ctx.db)
        .await?;
    for event in rows {
        let (Some(id), Some(post)) = (
            event.series_id.clone(),
            posts.iter().find(|p| p.id == event.post_id).cloned(),
        ) else {
            continue;
        };
        by_series.entry(id).or_default().push((post, event));
    }
    Ok(by_series)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn brussels(y: i32, m: u32, d: u32, h: u32) -> Timestamp {
        chrono_tz::Europe::Brussels
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .fixed_offset()
    }

    #[test]
    fn weekly_series_keep_their_local_hour_across_a_daylight_saving_change() {
        // 2031-10-26 is the last Sunday of October: Brussels leaves summer time.
        let first = brussels(2031, 10, 15, 18);
        let r = expand(
            "RRULE:FREQ=WEEKLY;COUNT=3",
            first,
            chrono_tz::Europe::Brussels,
        )
        .unwrap();
        assert_eq!(r.rule, "FREQ=WEEKLY;COUNT=3");
        assert_eq!(
            r.starts,
            vec![
                first,
                brussels(2031, 10, 22, 18),
                brussels(2031, 10, 29, 18)
            ]
        );
        assert_eq!(
            r.starts[2].with_timezone(&Utc).format("%H").to_string(),
            "17"
        );
    }

    #[test]
    fn endless_long_single_and_malformed_rules_are_refused_by_name() {
        let first = brussels(2031, 6, 2, 18);
        let z = chrono_tz::Europe::Brussels;
        for (rule, why) in [
            ("FREQ=WEEKLY", "COUNT or UNTIL"),
            ("FREQ=DAILY;COUNT=400", "at most 52"),
            ("FREQ=WEEKLY;COUNT=1", "single occurrence"),
            ("FREQ=SOMETIMES;COUNT=2", "not an RRULE"),
            ("FREQ=WEEKLY;BYDAY=TU;COUNT=3", "own start"),
        ] {
            let err = expand(rule, first, z).unwrap_err().to_string();
            assert!(
                err.contains("recurrence") && err.contains(why),
                "{rule}: {err}"
            );
        }
    }
}
