//! Reading iCalendar feeds the way calendar apps do: fetched over HTTP, parsed with a real
//! iCalendar parser (the `ical` crate), and recurring series expanded with the `rrule` crate.

use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;

/// A parsed feed.
pub struct Feed {
    pub calendar: IcalCalendar,
    pub text: String,
}

/// Fetches and parses `url`; it must be one well-formed calendar.
pub async fn fetch(url: &str) -> Feed {
    let answer = super::client::http().get(url).send().await.unwrap();
    assert_eq!(answer.status(), 200, "{url}");
    let kind = answer.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/calendar"), "{kind}");
    parse(&answer.text().await.unwrap())
}

/// The status of `url`, for feeds that must not open.
pub async fn status_of(url: &str) -> u16 {
    super::client::http()
        .get(url)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

pub fn parse(text: &str) -> Feed {
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "an unfolded line: {line:?}");
    }
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("not iCalendar ({e}):\n{text}"));
    assert!(calendars.next().is_none(), "more than one calendar");
    Feed {
        calendar,
        text: text.to_owned(),
    }
}

impl Feed {
    pub fn events(&self) -> Vec<Event<'_>> {
        self.calendar.events.iter().map(Event).collect()
    }

    /// The one event with `uid` and no `RECURRENCE-ID` (a single event or a series' rule).
    pub fn event(&self, uid: &str) -> Event<'_> {
        let found: Vec<_> = self
            .events()
            .into_iter()
            .filter(|e| e.get("UID") == Some(uid) && e.get("RECURRENCE-ID").is_none())
            .collect();
        assert_eq!(found.len(), 1, "{uid} in\n{}", self.text);
        found[0]
    }

    pub fn uids(&self) -> Vec<String> {
        self.events()
            .iter()
            .filter_map(|e| e.get("UID").map(str::to_owned))
            .collect()
    }

    pub fn zones(&self) -> Vec<String> {
        self.calendar
            .timezones
            .iter()
            .filter_map(|z| value(&z.properties, "TZID").map(str::to_owned))
            .collect()
    }
}

#[derive(Clone, Copy)]
pub struct Event<'a>(&'a IcalEvent);

impl<'a> Event<'a> {
    pub fn get(&self, name: &str) -> Option<&'a str> {
        value(&self.0.properties, name)
    }

    pub fn param(&self, name: &str, param: &str) -> Option<&'a str> {
        let property = self.0.properties.iter().find(|p| p.name == name)?;
        let (_, values) = property.params.as_ref()?.iter().find(|(k, _)| k == param)?;
        values.first().map(String::as_str)
    }

    /// `DTSTART` as written, with its zone: `Europe/Brussels 20310601T180000`.
    pub fn start(&self) -> String {
        format!(
            "{} {}",
            self.param("DTSTART", "TZID").unwrap_or("UTC"),
            self.get("DTSTART").unwrap_or_default()
        )
    }

    /// Every start of a series (its rule minus its exceptions) as RFC 3339 in UTC.
    pub fn occurrences(&self) -> Vec<String> {
        let mut text = String::new();
        for name in ["DTSTART", "RRULE", "EXDATE"] {
            for p in self.0.properties.iter().filter(|p| p.name == name) {
                let tzid = p
                    .params
                    .iter()
                    .flatten()
                    .find(|(k, _)| k == "TZID")
                    .map(|(_, v)| format!(";TZID={}", v[0]))
                    .unwrap_or_default();
                text.push_str(&format!("{name}{tzid}:{}\n", p.value.as_deref().unwrap()));
            }
        }
        let set: rrule::RRuleSet = text
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{e}: {text}"));
        set.all(400)
            .dates
            .iter()
            .map(|d| d.with_timezone(&chrono::Utc).to_rfc3339())
            .collect()
    }
}

fn value<'a>(properties: &'a [Property], name: &str) -> Option<&'a str> {
    properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}
