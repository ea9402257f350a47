//! Filters in both of Mastodon's shapes: v2 (`Filter` with keywords and statuses) and v1
//! (one keyword as a filter, which older clients still read), and `FilterResult`, the
//! `filtered` entries of a status.

use super::time;
use passage_core::filters::{Filter as CoreFilter, FilteredPost, Keyword, Match};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Filter {
    pub id: String,
    pub title: String,
    pub context: Vec<String>,
    pub expires_at: Option<String>,
    pub filter_action: String,
    pub keywords: Vec<FilterKeyword>,
    pub statuses: Vec<FilterStatus>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FilterKeyword {
    pub id: String,
    pub keyword: String,
    pub whole_word: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct FilterStatus {
    pub id: String,
    pub status_id: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FilterResult {
    pub filter: Filter,
    pub keyword_matches: Option<Vec<String>>,
    pub status_matches: Option<Vec<String>>,
}

/// v1: a keyword standing alone, `irreversible` when its filter hides.
#[derive(Clone, Debug, Serialize)]
pub struct FilterV1 {
    pub id: String,
    pub phrase: String,
    pub context: Vec<String>,
    pub whole_word: bool,
    pub expires_at: Option<String>,
    pub irreversible: bool,
}

pub fn filter_from(f: &CoreFilter) -> Filter {
    Filter {
        id: f.row.id.to_string(),
        title: f.row.title.clone(),
        context: f.contexts(),
        expires_at: f.row.expires_at.as_ref().map(time),
        filter_action: f.row.action.clone(),
        keywords: f.keywords.iter().map(keyword_from).collect(),
        statuses: f.posts.iter().map(filter_status_from).collect(),
    }
}

pub fn keyword_from(k: &Keyword) -> FilterKeyword {
    FilterKeyword {
        id: k.id.to_string(),
        keyword: k.keyword.clone(),
        whole_word: k.whole_word,
    }
}

pub fn filter_status_from(p: &FilteredPost) -> FilterStatus {
    FilterStatus {
        id: p.id.to_string(),
        status_id: p.post_id.to_string(),
    }
}

pub fn filter_result_from(m: &Match) -> FilterResult {
    FilterResult {
        filter: filter_from(&m.filter),
        keyword_matches: (!m.keywords.is_empty()).then(|| m.keywords.clone()),
        status_matches: (!m.post_ids.is_empty())
            .then(|| m.post_ids.iter().map(i64::to_string).collect()),
    }
}

/// The v1 view of a filter: one entry per keyword.
pub fn filters_v1_from(f: &CoreFilter) -> Vec<FilterV1> {
    f.keywords
        .iter()
        .map(|k| FilterV1 {
            id: k.id.to_string(),
            phrase: k.keyword.clone(),
            context: f.contexts(),
            whole_word: k.whole_word,
            expires_at: f.row.expires_at.as_ref().map(time),
            irreversible: f.row.action == "hide",
        })
        .collect()
}
