//! Members' content filters (Mastodon's v2 filters): keywords and single posts that the member
//! does not want to see in some contexts. `warn` and `blur` keep a post but tell the client
//! why to fold it; `hide` leaves it out. Filters are private and applied only for their owner.

use crate::{
    Actor, Context, CoreError,
    error::{CoreResult, OrNotFound},
    views::PostView,
};
use passage_db::{
    Timestamp,
    entities::{filter_keywords, filter_statuses, filters},
    now,
};
use regex::{Regex, RegexBuilder};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait,
    PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use std::sync::Arc;

pub type Keyword = filter_keywords::Model;
pub type FilteredPost = filter_statuses::Model;

/// Where a filter applies, by Mastodon's names.
pub const CONTEXTS: [&str; 5] = ["home", "notifications", "public", "thread", "account"];
pub const ACTIONS: [&str; 3] = ["warn", "hide", "blur"];
/// Most filters per member, and keywords per filter: generous, but bounded, since every
/// keyword is matched against every post the member reads.
pub const MAX_FILTERS: usize = 100;
pub const MAX_KEYWORDS: usize = 100;
pub const MAX_KEYWORD_CHARS: usize = 100;

/// A filter with its keywords and posts.
#[derive(Clone, Debug)]
pub struct Filter {
    pub row: filters::Model,
    pub keywords: Vec<Keyword>,
    pub posts: Vec<FilteredPost>,
}

impl Filter {
    pub fn contexts(&self) -> Vec<String> {
        split_contexts(&self.row.contexts)
    }
}

fn split_contexts(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A change to a filter's keywords: a new one (no id), an edit, or a removal.
#[derive(Clone, Debug, Default)]
pub struct KeywordChange {
    pub id: Option<i64>,
    pub keyword: Option<String>,
    pub whole_word: Option<bool>,
    pub destroy: bool,
}

/// The fields of a new filter, or those an update changes (None: unchanged). `expires_in`
/// is `Some(None)` to make a filter last forever.
#[derive(Clone, Debug, Default)]
pub struct FilterChange {
    pub title: Option<String>,
    pub contexts: Option<Vec<String>>,
    pub action: Option<String>,
    pub expires_in: Option<Option<i64>>,
    pub keywords: Vec<KeywordChange>,
}

fn invalid<T>(message: impl Into<String>) -> CoreResult<T> {
    Err(CoreError::Invalid(message.into()))
}

fn check_contexts(contexts: &[String]) -> CoreResult<String> {
    if contexts.is_empty() {
        return invalid(
            "context must name at least one of home, notifications, public, thread, account",
        );
    }
    let mut out: Vec<&str> = Vec::new();
    for c in contexts {
        let Some(known) = CONTEXTS.iter().find(|k| **k == c.as_str()) else {
            return invalid(format!("context: unknown value {c:?}"));
        };
        if !out.contains(known) {
            out.push(known);
        }
    }
    Ok(out.join(","))
}

fn check_keyword(keyword: &str) -> CoreResult<String> {
    let keyword = keyword.trim();
    if keyword.is_empty() || keyword.chars().count() > MAX_KEYWORD_CHARS {
        return invalid(format!(
            "keyword must have 1 to {MAX_KEYWORD_CHARS} characters"
        ));
    }
    Ok(keyword.to_owned())
}

fn expiry(expires_in: Option<i64>) -> CoreResult<Option<Timestamp>> {
    match expires_in {
        None => Ok(None),
        Some(secs) if secs > 0 => Ok(Some(now() + chrono::Duration::seconds(secs))),
        Some(_) => invalid("expires_in must be a positive number of seconds"),
    }
}

/// The member's filters, oldest first.
pub async fn list(ctx: &Context, actor: &Actor) -> CoreResult<Vec<Filter>> {
    let rows = filters::Entity::find()
        .filter(filters::Column::ActorId.eq(actor.id))
        .order_by_asc(filters::Column::Id)
        .all(&ctx.db)
        .await?;
    // Most members have no filters: every timeline page then costs this one query only.
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|f| f.id).collect();
    let keywords = filter_keywords::Entity::find()
        .filter(filter_keywords::Column::FilterId.is_in(ids.clone()))
        .order_by_asc(filter_keywords::Column::Id)
        .all(&ctx.db)
        .await?;
    let posts = filter_statuses::Entity::find()
        .filter(filter_statuses::Column::FilterId.is_in(ids))
        .order_by_asc(filter_statuses::Column::Id)
        .all(&ctx.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Filter {
            keywords: keywords
                .iter()
                .filter(|k| k.filter_id == row.id)
                .cloned()
                .collect(),
            posts: posts
                .iter()
                .filter(|p| p.filter_id == row.id)
                .cloned()
                .collect(),
            row,
        })
        .collect())
}

/// One of the member's filters; another member's is not found.
pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> CoreResult<Filter> {
    let row = own_row(&ctx.db, actor, id).await?;
    let keywords = filter_keywords::Entity::find()
        .filter(filter_keywords::Column::FilterId.eq(row.id))
        .order_by_asc(filter_keywords::Column::Id)
        .all(&ctx.db)
        .await?;
    let posts = filter_statuses::Entity::find()
        .filter(filter_statuses::Column::FilterId.eq(row.id))
        .order_by_asc(filter_statuses::Column::Id)
        .all(&ctx.db)
        .await?;
    Ok(Filter {
        row,
        keywords,
        posts,
    })
}

async fn own_row(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> CoreResult<filters::Model> {
    filters::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|f| f.actor_id == actor.id)
        .or_not_found()
}

/// Creates a filter. Title and contexts are required; the action defaults to `warn`.
pub async fn create(ctx: &Context, actor: &Actor, new: FilterChange) -> CoreResult<Filter> {
    let title = new.title.clone().unwrap_or_default();
    if title.trim().is_empty() {
        return invalid("title can't be blank");
    }
    let count = filters::Entity::find()
        .filter(filters::Column::ActorId.eq(actor.id))
        .count(&ctx.db)
        .await?;
    if count >= MAX_FILTERS as u64 {
        return invalid(format!("at most {MAX_FILTERS} filters"));
    }
    let contexts = check_contexts(new.contexts.as_deref().unwrap_or_default())?;
    let action = check_action(new.action.as_deref().unwrap_or("warn"))?;
    let expires_at = expiry(new.expires_in.flatten())?;
    let txn = ctx.db.begin().await?;
    let row = filters::ActiveModel {
        actor_id: Set(actor.id),
        title: Set(title.trim().chars().take(200).collect()),
        contexts: Set(contexts),
        action: Set(action),
        expires_at: Set(expires_at),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    apply_keywords(&txn, row.id, &new.keywords).await?;
    txn.commit().await?;
    get(ctx, actor, row.id).await
}

fn check_action(action: &str) -> CoreResult<String> {
    if ACTIONS.contains(&action) {
        Ok(action.to_owned())
    } else {
        invalid(format!("filter_action: unknown value {action:?}"))
    }
}

/// Changes a filter's fields and keywords at once, as Mastodon's `keywords_attributes`.
pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    change: FilterChange,
) -> CoreResult<Filter> {
    let row = own_row(&ctx.db, actor, id).await?;
    let mut active = filters::ActiveModel::from(row);
    if let Some(title) = &change.title {
        if title.trim().is_empty() {
            return invalid("title can't be blank");
        }
        active.title = Set(title.trim().chars().take(200).collect());
    }
    if let Some(contexts) = &change.contexts {
        active.contexts = Set(check_contexts(contexts)?);
    }
    if let Some(action) = &change.action {
        active.action = Set(check_action(action)?);
    }
    if let Some(expires_in) = change.expires_in {
        active.expires_at = Set(expiry(expires_in)?);
    }
    let txn = ctx.db.begin().await?;
    active.update(&txn).await?;
    apply_keywords(&txn, id, &change.keywords).await?;
    txn.commit().await?;
    get(ctx, actor, id).await
}

async fn apply_keywords(
    db: &impl ConnectionTrait,
    filter_id: i64,
    changes: &[KeywordChange],
) -> CoreResult<()> {
    for change in changes {
        match change.id {
            Some(id) => {
                let keyword = filter_keywords::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .filter(|k| k.filter_id == filter_id)
                    .or_not_found()?;
                if change.destroy {
                    keyword.delete(db).await?;
                    continue;
                }
                let mut active = filter_keywords::ActiveModel::from(keyword);
                if let Some(text) = &change.keyword {
                    active.keyword = Set(check_keyword(text)?);
                }
                if let Some(whole) = change.whole_word {
                    active.whole_word = Set(whole);
                }
                active.update(db).await?;
            }
            None if change.destroy => {}
            None => {
                insert_keyword(
                    db,
                    filter_id,
                    change.keyword.as_deref().unwrap_or_default(),
                    change.whole_word.unwrap_or(true),
                )
                .await?;
            }
        }
    }
    let count = filter_keywords::Entity::find()
        .filter(filter_keywords::Column::FilterId.eq(filter_id))
        .count(db)
        .await?;
    if count > MAX_KEYWORDS as u64 {
        return invalid(format!("at most {MAX_KEYWORDS} keywords per filter"));
    }
    Ok(())
}

async fn insert_keyword(
    db: &impl ConnectionTrait,
    filter_id: i64,
    keyword: &str,
    whole_word: bool,
) -> CoreResult<Keyword> {
    Ok(filter_keywords::ActiveModel {
        filter_id: Set(filter_id),
        keyword: Set(check_keyword(keyword)?),
        whole_word: Set(whole_word),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn delete(ctx: &Context, actor: &Actor, id: i64) -> CoreResult<()> {
    own_row(&ctx.db, actor, id).await?.delete(&ctx.db).await?;
    Ok(())
}

/// Adds a keyword to one of the member's filters.
pub async fn add_keyword(
    ctx: &Context,
    actor: &Actor,
    filter_id: i64,
    keyword: &str,
    whole_word: bool,
) -> CoreResult<Keyword> {
    own_row(&ctx.db, actor, filter_id).await?;
    insert_keyword(&ctx.db, filter_id, keyword, whole_word).await
}

/// A keyword of one of the member's filters, with its filter.
pub async fn keyword(ctx: &Context, actor: &Actor, id: i64) -> CoreResult<Keyword> {
    let keyword = filter_keywords::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()?;
    own_row(&ctx.db, actor, keyword.filter_id).await?;
    Ok(keyword)
}

pub async fn update_keyword(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    change: KeywordChange,
) -> CoreResult<Keyword> {
    let keyword = keyword(ctx, actor, id).await?;
    let filter_id = keyword.filter_id;
    let change = KeywordChange {
        id: Some(id),
        destroy: false,
        ..change
    };
    apply_keywords(&ctx.db, filter_id, &[change]).await?;
    self::keyword(ctx, actor, id).await
}

pub async fn delete_keyword(ctx: &Context, actor: &Actor, id: i64) -> CoreResult<()> {
    keyword(ctx, actor, id).await?.delete(&ctx.db).await?;
    Ok(())
}

/// Adds a post to one of the member's filters (a post they can see).
pub async fn add_post(
    ctx: &Context,
    actor: &Actor,
    filter_id: i64,
    post_id: i64,
) -> CoreResult<FilteredPost> {
    own_row(&ctx.db, actor, filter_id).await?;
    let post = crate::posts::by_id(ctx, post_id).await?;
    if !crate::posts::can_view(ctx, Some(actor), &post).await? {
        return Err(CoreError::NotFound);
    }
    let existing = filter_statuses::Entity::find()
        .filter(filter_statuses::Column::FilterId.eq(filter_id))
        .filter(filter_statuses::Column::PostId.eq(post_id))
        .one(&ctx.db)
        .await?;
    if existing.is_some() {
        return invalid("the post is already in this filter");
    }
    Ok(filter_statuses::ActiveModel {
        filter_id: Set(filter_id),
        post_id: Set(post_id),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?)
}

pub async fn filtered_post(ctx: &Context, actor: &Actor, id: i64) -> CoreResult<FilteredPost> {
    let row = filter_statuses::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()?;
    own_row(&ctx.db, actor, row.filter_id).await?;
    Ok(row)
}

pub async fn remove_post(ctx: &Context, actor: &Actor, id: i64) -> CoreResult<()> {
    filtered_post(ctx, actor, id).await?.delete(&ctx.db).await?;
    Ok(())
}

/// Why a post matched one filter.
#[derive(Clone, Debug)]
pub struct Match {
    pub filter: Arc<Filter>,
    pub keywords: Vec<String>,
    pub post_ids: Vec<i64>,
}

impl Match {
    pub fn hides(&self) -> bool {
        self.filter.row.action == "hide"
    }
}

/// A filter with its keywords compiled.
type Compiled = (Arc<Filter>, Vec<(String, Regex)>);

/// The member's filters that apply in one context, compiled once for a page of posts.
#[derive(Default)]
pub struct Active {
    filters: Vec<Compiled>,
}

/// Loads the filters `viewer` has for `context` that have not expired.
pub async fn active(ctx: &Context, viewer: Option<&Actor>, context: &str) -> CoreResult<Active> {
    let Some(viewer) = viewer else {
        return Ok(Active::default());
    };
    let at = now();
    let filters = list(ctx, viewer)
        .await?
        .into_iter()
        .filter(|f| f.contexts().iter().any(|c| c == context))
        .filter(|f| f.row.expires_at.is_none_or(|end| end > at))
        .map(|f| {
            let patterns = f
                .keywords
                .iter()
                .filter_map(|k| Some((k.keyword.clone(), pattern(&k.keyword, k.whole_word)?)))
                .collect();
            (Arc::new(f), patterns)
        })
        .collect();
    Ok(Active { filters })
}

/// A keyword as Mastodon matches it: case-insensitive, and for whole words bounded where the
/// keyword starts or ends with a word character.
fn pattern(keyword: &str, whole_word: bool) -> Option<Regex> {
    let escaped = regex::escape(keyword);
    let source = if whole_word {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let start = if word(keyword.chars().next()) {
            r"\b"
        } else {
            ""
        };
        let end = if word(keyword.chars().last()) {
            r"\b"
        } else {
            ""
        };
        format!("{start}{escaped}{end}")
    } else {
        escaped
    };
    RegexBuilder::new(&source)
        .case_insensitive(true)
        .build()
        .ok()
}

impl Active {
    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// The filters a post (or the post a boost carries) matches.
    pub fn matches(&self, view: &PostView) -> Vec<Match> {
        if self.filters.is_empty() {
            return Vec::new();
        }
        let shown = view.reblog.as_deref().unwrap_or(view);
        let text = searchable_text(shown);
        self.filters
            .iter()
            .filter_map(|(filter, patterns)| {
                let keywords: Vec<String> = patterns
                    .iter()
                    .filter(|(_, re)| re.is_match(&text))
                    .map(|(k, _)| k.clone())
                    .collect();
                // Mastodon names the matched post by its own id (the boost's or the original's).
                let post_ids: Vec<i64> = [Some(view.post.id), view.post.reblog_of_id]
                    .into_iter()
                    .flatten()
                    .filter(|id| filter.posts.iter().any(|p| p.post_id == *id))
                    .collect();
                (!keywords.is_empty() || !post_ids.is_empty()).then(|| Match {
                    filter: filter.clone(),
                    keywords,
                    post_ids,
                })
            })
            .collect()
    }
}

/// What keywords are looked for in: the text without markup, the content warning, media
/// descriptions and poll options.
fn searchable_text(view: &PostView) -> String {
    let mut parts = vec![crate::content::plain_text(&view.post.content)];
    parts.extend(view.post.summary.clone());
    parts.extend(view.media.iter().filter_map(|m| m.description.clone()));
    if let Some(poll) = &view.poll {
        parts.extend(poll.options.iter().map(|o| o.title.clone()));
    }
    parts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_as_mastodon_matches_them() {
        let whole = pattern("vote", true).unwrap();
        assert!(whole.is_match("Please VOTE today"));
        assert!(!whole.is_match("a devoted team"));
        let anywhere = pattern("vote", false).unwrap();
        assert!(anywhere.is_match("a devoted team"));
        let tag = pattern("#housing", true).unwrap();
        assert!(tag.is_match("new #housing report"), "no boundary before #");
        assert!(!tag.is_match("#housingfirst"));
        let special = pattern("a+b (c)", false).unwrap();
        assert!(special.is_match("A+B (C)"), "metacharacters are literal");
    }

    #[test]
    fn contexts_and_actions_are_checked() {
        assert_eq!(
            check_contexts(&["home".into(), "thread".into(), "home".into()]).unwrap(),
            "home,thread"
        );
        assert!(check_contexts(&[]).is_err());
        assert!(check_contexts(&["inbox".into()]).is_err());
        assert!(check_action("hide").is_ok() && check_action("delete").is_err());
    }
}
