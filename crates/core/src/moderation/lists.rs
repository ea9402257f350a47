//! Shared blocklists, in the formats the fediverse exchanges them in:
//! - Mastodon's CSV export (`#domain,#severity,#reject_media,#reject_reports,#public_comment,
//!   #obfuscate`), which is also what [`export_csv`] writes;
//! - plain text, one domain per line (`#` starts a comment), each a suspension;
//! - JSON as Mastodon serves `/api/v1/instance/domain_blocks` (`domain`, `severity`,
//!   `comment`), or with the CSV's field names.
//!
//! Reading goes on past bad lines and reports each with its line number; the good ones are
//! applied in one step ([`super::apply`]) or kept as drafts ([`super::drafts`]).

use super::{
    By, domains,
    policy::{Flags, Severity},
};
use crate::{
    Context,
    error::{CoreError, CoreResult},
};
use serde_json::Value;

/// One decision read from a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Where it was read (1-based line, or position in a JSON list).
    pub line: usize,
    pub domain: String,
    pub severity: Severity,
    pub flags: Flags,
    pub public_comment: Option<String>,
    /// Only in our JSON and in drafts made by hand: lists are shared, private notes are not.
    pub private_comment: Option<String>,
    pub obfuscate: bool,
}

/// A line that could not be read or applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bad {
    pub line: usize,
    pub why: String,
}

/// The formats lists come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Plain,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Plain => "plain",
        }
    }

    /// Our names, or the media types GoToSocial's API uses for them.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" | "text/csv" => Some(Self::Csv),
            "json" | "application/json" => Some(Self::Json),
            "plain" | "text/plain" => Some(Self::Plain),
            _ => None,
        }
    }

    /// The media type a list in this format is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv",
            Self::Json => "application/json",
            Self::Plain => "text/plain",
        }
    }
}

/// Reads a list in the format given, or told from its first characters.
pub fn parse_as(format: Option<Format>, text: &str) -> (Vec<Entry>, Vec<Bad>) {
    match format {
        Some(Format::Csv) => parse_csv(text),
        Some(Format::Json) => parse_json(text),
        Some(Format::Plain) => parse_plain(text),
        None => parse(text),
    }
}

/// Reads a list in any of the formats above, told apart by their first characters.
pub fn parse(text: &str) -> (Vec<Entry>, Vec<Bad>) {
    let start = text.trim_start();
    if start.starts_with('[') {
        parse_json(text)
    } else if start.starts_with("#domain") || start.starts_with("domain,") {
        parse_csv(text)
    } else {
        parse_plain(text)
    }
}

fn entry(line: usize, domain: &str) -> Result<Entry, Bad> {
    let domain = domain.trim();
    if domain.is_empty() || domain.contains('*') {
        return Err(Bad {
            line,
            why: format!("{domain:?} is not a whole domain name (obfuscated or empty)"),
        });
    }
    Ok(Entry {
        line,
        domain: domain.to_owned(),
        severity: Severity::Suspend,
        flags: Flags::default(),
        public_comment: None,
        private_comment: None,
        obfuscate: false,
    })
}

fn severity(line: usize, text: &str) -> Result<Severity, Bad> {
    Severity::parse(text).ok_or_else(|| Bad {
        line,
        why: format!("severity {text:?} is not suspend, silence, limit, probation or noop"),
    })
}

fn flag(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes"
    )
}

fn parse_plain(text: &str) -> (Vec<Entry>, Vec<Bad>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let domain = raw.split('#').next().unwrap_or_default().trim();
        if domain.is_empty() {
            continue;
        }
        match entry(n + 1, domain) {
            Ok(e) => good.push(e),
            Err(b) => bad.push(b),
        }
    }
    (good, bad)
}

fn parse_csv(text: &str) -> (Vec<Entry>, Vec<Bad>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let names: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|n| n.trim_start_matches('#').to_owned())
            .collect(),
        Err(e) => {
            return (
                Vec::new(),
                vec![Bad {
                    line: 1,
                    why: format!("unreadable header: {e}"),
                }],
            );
        }
    };
    let column = |name: &str| names.iter().position(|n| n == name);
    let (domain_at, severity_at) = (column("domain"), column("severity"));
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                bad.push(Bad {
                    line,
                    why: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or_default();
        let read = entry(line, field(domain_at)).and_then(|mut e| {
            if let Some(s) = Some(field(severity_at)).filter(|s| !s.is_empty()) {
                e.severity = severity(line, s)?;
            }
            e.flags.reject_media = flag(field(column("reject_media")));
            e.flags.reject_reports = flag(field(column("reject_reports")));
            e.public_comment =
                Some(field(column("public_comment")).to_owned()).filter(|c| !c.is_empty());
            e.obfuscate = flag(field(column("obfuscate")));
            Ok(e)
        });
        match read {
            Ok(e) => good.push(e),
            Err(b) => bad.push(b),
        }
    }
    (good, bad)
}

fn parse_json(text: &str) -> (Vec<Entry>, Vec<Bad>) {
    let items = match serde_json::from_str::<Vec<Value>>(text) {
        Ok(items) => items,
        Err(e) => {
            return (
                Vec::new(),
                vec![Bad {
                    line: e.line(),
                    why: format!("not a JSON list: {e}"),
                }],
            );
        }
    };
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let at = n + 1;
        let text = |name: &str| item.get(name).and_then(Value::as_str).unwrap_or_default();
        let boolean = |name: &str| item.get(name).and_then(Value::as_bool).unwrap_or(false);
        let read = entry(at, text("domain")).and_then(|mut e| {
            if !text("severity").is_empty() {
                e.severity = severity(at, text("severity"))?;
            }
            e.flags.reject_media = boolean("reject_media");
            e.flags.reject_reports = boolean("reject_reports");
            let comment = [text("public_comment"), text("comment")]
                .into_iter()
                .find(|c| !c.is_empty());
            e.public_comment = comment.map(str::to_owned);
            e.private_comment = Some(text("private_comment"))
                .filter(|c| !c.is_empty())
                .map(str::to_owned);
            e.obfuscate = boolean("obfuscate");
            Ok(e)
        });
        match read {
            Ok(e) => good.push(e),
            Err(b) => bad.push(b),
        }
    }
    (good, bad)
}

/// Every block as Mastodon's CSV export writes it.
pub async fn export_csv(ctx: &Context, by: By<'_>) -> CoreResult<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| CoreError::Internal(format!("csv: {e}"));
    writer
        .write_record([
            "#domain",
            "#severity",
            "#reject_media",
            "#reject_reports",
            "#public_comment",
            "#obfuscate",
        ])
        .map_err(internal)?;
    for b in domains::blocks(ctx, by).await? {
        let severity = Severity::parse(&b.severity).unwrap_or(Severity::None);
        writer
            .write_record([
                b.domain.as_str(),
                severity.mastodon(),
                &b.reject_media.to_string(),
                &b.reject_reports.to_string(),
                b.public_comment.as_deref().unwrap_or(""),
                &b.obfuscate.to_string(),
            ])
            .map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| CoreError::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CoreError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodon_csv_reads_with_bad_lines_named() {
        let text = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
                    spam.example,suspend,true,true,Spam wave,false\n\
                    loud.example,silence,false,false,,false\n\
                    ba*.example,suspend,false,false,,true\n\
                    odd.example,ban,false,false,,false\n";
        let (good, bad) = parse(text);
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].domain, "spam.example");
        assert!(good[0].flags.reject_media && good[0].flags.reject_reports);
        assert_eq!(good[0].public_comment.as_deref(), Some("Spam wave"));
        assert_eq!(good[1].severity, Severity::Limit);
        let lines: Vec<usize> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [4, 5]);
        assert!(bad[1].why.contains("ban"));
    }

    #[test]
    fn plain_text_and_json_read_too() {
        let (good, bad) = parse("# our list\nspam.example\n\nbad*.example # masked\n");
        assert_eq!(good.len(), 1);
        assert_eq!(good[0].severity, Severity::Suspend);
        assert_eq!(bad[0].line, 4);
        let (good, bad) = parse(
            r#"[{"domain":"a.example","digest":"x","severity":"silence","comment":"noisy"},
                {"domain":"b.example"},{"severity":"suspend"}]"#,
        );
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].severity, Severity::Limit);
        assert_eq!(good[0].public_comment.as_deref(), Some("noisy"));
        assert_eq!(bad[0].line, 3);
    }
}
