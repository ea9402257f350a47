//! The routes the source registers, read from the source itself: every `.route("PATH",
//! get(..).post(..))` (and `.nest_service`) outside tests, in the crates that serve HTTP.

use super::routes::ROUTES;
use std::{collections::BTreeSet, path::Path};

const CRATES: [&str; 4] = ["client_api", "web", "federation", "server"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The quoted string at the start of `text` (after blanks, or inside `&format!(..)`), and
/// where it (or the `format!`) ends.
fn literal(text: &str) -> Option<(String, usize)> {
    let start = text.find('"')?;
    let formatted = match text[..start].trim() {
        "" => false,
        "&format!(" => true,
        _ => return None,
    };
    let end = start + 1 + text[start + 1..].find('"')?;
    let used = if formatted {
        end + 1 + text[end + 1..].find(')')? + 1
    } else {
        end + 1
    };
    Some((text[start + 1..end].to_owned(), used))
}

/// `(METHOD, PATH)` of every route registered in `source`.
fn routes_in(source: &str, found: &mut BTreeSet<(String, String)>) {
    let source = source.split("#[cfg(test)]").next().unwrap_or_default();
    for (at, _) in source.match_indices(".nest_service(") {
        if let Some((path, _)) = literal(&source[at + ".nest_service(".len()..]) {
            found.insert(("GET".into(), format!("{path}/{{name}}")));
        }
    }
    for (at, _) in source.match_indices(".route(") {
        let args_start = at + ".route(".len();
        let Some((raw, used)) = literal(&source[args_start..]) else {
            panic!(
                "a route whose path is not written out: {}",
                &source[at..at + 80]
            );
        };
        let path = raw
            .replace("{HTML}", "/_html")
            .replace("{{", "{")
            .replace("}}", "}");
        // The call's arguments, up to its closing parenthesis.
        let rest = &source[args_start + used..];
        let mut depth = 1;
        let end = rest
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(rest.len(), |(i, _)| i);
        let args = &rest[..end];
        for method in ["get", "post", "put", "patch", "delete", "any"] {
            let called = args.match_indices(&format!("{method}(")).any(|(i, _)| {
                i == 0 || !args[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            });
            if called {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
}

#[test]
fn every_route_in_the_source_is_in_the_matrix() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates");
    let mut found = BTreeSet::new();
    for krate in CRATES {
        let mut files = Vec::new();
        rust_files(&root.join(krate).join("src"), &mut files);
        for file in files {
            routes_in(&std::fs::read_to_string(&file).unwrap(), &mut found);
        }
    }
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let missing: Vec<_> = found.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "routes not in authz_matrix/routes.rs (say who may call them): {missing:?}; \
         listed but gone: {stale:?}"
    );
    assert!(found.len() > 300, "only {} routes found", found.len());
    println!("authorisation matrix: {} routes listed", found.len());
}
