//! A member's public profile beyond name and bio: avatar and header pictures, and the
//! name/value fields Mastodon shows under the bio (a website, pronouns, languages spoken).
//! Also the defaults a member posts with, since clients change both in one request.

use crate::{
    Actor, Context, CoreError,
    accounts::{ActorKind, login_of},
    error::CoreResult,
    media,
    visibility::Visibility,
};
use passage_db::{
    entities::{actors, users},
    now,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};
use serde::{Deserialize, Serialize};

/// Fields a profile may have, and the longest name or value (Mastodon's limits).
pub const MAX_FIELDS: usize = 4;
pub const MAX_FIELD_CHARS: usize = 255;
pub const MAX_DISPLAY_NAME_CHARS: usize = 30;
pub const MAX_NOTE_CHARS: usize = 500;

/// One profile field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    /// As shown: HTML (addresses linked for ours, sanitised for remote ones).
    pub value: String,
    /// What a local member typed, for their edit form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The fields of an actor (none when unset or unreadable).
pub fn fields(actor: &Actor) -> Vec<Field> {
    actor
        .fields
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

pub(crate) fn encode_fields(fields: &[Field]) -> Option<String> {
    (!fields.is_empty())
        .then(|| serde_json::to_string(fields).ok())
        .flatten()
}

/// Which picture, and the largest size it is stored at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picture {
    Avatar,
    Header,
}

impl Picture {
    fn size(self) -> (u32, u32) {
        match self {
            Self::Avatar => (400, 400),
            Self::Header => (1500, 500),
        }
    }
}

/// What a member may change of their profile and defaults; None leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct ProfileUpdate {
    pub display_name: Option<String>,
    pub note: Option<String>,
    pub locked: Option<bool>,
    /// An automated account: a member's actor becomes a `Service`, as Mastodon shows bots.
    /// Organisations stay `Group`s.
    pub bot: Option<bool>,
    /// Image files as uploaded.
    pub avatar: Option<Vec<u8>>,
    pub header: Option<Vec<u8>>,
    /// `(name, value)` as typed; pairs with both empty are dropped, as Mastodon does.
    pub fields: Option<Vec<(String, String)>>,
    pub default_visibility: Option<Visibility>,
    pub default_sensitive: Option<bool>,
    pub default_language: Option<String>,
    /// Found by name search and listed in directories.
    pub discoverable: Option<bool>,
    /// Whom it follows and who follows it shown to others (Mastodon's `hide_collections`,
    /// the other way round).
    pub show_network: Option<bool>,
}

impl ProfileUpdate {
    fn check(&self) -> CoreResult<()> {
        let too_long = |what: &str, max: usize| {
            Err(CoreError::Invalid(format!(
                "{what} is longer than {max} characters"
            )))
        };
        if let Some(name) = &self.display_name
            && name.chars().count() > MAX_DISPLAY_NAME_CHARS
        {
            return too_long("display_name", MAX_DISPLAY_NAME_CHARS);
        }
        if let Some(note) = &self.note
            && note.chars().count() > MAX_NOTE_CHARS
        {
            return too_long("note", MAX_NOTE_CHARS);
        }
        let Some(fields) = &self.fields else {
            return Ok(());
        };
        if fields.len() > MAX_FIELDS {
            return Err(CoreError::Invalid(format!(
                "fields_attributes: at most {MAX_FIELDS} fields"
            )));
        }
        for (name, value) in fields {
            if name.chars().count() > MAX_FIELD_CHARS || value.chars().count() > MAX_FIELD_CHARS {
                return too_long("fields_attributes: a name or value", MAX_FIELD_CHARS);
            }
        }
        Ok(())
    }

    fn changes_actor(&self) -> bool {
        self.display_name.is_some()
            || self.note.is_some()
            || self.locked.is_some()
            || self.bot.is_some()
            || self.avatar.is_some()
            || self.header.is_some()
            || self.fields.is_some()
    }
}

fn render_fields(ctx: &Context, typed: Vec<(String, String)>) -> Vec<Field> {
    typed
        .into_iter()
        .filter(|(n, v)| !(n.trim().is_empty() && v.trim().is_empty()))
        .map(|(name, value)| Field {
            name: name.trim().to_owned(),
            value: render_inline(ctx, value.trim()),
            source: Some(value.trim().to_owned()),
        })
        .collect()
}

/// A one-line value as HTML: addresses and tags linked, without the paragraph around it.
fn render_inline(ctx: &Context, text: &str) -> String {
    let html = crate::content::render_plain(text, &[], &ctx.urls.tag(""));
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .map_or(html.clone(), str::to_owned)
}

/// The URL a stored picture is served at.
fn picture_url(ctx: &Context, file: &str) -> String {
    ctx.media.url(&ctx.urls, file)
}

/// Removes the file behind one of our picture URLs (a picture replaced or removed).
async fn remove_picture_file(ctx: &Context, url: Option<&str>) {
    let prefix = ctx.media.url(&ctx.urls, "");
    if let Some(file) = url.and_then(|u| u.strip_prefix(&prefix))
        && !file.contains('/')
    {
        ctx.media.delete(file).await;
    }
}

/// Updates a local member's profile; followers' servers get an Update of the actor.
/// Pictures are processed and stored before the row changes, so a bad image changes nothing.
pub async fn update(ctx: &Context, actor: &Actor, update: ProfileUpdate) -> CoreResult<Actor> {
    update.check()?;
    let user = login_of(ctx, actor).await?;
    let changes_actor = update.changes_actor();
    let mut stored = Vec::new();
    for (picture, bytes) in [
        (Picture::Avatar, update.avatar),
        (Picture::Header, update.header),
    ] {
        if let Some(bytes) = bytes {
            match media::store_picture(ctx, bytes, picture.size()).await {
                Ok(file) => stored.push((picture, picture_url(ctx, &file))),
                Err(e) => {
                    for (_, url) in &stored {
                        remove_picture_file(ctx, Some(url)).await;
                    }
                    return Err(e);
                }
            }
        }
    }
    let txn = ctx.db.begin().await?;
    let mut row: actors::ActiveModel = actor.clone().into();
    if let Some(name) = update.display_name {
        row.display_name = Set(name);
    }
    if let Some(note) = &update.note {
        row.summary = Set(crate::content::render_plain(note, &[], &ctx.urls.tag("")));
    }
    if let Some(locked) = update.locked {
        row.locked = Set(locked);
    }
    if let Some(discoverable) = update.discoverable {
        row.discoverable = Set(discoverable);
    }
    if let Some(show) = update.show_network {
        row.show_network = Set(show);
    }
    if let Some(bot) = update.bot
        && matches!(
            ActorKind::parse(&actor.kind),
            Ok(ActorKind::Person | ActorKind::Service)
        )
    {
        let kind = if bot {
            ActorKind::Service
        } else {
            ActorKind::Person
        };
        row.kind = Set(kind.as_str().to_owned());
    }
    if let Some(typed) = update.fields {
        row.fields = Set(encode_fields(&render_fields(ctx, typed)));
    }
    for (picture, url) in &stored {
        match picture {
            Picture::Avatar => row.avatar_url = Set(Some(url.clone())),
            Picture::Header => row.header_url = Set(Some(url.clone())),
        }
    }
    row.updated_at = Set(now());
    let updated = row.update(&txn).await?;
    let mut login: users::ActiveModel = user.into();
    if let Some(note) = update.note {
        login.note_source = Set(Some(note));
    }
    if let Some(v) = update.default_visibility {
        login.default_visibility = Set(v.as_str().to_owned());
    }
    if let Some(s) = update.default_sensitive {
        login.default_sensitive = Set(s);
    }
    if let Some(l) = update.default_language {
        login.default_language = Set(Some(l).filter(|l| !l.is_empty()));
    }
    login.update(&txn).await?;
    if changes_actor {
        crate::outbox::record(&txn, actor.id, &crate::outbox::Intent::UpdateActor).await?;
    }
    txn.commit().await?;
    crate::outbox::notify(ctx);
    for (picture, _) in &stored {
        let old = match picture {
            Picture::Avatar => actor.avatar_url.as_deref(),
            Picture::Header => actor.header_url.as_deref(),
        };
        remove_picture_file(ctx, old).await;
    }
    Ok(updated)
}

/// Removes a local member's avatar or header; the default picture shows again.
pub async fn remove_picture(ctx: &Context, actor: &Actor, picture: Picture) -> CoreResult<Actor> {
    let old = match picture {
        Picture::Avatar => actor.avatar_url.clone(),
        Picture::Header => actor.header_url.clone(),
    };
    if old.is_none() {
        return Ok(actor.clone());
    }
    let txn = ctx.db.begin().await?;
    let mut row: actors::ActiveModel = actor.clone().into();
    match picture {
        Picture::Avatar => row.avatar_url = Set(None),
        Picture::Header => row.header_url = Set(None),
    }
    row.updated_at = Set(now());
    let updated = row.update(&txn).await?;
    crate::outbox::record(&txn, actor.id, &crate::outbox::Intent::UpdateActor).await?;
    txn.commit().await?;
    crate::outbox::notify(ctx);
    remove_picture_file(ctx, old.as_deref()).await;
    Ok(updated)
}
