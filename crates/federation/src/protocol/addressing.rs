//! Visibility <-> addressing, exactly as Mastodon does it:
//!
//! | visibility | to | cc |
//! |---|---|---|
//! | public | Public | followers, mentions |
//! | unlisted | followers | Public, mentions |
//! | private (followers-only) | followers | mentions |
//! | direct | mentions | — |

use super::PUBLIC;
use passage_core::visibility::Visibility;

pub fn address(
    visibility: Visibility,
    followers: &str,
    mentions: &[String],
) -> (Vec<String>, Vec<String>) {
    let with = |first: Vec<String>| {
        first
            .into_iter()
            .chain(mentions.iter().cloned())
            .collect::<Vec<_>>()
    };
    match visibility {
        Visibility::Public => (vec![PUBLIC.into()], with(vec![followers.into()])),
        Visibility::Unlisted => (vec![followers.into()], with(vec![PUBLIC.into()])),
        Visibility::Private => (vec![followers.into()], with(Vec::new())),
        Visibility::Direct => (with(Vec::new()), Vec::new()),
    }
}

/// The visibility an incoming object's addressing expresses. `followers` is the author's
/// followers collection, when known.
pub fn visibility_of(to: &[String], cc: &[String], followers: Option<&str>) -> Visibility {
    let is_followers = |u: &String| followers.is_some_and(|f| f == u) || u.ends_with("/followers");
    if to.iter().any(|u| u == PUBLIC) {
        Visibility::Public
    } else if cc.iter().any(|u| u == PUBLIC) {
        Visibility::Unlisted
    } else if to.iter().chain(cc).any(is_followers) {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_visibility() {
        let f = "https://a.test/users/ana/followers";
        let m = vec!["https://b.test/users/bob".to_owned()];
        for v in [
            Visibility::Public,
            Visibility::Unlisted,
            Visibility::Private,
            Visibility::Direct,
        ] {
            let (to, cc) = address(v, f, &m);
            assert_eq!(visibility_of(&to, &cc, Some(f)), v);
            assert!(
                to.iter().chain(&cc).any(|u| u == &m[0]),
                "{v:?} addresses mentions"
            );
        }
    }
}
