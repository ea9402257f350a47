//! Reading the CSV files Mastodon exports (and Passage, which writes the same): which columns
//! each kind has, whether a header line comes first, and what makes a line bad. Pure: no
//! database, so every rule is tested here.

use crate::{CoreError, error::CoreResult};

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `Account address,Show boosts,Notify on new posts,Languages` (older exports: addresses).
    Following,
    /// One address per line.
    Blocks,
    /// `Account address,Hide notifications`.
    Mutes,
    /// `list title,address` per line, no header.
    Lists,
    /// One post address per line.
    Bookmarks,
}

impl Kind {
    /// The names Mastodon (`following`, `blocking`, `muting`) and GoToSocial (`blocks`,
    /// `mutes`) give the kinds.
    pub fn parse(name: &str) -> CoreResult<Self> {
        Ok(match name {
            "following" | "follows" => Self::Following,
            "blocks" | "blocking" => Self::Blocks,
            "mutes" | "muting" => Self::Mutes,
            "lists" => Self::Lists,
            "bookmarks" => Self::Bookmarks,
            other => {
                return Err(CoreError::Invalid(format!(
                    "type: {other:?} is not following, blocks, mutes, lists or bookmarks"
                )));
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Following => "following",
            Self::Blocks => "blocks",
            Self::Mutes => "mutes",
            Self::Lists => "lists",
            Self::Bookmarks => "bookmarks",
        }
    }

    /// The first cell of the header line its exports start with, if they have one.
    fn header(self) -> Option<&'static str> {
        match self {
            Self::Following | Self::Mutes | Self::Blocks => Some("account address"),
            Self::Lists | Self::Bookmarks => None,
        }
    }
}

/// One line of the file: its number (from 1, counting the header) and its cells, or why it
/// cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub cells: Result<Vec<String>, String>,
}

/// The lines of `bytes` read as a `kind` file. A file that is not text at all is refused as a
/// whole, naming the first line that is not; any other fault is the line's own.
pub fn parse(kind: Kind, bytes: &[u8]) -> CoreResult<Vec<Line>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        CoreError::Invalid(format!("line {line}: is not UTF-8 text"))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    // Line by line rather than as one CSV stream: none of these files has a cell that spans
    // lines, and a stray quote then spoils one line instead of the rest of the file.
    for (index, raw) in text.split('\n').enumerate() {
        let number = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(raw.as_bytes());
        let cells = match reader.records().next() {
            Some(Ok(record)) => Ok(record.iter().map(|c| c.trim().to_owned()).collect()),
            Some(Err(error)) => Err(format!("not a CSV line: {error}")),
            None => continue,
        };
        let cells: Result<Vec<String>, String> = cells;
        let is_header = lines.is_empty()
            && kind
                .header()
                .is_some_and(|h| cells.as_ref().is_ok_and(|c| c[0].eq_ignore_ascii_case(h)));
        if is_header {
            continue;
        }
        lines.push(Line {
            number,
            cells: cells.and_then(|c| check(kind, c)),
        });
    }
    Ok(lines)
}

/// The cells a line of `kind` needs, checked: addresses look like addresses.
fn check(kind: Kind, mut cells: Vec<String>) -> Result<Vec<String>, String> {
    match kind {
        Kind::Following | Kind::Blocks => {
            cells.truncate(1);
            account(&cells[0])?;
        }
        Kind::Mutes => {
            cells.truncate(2);
            account(&cells[0])?;
            if let Some(hide) = cells.get(1) {
                flag(hide)?;
            }
        }
        Kind::Lists => {
            if cells.len() < 2 {
                return Err("a list line is: list title,account address".into());
            }
            cells.truncate(2);
            let title = cells[0].chars().count();
            if title == 0 || title > 100 {
                return Err("the list title must have 1 to 100 characters".into());
            }
            account(&cells[1])?;
        }
        Kind::Bookmarks => {
            cells.truncate(1);
            let url = url::Url::parse(&cells[0])
                .map_err(|_| format!("{:?} is not a post's address", cells[0]))?;
            if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
                return Err(format!("{:?} is not a post's address", cells[0]));
            }
        }
    }
    Ok(cells)
}

/// `user@domain` (a leading `@` allowed) or a bare local `user`: the username and, unless
/// local, the domain.
pub fn account(address: &str) -> Result<(&str, Option<&str>), String> {
    let bad = || format!("{address:?} is not an account address (user@domain)");
    let address = address.strip_prefix('@').unwrap_or(address);
    let (user, domain) = match address.split_once('@') {
        Some((user, domain)) => (user, Some(domain)),
        None => (address, None),
    };
    let user_ok = !user.is_empty()
        && user
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let domain_ok = domain.is_none_or(|d| {
        !d.is_empty()
            && !d.contains('@')
            && d.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
    });
    if user_ok && domain_ok {
        Ok((user, domain))
    } else {
        Err(bad())
    }
}

/// `true`/`false` as Mastodon writes them (and `1`/`0`, `yes`/`no`); empty is `true`.
pub fn flag(cell: &str) -> Result<bool, String> {
    match cell.to_ascii_lowercase().as_str() {
        "" | "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("{cell:?} is not true or false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(kind: Kind, text: &str) -> Vec<(usize, Result<Vec<String>, String>)> {
        parse(kind, text.as_bytes())
            .unwrap()
            .into_iter()
            .map(|l| (l.number, l.cells))
            .collect()
    }

    #[test]
    fn a_following_export_reads_with_and_without_its_header() {
        let with = "Account address,Show boosts,Notify on new posts,Languages\n\
                    ana@city.example,true,false,\n\
                    bo@org.example,false,true,\"en, nl\"\n";
        let read = cells(Kind::Following, with);
        assert_eq!(
            read,
            vec![
                (2, Ok(vec!["ana@city.example".into()])),
                (3, Ok(vec!["bo@org.example".into()])),
            ]
        );
        let bare = cells(Kind::Following, "@ana@city.example\r\n\r\nbo@org.example\n");
        assert_eq!(bare.len(), 2);
        assert_eq!(bare[1].0, 3, "blank lines still count");
    }

    #[test]
    fn bad_lines_are_reported_by_number_and_the_rest_kept() {
        let read = cells(
            Kind::Following,
            "a@x.example\nnot an address\nb@@y.example\nc@z.example\n",
        );
        assert!(read[0].1.is_ok());
        assert_eq!(read[1].0, 2);
        assert!(read[1].1.as_ref().unwrap_err().contains("not an account"));
        assert_eq!(read[2].0, 3);
        assert!(read[2].1.is_err());
        assert!(read[3].1.is_ok());
    }

    #[test]
    fn mutes_lists_and_bookmarks_have_their_own_columns() {
        let mutes = cells(
            Kind::Mutes,
            "Account address,Hide notifications\na@x.example,false\nb@x.example,maybe\n",
        );
        assert_eq!(mutes[0].1, Ok(vec!["a@x.example".into(), "false".into()]));
        assert!(mutes[1].1.is_err());
        let lists = cells(Kind::Lists, "Friends,a@x.example\nlonely\n,b@x.example\n");
        assert!(lists[0].1.is_ok());
        assert!(lists[1].1.is_err());
        assert!(lists[2].1.is_err());
        let bookmarks = cells(
            Kind::Bookmarks,
            "https://x.example/statuses/1\nftp://x.example/f\n",
        );
        assert!(bookmarks[0].1.is_ok());
        assert!(bookmarks[1].1.is_err());
    }

    #[test]
    fn a_file_that_is_not_text_names_its_line() {
        let error = parse(Kind::Blocks, b"a@x.example\nb@x.example\n\xff\xfe\n").unwrap_err();
        assert!(error.to_string().contains("line 3"), "{error}");
    }

    #[test]
    fn kinds_take_mastodon_and_gotosocial_names() {
        assert_eq!(Kind::parse("blocking").unwrap(), Kind::Blocks);
        assert_eq!(Kind::parse("mutes").unwrap(), Kind::Mutes);
        assert!(Kind::parse("domain_blocking").is_err());
    }
}
