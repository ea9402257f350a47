use super::time;
use passage_core::{Context, accounts::ActorKind, profile, views::AccountView};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    /// Bare `username` for local accounts (toot compares it), `user@domain` otherwise.
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    pub group: bool,
    pub discoverable: bool,
    pub indexable: bool,
    /// Whom it follows and who follows it are hidden from others.
    pub hide_collections: bool,
    pub created_at: String,
    pub note: String,
    pub url: String,
    pub uri: String,
    pub avatar: String,
    pub avatar_static: String,
    pub header: String,
    pub header_static: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    /// A date (`YYYY-MM-DD`), as toot expects.
    pub last_status_at: Option<String>,
    pub emojis: Vec<serde_json::Value>,
    pub fields: Vec<serde_json::Value>,
    /// The account this one moved to (clients show "moved to…" in its place).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<Box<Account>>,
}

pub fn account_from(ctx: &Context, view: &AccountView) -> Account {
    let a = &view.actor;
    let kind = ActorKind::parse(&a.kind).unwrap_or(ActorKind::Person);
    let acct = if a.local {
        a.username.clone()
    } else {
        format!("{}@{}", a.username, a.domain)
    };
    let avatar = a
        .avatar_url
        .clone()
        .unwrap_or_else(|| ctx.urls.static_file("avatar.png"));
    let header = a
        .header_url
        .clone()
        .unwrap_or_else(|| ctx.urls.static_file("header.png"));
    Account {
        id: a.id.to_string(),
        username: a.username.clone(),
        acct,
        display_name: a.display_name.clone(),
        locked: a.locked,
        bot: matches!(kind, ActorKind::Application | ActorKind::Service),
        group: kind == ActorKind::Group,
        discoverable: a.discoverable,
        indexable: false,
        hide_collections: !a.show_network,
        created_at: time(&a.created_at),
        note: a.summary.clone(),
        url: a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
        uri: a.ap_id.clone(),
        avatar_static: avatar.clone(),
        avatar,
        header_static: header.clone(),
        header,
        followers_count: view.followers,
        following_count: view.following,
        statuses_count: view.statuses,
        last_status_at: view
            .last_status_at
            .map(|t| t.with_timezone(&chrono::Utc).format("%Y-%m-%d").to_string()),
        emojis: Vec::new(),
        fields: profile::fields(a)
            .into_iter()
            .map(|f| serde_json::json!({"name": f.name, "value": f.value, "verified_at": null}))
            .collect(),
        moved: view.moved.as_ref().map(|m| Box::new(account_from(ctx, m))),
    }
}

/// The caller's own account, with `source` (Elk's composer dereferences `source.privacy`).
#[derive(Clone, Debug, Serialize)]
pub struct CredentialAccount {
    #[serde(flatten)]
    pub account: Account,
    pub source: Source,
    pub role: serde_json::Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct Source {
    pub privacy: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub note: String,
    pub fields: Vec<serde_json::Value>,
    pub follow_requests_count: u64,
    /// The accounts this one may be moved from (GoToSocial's field).
    pub also_known_as_uris: Vec<String>,
    pub discoverable: bool,
    pub indexable: bool,
    pub hide_collections: bool,
}

pub fn credential_account_from(
    ctx: &Context,
    view: &AccountView,
    settings: &passage_core::accounts::Settings,
    follow_requests_count: u64,
) -> CredentialAccount {
    CredentialAccount {
        account: account_from(ctx, view),
        source: Source {
            privacy: settings.default_visibility.as_str().to_owned(),
            sensitive: settings.default_sensitive,
            language: settings.default_language.clone(),
            note: settings.note_source.clone(),
            fields: profile::fields(&view.actor)
                .into_iter()
                .map(|f| {
                    let value = f.source.unwrap_or(f.value);
                    serde_json::json!({"name": f.name, "value": value, "verified_at": null})
                })
                .collect(),
            follow_requests_count,
            also_known_as_uris: passage_core::accounts::moves::aliases(&view.actor),
            discoverable: view.actor.discoverable,
            indexable: false,
            hide_collections: !view.actor.show_network,
        },
        role: serde_json::json!({
            "id": "-99", "name": "", "permissions": "0", "color": "", "highlighted": false
        }),
    }
}
