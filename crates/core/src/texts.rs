//! Language versions of what a post says: a title and a description per language, the
//! primary one first. Resources always have them; events have them when written in more than
//! one language. Federation sends them all as `nameMap`/`contentMap`/`summaryMap` (primary
//! first, as Mastodon reads the first), and pages and the API show the reader's.

use crate::{
    error::{CoreError, CoreResult},
    posts,
};
use passage_db::entities::post_texts;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

pub type Text = post_texts::Model;

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Most language versions of one post.
pub const MAX_LANGUAGES: usize = 24;

/// One language version of a title and a description (plain text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub language: String,
    pub title: String,
    pub description: String,
}

/// Trims and checks versions; errors name the field (`title_field` for the title).
pub fn check(versions: &mut [Version], title_field: &str) -> CoreResult<()> {
    if versions.len() > MAX_LANGUAGES {
        return Err(CoreError::Invalid(format!(
            "{title_field}: at most {MAX_LANGUAGES} language versions"
        )));
    }
    let mut seen: Vec<String> = Vec::new();
    for v in versions.iter_mut() {
        v.title = v.title.trim().to_owned();
        v.language = v.language.trim().to_ascii_lowercase();
        if v.title.is_empty() || v.title.chars().count() > MAX_TITLE_CHARS {
            return Err(CoreError::Invalid(format!(
                "{title_field}: 1-{MAX_TITLE_CHARS} characters ({})",
                v.language
            )));
        }
        if v.description.chars().count() > posts::MAX_CHARS {
            return Err(CoreError::Invalid(format!(
                "description: at most {} characters ({})",
                posts::MAX_CHARS,
                v.language
            )));
        }
        let code = v.language.split('-').next().unwrap_or_default();
        if !(2..=3).contains(&code.len())
            || !code.chars().all(|c| c.is_ascii_lowercase())
            || v.language.len() > 16
        {
            return Err(CoreError::Invalid(format!(
                "language: {:?} is not a language code such as en or pt-br",
                v.language
            )));
        }
        if seen.contains(&v.language) {
            return Err(CoreError::Invalid(format!(
                "language: {} is given twice",
                v.language
            )));
        }
        seen.push(v.language.clone());
    }
    Ok(())
}

/// Replaces the versions of `post_id` (none clears them).
pub(crate) async fn replace(
    db: &impl ConnectionTrait,
    post_id: i64,
    versions: &[Version],
) -> CoreResult<Vec<Text>> {
    post_texts::Entity::delete_many()
        .filter(post_texts::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    let mut texts = Vec::with_capacity(versions.len());
    for (position, v) in versions.iter().enumerate() {
        let row = post_texts::ActiveModel {
            post_id: Set(post_id),
            language: Set(v.language.clone()),
            position: Set(position as i32),
            title: Set(v.title.clone()),
            description: Set(v.description.clone()),
        }
        .insert(db)
        .await?;
        texts.push(row);
    }
    Ok(texts)
}

/// The versions of a post, primary first (none when it has a single language).
pub async fn of_post(db: &impl ConnectionTrait, post_id: i64) -> CoreResult<Vec<Text>> {
    Ok(post_texts::Entity::find()
        .filter(post_texts::Column::PostId.eq(post_id))
        .order_by_asc(post_texts::Column::Position)
        .all(db)
        .await?)
}

/// Stored versions as versions to change.
pub fn versions_of(texts: &[Text]) -> Vec<Version> {
    texts
        .iter()
        .map(|t| Version {
            language: t.language.clone(),
            title: t.title.clone(),
            description: t.description.clone(),
        })
        .collect()
}
