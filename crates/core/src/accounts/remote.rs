//! Remote actors as federation learns them: checked for origin there, bounded and sanitised
//! here before they are stored.

use super::ActorKind;
use crate::{
    Actor, Context,
    error::{CoreError, CoreResult, OrNotFound},
};
use passage_db::{entities::actors, now, queries::actors as q};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

/// What federation learned about a remote actor, already checked for origin.
#[derive(Clone, Debug)]
pub struct RemoteActor {
    pub ap_id: String,
    pub kind: ActorKind,
    pub username: String,
    pub display_name: String,
    pub summary_html: String,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers: Option<String>,
    pub following: Option<String>,
    pub url: Option<String>,
    pub public_key_pem: String,
    pub locked: bool,
    /// Picture addresses on the actor's server (http or https only; others are dropped).
    pub avatar_url: Option<String>,
    pub header_url: Option<String>,
    /// Field values as the peer's HTML; sanitised here.
    pub fields: Vec<crate::profile::Field>,
    /// The accounts it says it also is (`alsoKnownAs`).
    pub also_known_as: Vec<String>,
    /// Whether its document still says it moved (`movedTo`). Where it moved to is only
    /// believed from a verified `Move` (see `moves::receive`); a document that no longer says
    /// so clears it.
    pub says_moved: bool,
    /// Whether it may be suggested and listed (`discoverable`; absent means no).
    pub discoverable: bool,
}

/// How much of a remote profile is kept: generous next to what servers send (Mastodon allows
/// 30-character names and 500-character bios), small next to what a hostile one could.
const REMOTE_NAME_CHARS: usize = 200;
const REMOTE_SUMMARY_CHARS: usize = 20_000;
const REMOTE_FIELD_CHARS: usize = 2_000;

/// The first `max` characters of `s`. Sanitising after clipping HTML closes any tag it cut.
fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// A remote username becomes half of a handle (`name@domain`): it must be one word that
/// cannot pose as another handle or path.
fn check_remote_username(name: &str) -> CoreResult<()> {
    let bad = name.is_empty()
        || name.chars().count() > 100
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '@' | '/' | ':'));
    if bad {
        return Err(CoreError::Invalid(format!(
            "unusable remote username {:?}",
            clip(name, 40)
        )));
    }
    Ok(())
}

/// Inserts or refreshes a remote actor. Local ids are refused: a peer can never overwrite one
/// of our actors.
pub async fn upsert_remote(ctx: &Context, remote: RemoteActor) -> CoreResult<Actor> {
    if ctx.urls.is_local(&remote.ap_id) {
        return Err(CoreError::Forbidden(
            "a remote actor cannot use a local id".into(),
        ));
    }
    check_remote_username(&remote.username)?;
    let domain = crate::urls::Urls::host_of(&remote.ap_id)
        .ok_or_else(|| CoreError::Invalid("actor id has no host".into()))?;
    let at = now();
    let existing = q::by_ap_id(&ctx.db, &remote.ap_id).await?;
    let mut row = match &existing {
        Some(model) => actors::ActiveModel::from(model.clone()),
        None => actors::ActiveModel {
            ap_id: Set(remote.ap_id.clone()),
            local: Set(false),
            created_at: Set(at),
            private_key_pem: Set(None),
            ..Default::default()
        },
    };
    row.kind = Set(remote.kind.as_str().to_owned());
    row.username = Set(remote.username);
    row.domain = Set(domain.clone());
    row.display_name = Set(clip(&remote.display_name, REMOTE_NAME_CHARS));
    row.summary = Set(crate::content::sanitize(&clip(
        &remote.summary_html,
        REMOTE_SUMMARY_CHARS,
    )));
    row.inbox_url = Set(remote.inbox);
    row.shared_inbox_url = Set(remote.shared_inbox);
    row.outbox_url = Set(remote.outbox);
    row.followers_url = Set(remote.followers);
    row.following_url = Set(remote.following);
    row.url = Set(remote.url);
    row.public_key_pem = Set(remote.public_key_pem);
    row.locked = Set(remote.locked);
    row.discoverable = Set(remote.discoverable);
    // A domain whose media or avatars are rejected keeps the default pictures.
    let flags = crate::moderation::verdict(ctx, &domain).await?.flags;
    let pictures = !(flags.reject_media || flags.strip_avatars);
    let web = |url: Option<String>| {
        url.filter(|u| pictures && (u.starts_with("https://") || u.starts_with("http://")))
    };
    row.avatar_url = Set(web(remote.avatar_url));
    row.header_url = Set(web(remote.header_url));
    let fields: Vec<_> = remote
        .fields
        .into_iter()
        .take(crate::profile::MAX_FIELDS * 4)
        .map(|f| crate::profile::Field {
            name: crate::content::plain_text(&crate::content::sanitize(&clip(
                &f.name,
                REMOTE_NAME_CHARS,
            ))),
            value: crate::content::sanitize(&clip(&f.value, REMOTE_FIELD_CHARS)),
            source: None,
        })
        .collect();
    row.fields = Set(crate::profile::encode_fields(&fields));
    row.also_known_as = Set(super::moves::clean_remote_aliases(remote.also_known_as));
    if !remote.says_moved {
        row.moved_to = Set(None);
    }
    row.updated_at = Set(at);
    row.fetched_at = Set(Some(at));
    let saved = if existing.is_some() {
        row.update(&ctx.db).await?
    } else {
        match row.insert(&ctx.db).await {
            Ok(model) => model,
            // A concurrent fetch stored it first; theirs is as fresh as ours.
            Err(e) if passage_db::is_unique_violation(&e) => {
                q::by_ap_id(&ctx.db, &remote.ap_id).await?.or_not_found()?
            }
            Err(e) => return Err(e.into()),
        }
    };
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_that_could_pose_as_another_handle_are_refused() {
        for good in ["ana", "city_of_riga", "Bob.K-1", "ñandú"] {
            assert!(check_remote_username(good).is_ok(), "{good}");
        }
        let long = "a".repeat(101);
        for bad in [
            "",
            "ana@other.example",
            "ana bea",
            "../admin",
            "ana:1",
            "a\u{0}b",
            &long,
        ] {
            assert!(check_remote_username(bad).is_err(), "{bad:?}");
        }
        assert_eq!(clip("héllo", 2), "hé");
    }
}
