//! How big an incoming activity may be in shape, not only in bytes: a 1 MiB body can still
//! hold a million addressees or nesting that costs every later walk over it. Checked once at
//! the inbox, right after parsing, before any signature work; the numbers sit well above what
//! Mastodon, Lemmy, Mobilizon or GoToSocial send.

use serde_json::Value;

/// Deepest nesting of arrays and objects (ActivityStreams documents rarely pass 8).
pub const MAX_DEPTH: usize = 32;
/// Addressees (`to`, `cc`, `bto`, `bcc`, `audience`) of one object.
pub const MAX_RECIPIENTS: usize = 1000;
/// `tag` entries (mentions, hashtags, emojis) of one object.
pub const MAX_TAGS: usize = 200;
/// `attachment` entries of one object (Mastodon shows 4, profiles have a few fields).
pub const MAX_ATTACHMENTS: usize = 50;
/// `oneOf`/`anyOf` poll options.
pub const MAX_POLL_OPTIONS: usize = 100;
/// Members of any other array, and keys of any object.
pub const MAX_MEMBERS: usize = 10_000;

/// The first limit `value` breaks, named for the sender.
pub fn check(value: &Value) -> Result<(), String> {
    walk(value, 1)
}

fn walk(value: &Value, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    match value {
        Value::Array(items) => {
            if items.len() > MAX_MEMBERS {
                return Err(format!("an array has more than {MAX_MEMBERS} members"));
            }
            items.iter().try_for_each(|item| walk(item, depth + 1))
        }
        Value::Object(map) => {
            if map.len() > MAX_MEMBERS {
                return Err(format!("an object has more than {MAX_MEMBERS} keys"));
            }
            let recipients: usize = ["to", "cc", "bto", "bcc", "audience"]
                .iter()
                .map(|key| count(map.get(*key)))
                .sum();
            if recipients > MAX_RECIPIENTS {
                return Err(format!("more than {MAX_RECIPIENTS} recipients"));
            }
            for (key, max) in [
                ("tag", MAX_TAGS),
                ("attachment", MAX_ATTACHMENTS),
                ("oneOf", MAX_POLL_OPTIONS),
                ("anyOf", MAX_POLL_OPTIONS),
            ] {
                if count(map.get(key)) > max {
                    return Err(format!("more than {max} entries in {key}"));
                }
            }
            map.values().try_for_each(|v| walk(v, depth + 1))
        }
        _ => Ok(()),
    }
}

/// A property's entries: ActivityStreams allows one value or an array.
fn count(value: Option<&Value>) -> usize {
    match value {
        None | Some(Value::Null) => 0,
        Some(Value::Array(items)) => items.len(),
        Some(_) => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ordinary_activities_pass_and_each_limit_is_named() {
        let note = json!({"type": "Create", "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {"type": "Note", "tag": [{"type": "Mention"}], "attachment": []}});
        assert_eq!(check(&note), Ok(()));
        let many = |n: usize| Value::Array(vec![json!("https://x.test/u"); n]);
        let cases = [
            (
                json!({"object": {"cc": many(MAX_RECIPIENTS + 1)}}),
                "recipients",
            ),
            (json!({"to": many(600), "cc": many(600)}), "recipients"),
            (json!({"object": {"tag": many(MAX_TAGS + 1)}}), "tag"),
            (
                json!({"attachment": many(MAX_ATTACHMENTS + 1)}),
                "attachment",
            ),
            (json!({"oneOf": many(MAX_POLL_OPTIONS + 1)}), "oneOf"),
            (json!({"x": many(MAX_MEMBERS + 1)}), "members"),
        ];
        for (value, named) in cases {
            let why = check(&value).unwrap_err();
            assert!(why.contains(named), "{named}: {why}");
        }
        let mut deep = json!(1);
        for _ in 0..MAX_DEPTH {
            deep = json!([deep]);
        }
        assert!(check(&deep).unwrap_err().contains("nested"));
    }

    /// Every real payload captured from other servers passes.
    #[test]
    fn captured_payloads_from_other_servers_pass() {
        fn walk_dir(dir: &std::path::Path, seen: &mut usize) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk_dir(&path, seen);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if let Ok(value) = serde_json::from_str::<Value>(&text) {
                        assert_eq!(check(&value), Ok(()), "{}", path.display());
                        *seen += 1;
                    }
                }
            }
        }
        let mut seen = 0;
        walk_dir(
            std::path::Path::new(&crate::tests_support::fixtures_dir()),
            &mut seen,
        );
        assert!(seen > 100, "only {seen} payloads found");
    }
}
