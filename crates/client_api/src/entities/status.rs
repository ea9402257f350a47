use super::{Account, account_from, time};
use passage_core::{
    Context,
    polls::PollView,
    views::{Media, PostView},
};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub id: String,
    pub uri: String,
    /// A real URL or null, never `""` (Tusker rejects empty strings).
    pub url: Option<String>,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub account: Account,
    pub content: String,
    pub visibility: String,
    pub sensitive: bool,
    pub spoiler_text: String,
    pub language: Option<String>,
    pub in_reply_to_id: Option<String>,
    pub in_reply_to_account_id: Option<String>,
    pub reblog: Option<Box<Status>>,
    pub media_attachments: Vec<MediaAttachment>,
    pub mentions: Vec<Mention>,
    pub tags: Vec<Tag>,
    pub emojis: Vec<super::CustomEmoji>,
    pub card: Option<serde_json::Value>,
    pub poll: Option<Poll>,
    pub application: Option<serde_json::Value>,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub favourited: bool,
    pub reblogged: bool,
    pub muted: bool,
    pub bookmarked: bool,
    pub pinned: bool,
    /// The viewer's filters this status matched, in the context it is shown in.
    pub filtered: Vec<super::FilterResult>,
    /// The source text, sent only in answer to a delete (for "delete and redraft").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Mastodon's Poll: counts are null while the author hides them.
#[derive(Clone, Debug, Serialize)]
pub struct Poll {
    pub id: String,
    pub expires_at: Option<String>,
    pub expired: bool,
    pub multiple: bool,
    pub votes_count: i64,
    pub voters_count: Option<i64>,
    pub options: Vec<PollOption>,
    pub emojis: Vec<super::CustomEmoji>,
    pub voted: bool,
    pub own_votes: Vec<i32>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PollOption {
    pub title: String,
    pub votes_count: Option<i64>,
}

pub fn poll_from(p: &PollView) -> Poll {
    Poll {
        id: p.id.to_string(),
        expires_at: p.expires_at.as_ref().map(time),
        expired: p.expired,
        multiple: p.multiple,
        votes_count: p.votes_count,
        voters_count: p.voters_count,
        options: p
            .options
            .iter()
            .map(|o| PollOption {
                title: o.title.clone(),
                votes_count: o.votes,
            })
            .collect(),
        emojis: Vec::new(),
        voted: p.voted,
        own_votes: p.own_votes.clone(),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Mention {
    pub id: String,
    pub username: String,
    pub url: String,
    pub acct: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tag {
    pub name: String,
    pub url: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MediaAttachment {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Null only while processing, and only outside statuses.
    pub url: Option<String>,
    pub preview_url: Option<String>,
    pub remote_url: Option<String>,
    pub meta: serde_json::Value,
    pub description: Option<String>,
    pub blurhash: Option<String>,
}

pub fn status_from(ctx: &Context, view: &PostView) -> Status {
    let p = &view.post;
    Status {
        id: p.id.to_string(),
        uri: p.ap_id.clone(),
        url: p
            .url
            .clone()
            .filter(|u| !u.is_empty())
            .or_else(|| Some(p.ap_id.clone())),
        created_at: time(&p.published_at),
        edited_at: p.edited_at.as_ref().map(time),
        account: account_from(ctx, &view.author),
        content: p.content.clone(),
        visibility: p.visibility.clone(),
        sensitive: p.sensitive
            || (view.author.actor.sensitized_at.is_some() && !view.media.is_empty()),
        spoiler_text: p.summary.clone().unwrap_or_default(),
        language: p.language.clone(),
        in_reply_to_id: p.in_reply_to_id.map(|id| id.to_string()),
        in_reply_to_account_id: view.in_reply_to_account_id.map(|id| id.to_string()),
        reblog: view
            .reblog
            .as_ref()
            .map(|original| Box::new(status_from(ctx, original))),
        media_attachments: view.media.iter().map(|m| media_from(ctx, m)).collect(),
        mentions: view
            .mentions
            .iter()
            .map(|a| Mention {
                id: a.id.to_string(),
                username: a.username.clone(),
                url: a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
                acct: if a.local {
                    a.username.clone()
                } else {
                    format!("{}@{}", a.username, a.domain)
                },
            })
            .collect(),
        tags: view
            .tags
            .iter()
            .map(|t| Tag {
                name: t.clone(),
                url: ctx.urls.tag(t),
            })
            .collect(),
        emojis: view.emojis.iter().map(super::emoji_from).collect(),
        card: None,
        poll: view.poll.as_ref().map(poll_from),
        application: None,
        replies_count: view.replies,
        reblogs_count: view.reblogs,
        favourites_count: view.favourites,
        favourited: view.favourited,
        reblogged: view.reblogged,
        muted: view.muted,
        bookmarked: view.bookmarked,
        pinned: view.pinned,
        filtered: Vec::new(),
        text: None,
    }
}

pub fn media_from(ctx: &Context, m: &Media) -> MediaAttachment {
    let local = |name: &Option<String>| name.as_ref().map(|n| ctx.media.url(&ctx.urls, n));
    let url = local(&m.file_name).or_else(|| m.remote_url.clone());
    let mut meta = serde_json::Map::new();
    if let (Some(w), Some(h)) = (m.width, m.height) {
        let aspect = if h > 0 {
            f64::from(w) / f64::from(h)
        } else {
            1.0
        };
        meta.insert(
            "original".into(),
            serde_json::json!({"width": w, "height": h, "size": format!("{w}x{h}"), "aspect": aspect}),
        );
    }
    if let (Some(x), Some(y)) = (m.focus_x, m.focus_y) {
        meta.insert("focus".into(), serde_json::json!({"x": x, "y": y}));
    }
    if let Some(seconds) = m.duration {
        // As Mastodon: `length` as H:MM:SS.ss and `duration` in seconds, beside the size.
        let whole = seconds as u64;
        let length = format!(
            "{}:{:02}:{:05.2}",
            whole / 3600,
            whole / 60 % 60,
            seconds - (whole - whole % 60) as f64
        );
        meta.insert("length".into(), serde_json::json!(length));
        meta.insert("duration".into(), serde_json::json!(seconds));
        if let Some(original) = meta.get_mut("original").and_then(|o| o.as_object_mut()) {
            original.insert("duration".into(), serde_json::json!(seconds));
        } else {
            meta.insert("original".into(), serde_json::json!({"duration": seconds}));
        }
    }
    MediaAttachment {
        id: m.id.to_string(),
        kind: m.kind.clone(),
        preview_url: local(&m.thumbnail_name).or_else(|| url.clone()),
        url,
        remote_url: m.remote_url.clone(),
        meta: serde_json::Value::Object(meta),
        description: m.description.clone(),
        blurhash: m.blurhash.clone(),
    }
}
