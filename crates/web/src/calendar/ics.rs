//! RFC 5545 text: content lines with escaped values, folded at 75 octets, ended by CRLF.
//!
//! Written here rather than with the `icalendar` crate: that crate stamps a `UID` and a
//! `DTSTAMP` on every component it writes, `VTIMEZONE` and its observances included, where
//! RFC 5545 forbids them, and it cannot write a `VTIMEZONE` at all.

use std::fmt::Write;

/// Longest content line, in octets, before it is folded (RFC 5545 §3.1).
const FOLD_AT: usize = 75;

/// An iCalendar object being written.
#[derive(Default)]
pub struct Ics {
    out: String,
}

impl Ics {
    pub fn begin(&mut self, component: &str) {
        self.line(&format!("BEGIN:{component}"));
    }

    pub fn end(&mut self, component: &str) {
        self.line(&format!("END:{component}"));
    }

    /// A property whose value is already in its iCalendar form (a date, a rule, a number).
    pub fn raw(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// A property with parameters (`TZID=Europe/Brussels`); parameter values are quoted when
    /// they hold a character that would end them.
    pub fn with_params(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = name.to_owned();
        for (key, v) in params {
            let v: String = v.chars().filter(|c| *c != '"' && !c.is_control()).collect();
            if v.contains([':', ';', ',']) {
                let _ = write!(line, ";{key}=\"{v}\"");
            } else {
                let _ = write!(line, ";{key}={v}");
            }
        }
        let _ = write!(line, ":{value}");
        self.line(&line);
    }

    /// A TEXT property: backslashes, semicolons, commas and line breaks escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape(value));
    }

    /// A TEXT list (`CATEGORIES`), each item escaped.
    pub fn text_list(&mut self, name: &str, values: &[&str]) {
        let items: Vec<String> = values.iter().map(|v| escape(v)).collect();
        self.raw(name, &items.join(","));
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// Folds a line after at most 75 octets, never inside a character. Control characters
    /// (CR, LF...) never reach the output, whatever property they came in: a value from a
    /// peer cannot end its line and forge one (an event, an attendee).
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars().filter(|c| !c.is_control() || *c == '\t') {
            if width + c.len_utf8() > FOLD_AT {
                self.out.push_str("\r\n ");
                width = 1;
            }
            self.out.push(c);
            width += c.len_utf8();
        }
        self.out.push_str("\r\n");
    }
}

/// A TEXT value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_value_can_start_a_line_of_its_own() {
        let mut out = Ics::default();
        out.raw("URL", "https://evil.example/\r\nEND:VEVENT\r\nBEGIN:VEVENT");
        out.with_params("ORGANIZER", &[("CN", "a\nb")], "mailto:x\r\nX-EVIL:1");
        let text = out.finish();
        assert_eq!(text.matches("\r\n").count(), 2, "{text:?}");
        assert!(!text.contains("\r\nEND:VEVENT"));
    }

    #[test]
    fn long_lines_fold_between_characters_and_text_is_escaped() {
        let mut ics = Ics::default();
        ics.text("SUMMARY", &"Ελληνικά; a, b\\c\n".repeat(6));
        let out = ics.finish();
        for line in out.split("\r\n") {
            assert!(line.len() <= FOLD_AT, "{line:?}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert!(unfolded.starts_with("SUMMARY:Ελληνικά\\; a\\, b\\\\c\\nΕλληνικά"));
        assert!(unfolded.ends_with("\\n\r\n"));
    }

    #[test]
    fn parameter_values_with_separators_are_quoted() {
        let mut ics = Ics::default();
        ics.with_params(
            "ORGANIZER",
            &[("CN", "Ana: \"Lisbon\"")],
            "https://a.example/@ana",
        );
        assert_eq!(
            ics.finish(),
            "ORGANIZER;CN=\"Ana: Lisbon\":https://a.example/@ana\r\n"
        );
    }
}
