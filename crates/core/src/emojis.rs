//! Custom emoji: pictures an instance offers under `:shortcode:` names (an organisation's
//! logo, a city's flag), and those remote posts carry. A post records the emoji its text
//! uses, so clients draw them and peers receive them as `Emoji` tags.

use crate::{Context, CoreError, error::CoreResult};
use passage_db::{
    entities::{custom_emojis, post_emojis},
    now,
};
use regex::Regex;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, sea_query::OnConflict,
};
use std::collections::HashMap;

pub type Emoji = custom_emojis::Model;

/// Emoji one remote post may bring (more are ignored), and the largest side of ours.
const MAX_PER_POST: usize = 50;
const SIDE: u32 = 128;

/// An emoji a remote post uses, as its `Emoji` tag describes it.
#[derive(Clone, Debug)]
pub struct RemoteEmoji {
    pub shortcode: String,
    pub url: String,
    pub ap_id: Option<String>,
}

fn shortcode_regex() -> Regex {
    Regex::new(r":([A-Za-z0-9_]{2,64}):").unwrap_or_else(|_| unreachable!("constant regex"))
}

fn valid_shortcode(code: &str) -> bool {
    (2..=64).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The shortcodes written in `text` (`:name:`), each once. As in Mastodon, a shortcode
/// stands apart: no letter, digit or colon right before or after it (so `12:30:45` is a
/// time, not an emoji).
pub fn shortcodes_in(text: &str) -> Vec<String> {
    let apart = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != ':');
    let mut codes: Vec<String> = shortcode_regex()
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let before = text[..whole.start()].chars().next_back();
            let after = text[whole.end()..].chars().next();
            (apart(before) && apart(after)).then(|| c[1].to_owned())
        })
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// Adds one of our emoji from an image file (an admin's action); the picture is re-encoded
/// and fitted into 128×128. A shortcode already taken is refused.
pub async fn add_local(
    ctx: &Context,
    shortcode: &str,
    bytes: Vec<u8>,
    category: Option<String>,
) -> CoreResult<Emoji> {
    if !valid_shortcode(shortcode) {
        return Err(CoreError::Invalid(
            "shortcode: 2-64 letters, digits or underscores".into(),
        ));
    }
    if !local_by_shortcodes(&ctx.db, &[shortcode.to_owned()])
        .await?
        .is_empty()
    {
        return Err(CoreError::Conflict(format!(
            "shortcode :{shortcode}: is taken"
        )));
    }
    let file = crate::media::store_picture(ctx, bytes, (SIDE, SIDE)).await?;
    let url = ctx.media.url(&ctx.urls, &file);
    let row = custom_emojis::ActiveModel {
        shortcode: Set(shortcode.to_owned()),
        domain: Set(String::new()),
        image_url: Set(url),
        file_name: Set(Some(file)),
        ap_id: Set(None),
        category: Set(category.filter(|c| !c.trim().is_empty())),
        visible_in_picker: Set(true),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?;
    // The id is only known now; peers dereference it to learn the picture.
    let mut row: custom_emojis::ActiveModel = row.into();
    row.ap_id = Set(Some(format!(
        "{}/emojis/{}",
        ctx.urls.base(),
        row.id.as_ref()
    )));
    Ok(row.update(&ctx.db).await?)
}

/// Our emoji offered in clients' pickers, by category then shortcode.
pub async fn listed(ctx: &Context) -> CoreResult<Vec<Emoji>> {
    Ok(custom_emojis::Entity::find()
        .filter(custom_emojis::Column::Domain.eq(""))
        .filter(custom_emojis::Column::VisibleInPicker.eq(true))
        .order_by_asc(custom_emojis::Column::Category)
        .order_by_asc(custom_emojis::Column::Shortcode)
        .all(&ctx.db)
        .await?)
}

async fn local_by_shortcodes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> CoreResult<Vec<Emoji>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    Ok(custom_emojis::Entity::find()
        .filter(custom_emojis::Column::Domain.eq(""))
        .filter(custom_emojis::Column::Shortcode.is_in(codes.iter().cloned()))
        .all(db)
        .await?)
}

/// Records which of our emoji a local post's text uses (replacing what it used before).
pub(crate) async fn set_local(
    db: &impl ConnectionTrait,
    post_id: i64,
    text: &str,
) -> CoreResult<()> {
    let found = local_by_shortcodes(db, &shortcodes_in(text)).await?;
    set_for_post(db, post_id, false, found.iter().map(|e| e.id)).await
}

/// Stores or refreshes the emoji of a remote post from `domain` and records them for it.
/// Only web addresses are kept, and only emoji the post's text names. A `new_post` has no
/// emoji to replace.
pub(crate) async fn set_remote(
    db: &impl ConnectionTrait,
    post_id: i64,
    new_post: bool,
    domain: &str,
    text: &str,
    list: &[RemoteEmoji],
) -> CoreResult<()> {
    let used = shortcodes_in(text);
    let mut ids = Vec::new();
    for e in list.iter().take(MAX_PER_POST) {
        let web = e.url.starts_with("https://") || e.url.starts_with("http://");
        if !web || !valid_shortcode(&e.shortcode) || !used.contains(&e.shortcode) {
            continue;
        }
        let row = custom_emojis::ActiveModel {
            shortcode: Set(e.shortcode.clone()),
            domain: Set(domain.to_owned()),
            image_url: Set(e.url.clone()),
            file_name: Set(None),
            ap_id: Set(e.ap_id.clone()),
            category: Set(None),
            visible_in_picker: Set(false),
            updated_at: Set(now()),
            ..Default::default()
        };
        custom_emojis::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    custom_emojis::Column::Shortcode,
                    custom_emojis::Column::Domain,
                ])
                .update_columns([
                    custom_emojis::Column::ImageUrl,
                    custom_emojis::Column::ApId,
                    custom_emojis::Column::UpdatedAt,
                ])
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        if let Some(stored) = custom_emojis::Entity::find()
            .filter(custom_emojis::Column::Shortcode.eq(e.shortcode.as_str()))
            .filter(custom_emojis::Column::Domain.eq(domain))
            .one(db)
            .await?
        {
            ids.push(stored.id);
        }
    }
    set_for_post(db, post_id, new_post, ids).await
}

async fn set_for_post(
    db: &impl ConnectionTrait,
    post_id: i64,
    new_post: bool,
    emoji_ids: impl IntoIterator<Item = i64>,
) -> CoreResult<()> {
    if !new_post {
        post_emojis::Entity::delete_many()
            .filter(post_emojis::Column::PostId.eq(post_id))
            .exec(db)
            .await?;
    }
    let mut ids: Vec<i64> = emoji_ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    post_emojis::Entity::insert_many(ids.into_iter().map(|emoji_id| post_emojis::ActiveModel {
        post_id: Set(post_id),
        emoji_id: Set(emoji_id),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The emoji of each post, for a page of posts in two queries.
pub async fn of_posts(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> CoreResult<HashMap<i64, Vec<Emoji>>> {
    let pairs = post_emojis::Entity::find()
        .filter(post_emojis::Column::PostId.is_in(post_ids.iter().copied()))
        .all(db)
        .await?;
    if pairs.is_empty() {
        return Ok(HashMap::new());
    }
    let emojis: HashMap<i64, Emoji> = custom_emojis::Entity::find()
        .filter(custom_emojis::Column::Id.is_in(pairs.iter().map(|p| p.emoji_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut out: HashMap<i64, Vec<Emoji>> = HashMap::new();
    for pair in pairs {
        if let Some(e) = emojis.get(&pair.emoji_id) {
            out.entry(pair.post_id).or_default().push(e.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.shortcode.cmp(&b.shortcode));
    }
    Ok(out)
}

/// One of our emoji by id (its `ap_id` is served as an `Emoji` object).
pub async fn local_by_id(ctx: &Context, id: i64) -> CoreResult<Emoji> {
    custom_emojis::Entity::find_by_id(id)
        .filter(custom_emojis::Column::Domain.eq(""))
        .one(&ctx.db)
        .await?
        .ok_or(CoreError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_read_once_and_only_when_well_formed() {
        assert_eq!(
            shortcodes_in("Hello :mile_logo: and :mile_logo: :x: :ok-no: :flag_lv:"),
            vec!["flag_lv".to_owned(), "mile_logo".to_owned()]
        );
        assert!(shortcodes_in("at 12:30:45").is_empty());
        assert_eq!(shortcodes_in("(:mile:)"), vec!["mile".to_owned()]);
    }
}
