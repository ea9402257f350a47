//! `VTIMEZONE` components from the IANA database (chrono-tz), so that calendars show an
//! event at its local time in its own zone, whatever zone the reader is in. Each observance
//! is one real transition of the zone between the feed's first and last instants, written
//! with its exact onset; no rule is guessed, so past and future changes of a zone's rules
//! come out right.

use super::ics::Ics;
use chrono::{DateTime, Duration, FixedOffset, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// The local form iCalendar uses for `DTSTART`, `DTEND` and observance onsets.
pub const LOCAL: &str = "%Y%m%dT%H%M%S";

/// Writes the `VTIMEZONE` of `zone` covering every instant from `from` to `to`.
pub fn write(ics: &mut Ics, zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) {
    ics.begin("VTIMEZONE");
    ics.raw("TZID", zone.name());
    let start = previous_transition(zone, from).unwrap_or(from - Duration::days(366));
    let before = offset_before(zone, start);
    observance(ics, zone, start, before);
    let mut day = start + Duration::days(1);
    let mut current = zone.offset_from_utc_datetime(&day.naive_utc()).fix();
    while day <= to + Duration::days(1) {
        let next = day + Duration::days(1);
        let offset = zone.offset_from_utc_datetime(&next.naive_utc()).fix();
        if offset != current {
            observance(ics, zone, onset(zone, day, next), current);
            current = offset;
        }
        day = next;
    }
    ics.end("VTIMEZONE");
}

/// One observance starting at `at`, when the offset changes from `from`.
fn observance(ics: &mut Ics, zone: Tz, at: DateTime<Utc>, from: FixedOffset) {
    let to = zone.offset_from_utc_datetime(&at.naive_utc());
    let kind = if to.dst_offset().is_zero() {
        "STANDARD"
    } else {
        "DAYLIGHT"
    };
    ics.begin(kind);
    // The onset is written in the local time in force before it (RFC 5545 §3.6.5).
    ics.raw(
        "DTSTART",
        &at.with_timezone(&from).format(LOCAL).to_string(),
    );
    ics.raw("TZOFFSETFROM", &utc_offset(from));
    ics.raw("TZOFFSETTO", &utc_offset(to.fix()));
    if let Some(name) = to.abbreviation() {
        ics.text("TZNAME", name);
    }
    ics.end(kind);
}

/// The instant of the zone's last change of offset before `at`, within a year.
fn previous_transition(zone: Tz, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc()).fix();
    let mut day = at;
    for _ in 0..366 {
        let earlier = day - Duration::days(1);
        if zone.offset_from_utc_datetime(&earlier.naive_utc()).fix() != offset {
            return Some(onset(zone, earlier, day));
        }
        day = earlier;
    }
    None
}

/// The offset in force just before `at`.
fn offset_before(zone: Tz, at: DateTime<Utc>) -> FixedOffset {
    zone.offset_from_utc_datetime(&(at - Duration::seconds(1)).naive_utc())
        .fix()
}

/// The first second at which the offset of `late` is in force, knowing `early` has another.
fn onset(zone: Tz, mut early: DateTime<Utc>, mut late: DateTime<Utc>) -> DateTime<Utc> {
    let target = zone.offset_from_utc_datetime(&late.naive_utc()).fix();
    while late - early > Duration::seconds(1) {
        let middle = early + (late - early) / 2;
        if zone.offset_from_utc_datetime(&middle.naive_utc()).fix() == target {
            late = middle;
        } else {
            early = middle;
        }
    }
    late
}

/// `+0100`, `-0330`, with seconds when a historical offset has them.
fn utc_offset(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, rest) = (s / 3600, s % 3600 / 60, s % 60);
    if rest == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brussels_in_2031_has_its_two_changes_at_their_local_hours() {
        let mut ics = Ics::default();
        let from = Utc.with_ymd_and_hms(2031, 3, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2031, 11, 30, 0, 0, 0).unwrap();
        write(&mut ics, chrono_tz::Europe::Brussels, from, to);
        let out = ics.finish();
        // Summer time starts on 30 March 2031 at 02:00 and ends on 26 October at 03:00.
        assert!(out.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20310330T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT"
        ), "{out}");
        assert!(out.contains(
            "BEGIN:STANDARD\r\nDTSTART:20311026T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD"
        ), "{out}");
        assert_eq!(
            out.matches("BEGIN:STANDARD").count(),
            2,
            "the winter before, then October"
        );
    }

    #[test]
    fn a_zone_without_changes_has_one_standard_observance() {
        let mut ics = Ics::default();
        let at = Utc.with_ymd_and_hms(2031, 6, 1, 0, 0, 0).unwrap();
        write(&mut ics, chrono_tz::Asia::Kolkata, at, at);
        let out = ics.finish();
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 1);
        assert!(out.contains("TZOFFSETTO:+0530"));
    }
}
