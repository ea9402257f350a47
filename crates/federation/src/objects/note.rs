//! Posts as ActivityPub `Note`s: rendering local posts with Mastodon's addressing, and
//! reading remote ones (after origin checks) into `core::posts::upsert_remote`.

use crate::{
    FederationData, FederationError,
    objects::actor,
    protocol::{
        Tag,
        actor::image,
        addressing::{address, visibility_of},
        note::{Attachment, AttributedTo, NoteDocument, OptionReplies, QuestionOption},
    },
};
use activitypub_federation::{fetch::object_id::ObjectId, traits::Object};
use passage_core::{
    Context, Post, accounts,
    emojis::{self, RemoteEmoji},
    events, links,
    media::{self, RemoteMedia},
    polls::{self, RemotePoll},
    posts::{self, RemotePost},
    resources,
    visibility::Visibility,
};
use url::Url;

/// A post row with its id parsed once.
#[derive(Clone, Debug)]
pub struct ApubPost {
    pub row: Post,
    id: Url,
}

impl ApubPost {
    pub fn new(row: Post) -> Result<Self, FederationError> {
        let id = Url::parse(&row.ap_id)?;
        Ok(Self { row, id })
    }
}

/// Looks a post up by id, fetching it from its origin when unknown.
pub async fn resolve(id: &Url, data: &FederationData) -> Result<Post, FederationError> {
    Ok(ObjectId::<ApubPost>::from(id.clone())
        .dereference(data)
        .await?
        .row)
}

/// The Note document of a post as its recipients should see it.
pub async fn note_from_post(ctx: &Context, post: &Post) -> Result<NoteDocument, FederationError> {
    let author = accounts::by_id(ctx, post.author_id).await?;
    let mut mentions = Vec::new();
    let mut tag = Vec::new();
    for mentioned in posts::mentioned(ctx, post).await? {
        tag.push(Tag::link(
            "Mention",
            mentioned.ap_id.clone(),
            format!("@{}@{}", mentioned.username, mentioned.domain),
        ));
        mentions.push(mentioned.ap_id);
    }
    for name in posts::tags(ctx, post).await? {
        tag.push(Tag::link(
            "Hashtag",
            ctx.urls.tag(&name),
            format!("#{name}"),
        ));
    }
    let emojis = emojis::of_posts(&ctx.db, &[post.id]).await?;
    for emoji in emojis.get(&post.id).into_iter().flatten() {
        tag.push(Tag {
            kind: "Emoji".into(),
            href: None,
            name: Some(format!(":{}:", emoji.shortcode)),
            id: emoji.ap_id.clone(),
            icon: Some(image(&emoji.image_url)),
            media_type: None,
        });
    }
    for link in links::of_post(&ctx.db, post.id).await? {
        tag.push(Tag::object_link(link.href, link.name));
    }
    let followers = author.followers_url.clone().unwrap_or_default();
    let (to, cc) = address(Visibility::parse(&post.visibility)?, &followers, &mentions);
    let content_map = post
        .language
        .as_ref()
        .map(|lang| [(lang.clone(), post.content.clone())].into_iter().collect());
    let poll = polls::of_post(ctx, post.id).await?;
    let mut note = NoteDocument {
        id: Url::parse(&post.ap_id)?,
        kind: "Note".into(),
        attributed_to: AttributedTo::One(Url::parse(&author.ap_id)?),
        to,
        cc,
        name: None,
        content: post.content.clone(),
        content_map,
        name_map: None,
        summary: post.summary.clone(),
        summary_map: None,
        context: None,
        audience: None,
        license: None,
        sensitive: post.sensitive,
        in_reply_to: post
            .in_reply_to_ap_id
            .as_deref()
            .map(Url::parse)
            .transpose()?,
        published: Some(post.published_at),
        updated: post.edited_at,
        url: post.url.clone().map(serde_json::Value::String),
        tag,
        attachment: media::of_post(ctx, post.id)
            .await?
            .iter()
            .filter_map(|m| attachment_from(ctx, m))
            .collect(),
        one_of: None,
        any_of: None,
        end_time: None,
        closed: None,
        voters_count: None,
        event: Default::default(),
    };
    if let Some(poll) = poll {
        set_question(&mut note, &poll);
    }
    if let Some(event) = events::of_posts(&ctx.db, &[post.id]).await?.pop() {
        super::event::set_event(ctx, &mut note, post, &event).await?;
    }
    if let Some((resource, texts)) = resources::of_post(&ctx.db, post.id).await? {
        super::resource::set_resource(ctx, &mut note, post, &author, &resource, &texts).await?;
    }
    Ok(note)
}

/// Makes a post's document the `Question` Mastodon writes for a poll: options with their
/// counts under `oneOf` or `anyOf`, the end, and `closed` once it has ended.
fn set_question(note: &mut NoteDocument, poll: &polls::Poll) {
    let options = polls::options(poll)
        .into_iter()
        .map(|(name, votes)| QuestionOption {
            kind: "Note".into(),
            name,
            replies: Some(OptionReplies {
                kind: "Collection".into(),
                total_items: votes,
            }),
        })
        .collect();
    note.kind = "Question".into();
    if poll.multiple {
        note.any_of = Some(options);
    } else {
        note.one_of = Some(options);
    }
    note.end_time = poll.expires_at;
    if polls::is_closed(poll) {
        let at = poll.ended_at.or(poll.expires_at);
        note.closed = Some(serde_json::to_value(at).unwrap_or(serde_json::Value::Bool(true)));
    }
    note.voters_count = poll.voters_count;
}

/// The Document a local attachment is federated as.
fn attachment_from(ctx: &Context, m: &media::Media) -> Option<Attachment> {
    let url = match &m.file_name {
        Some(name) => ctx.media.url(&ctx.urls, name),
        None => m.remote_url.clone()?,
    };
    Some(Attachment {
        kind: "Document".into(),
        media_type: Some(m.content_type.clone()),
        url: serde_json::Value::String(url),
        name: m.description.clone(),
        href: None,
        blurhash: m.blurhash.clone(),
        focal_point: m.focus_x.zip(m.focus_y).map(|(x, y)| [x, y]),
        width: m.width,
        height: m.height,
    })
}

/// True when `sender` may speak for a post: its author, or, for a Mobilizon group's event,
/// the organiser it names as `actor` (on the same server, checked by [`verify_origin`]).
pub fn sent_by_author(json: &NoteDocument, author: &Url, sender: &Url) -> bool {
    author == sender || (json.kind == "Event" && json.event.actor.as_ref() == Some(sender))
}

/// Checks a Note received from (or fetched at) `expected_domain`: its id and its author must
/// both belong to that origin, so no server can speak for another's posts.
pub fn verify_origin(json: &NoteDocument, expected_domain: &Url) -> Result<Url, FederationError> {
    crate::protocol::verify_same_origin(&json.id, expected_domain)?;
    let author = json
        .attributed_to
        .author()
        .ok_or_else(|| FederationError::BadRequest("note without author".into()))?;
    crate::protocol::verify_same_origin(&author, &json.id)?;
    if !NoteDocument::KINDS.contains(&json.kind.as_str()) {
        return Err(FederationError::BadRequest(format!(
            "unsupported object type {}",
            json.kind
        )));
    }
    Ok(author)
}

#[async_trait::async_trait]
impl Object for ApubPost {
    type DataType = crate::Federation;
    type Kind = NoteDocument;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn is_deleted(&self) -> bool {
        self.row.deleted_at.is_some()
    }

    async fn read_from_id(id: Url, data: &FederationData) -> Result<Option<Self>, FederationError> {
        posts::by_ap_id(data, id.as_str())
            .await?
            .map(ApubPost::new)
            .transpose()
    }

    async fn into_json(self, data: &FederationData) -> Result<NoteDocument, FederationError> {
        note_from_post(data, &self.row).await
    }

    async fn verify(
        json: &NoteDocument,
        expected_domain: &Url,
        _data: &FederationData,
    ) -> Result<(), FederationError> {
        verify_origin(json, expected_domain).map(|_| ())
    }

    async fn from_json(json: NoteDocument, data: &FederationData) -> Result<Self, FederationError> {
        let remote = remote_post(&json, data).await?;
        // An Event without times cannot be an event here: it is kept as a post, as Mastodon does.
        if json.kind == "Event" && json.event.start_time.is_some() {
            return ApubPost::new(super::event::receive(json, remote, data).await?);
        }
        ApubPost::new(posts::upsert_remote(data, &remote.author, remote.post).await?)
    }
}

/// A remote post as read from its document, with its author (an event's host).
pub struct ReadPost {
    pub author: passage_core::Actor,
    pub post: RemotePost,
}

/// Reads what every kind of post shares: text, addressing, mentions, tags, media, emoji, poll.
pub async fn remote_post(
    json: &NoteDocument,
    data: &FederationData,
) -> Result<ReadPost, FederationError> {
    {
        let author_id = json
            .attributed_to
            .author()
            .ok_or_else(|| FederationError::BadRequest("note without author".into()))?;
        let author = actor::resolve(author_id.as_str(), data).await?;
        let visibility = visibility_of(&json.to, &json.cc, author.followers_url.as_deref());
        let mut mentions = Vec::new();
        let mut tags = Vec::new();
        for tag in &json.tag {
            match (tag.kind.as_str(), &tag.href, &tag.name) {
                ("Mention", Some(href), _) => {
                    // The same actor may be tagged twice; it is mentioned once.
                    if let Some(known) = accounts::by_ap_id(data, href).await?
                        && !mentions.contains(&known.id)
                    {
                        mentions.push(known.id);
                    }
                }
                ("Hashtag", _, Some(name)) => {
                    let name = name.trim_start_matches('#').to_lowercase();
                    if !name.is_empty() && name.len() <= 100 && !tags.contains(&name) {
                        tags.push(name);
                    }
                }
                _ => {}
            }
        }
        // Addressed local actors count as mentioned even without a Mention tag (Pleroma DMs).
        for id in json.to.iter().chain(&json.cc) {
            if data.urls.is_local(id)
                && let Some(local) = accounts::by_ap_id(data, id).await?
                && !mentions.contains(&local.id)
            {
                mentions.push(local.id);
            }
        }
        let now = passage_db::now();
        let remote = RemotePost {
            ap_id: json.id.to_string(),
            url: json
                .url
                .as_ref()
                .and_then(|u| u.as_str().map(str::to_owned)),
            content_html: json.html(),
            // A content warning is a microblog idea: an Article's or a Page's summary is an
            // abstract of what its content already holds.
            summary: json
                .summary
                .clone()
                .filter(|s| !s.is_empty() && !matches!(json.kind.as_str(), "Article" | "Page")),
            sensitive: json.sensitive,
            language: json.language(),
            visibility,
            in_reply_to_ap_id: json.in_reply_to.as_ref().map(Url::to_string),
            published: json.published.unwrap_or(now),
            edited: json.updated.filter(|u| Some(*u) != json.published),
            mentions,
            tags,
            media: json
                .attachment
                .iter()
                .filter_map(|a| {
                    Some(RemoteMedia {
                        url: a.href()?,
                        content_type: a.media_type.clone(),
                        description: a.name.clone().map(|n| n.chars().take(1500).collect()),
                        blurhash: a.blurhash.clone().filter(|b| b.len() <= 100),
                        width: a.width,
                        height: a.height,
                        focus: a.focal_point.map(|[x, y]| (x, y)),
                    })
                })
                .collect(),
            emojis: json
                .tag
                .iter()
                .filter_map(|t| {
                    let (shortcode, url) = t.emoji()?;
                    Some(RemoteEmoji {
                        shortcode,
                        url,
                        ap_id: t.id.clone(),
                    })
                })
                .collect(),
            links: json
                .tag
                .iter()
                .filter_map(Tag::object_link_target)
                .collect(),
            poll: json.poll_options().map(|(options, multiple)| RemotePoll {
                options,
                multiple,
                expires_at: json.end_time,
                voters_count: json.voters_count.map(|n| n.max(0)),
            }),
        };
        Ok(ReadPost {
            author,
            post: remote,
        })
    }
}
