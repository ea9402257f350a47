//! Resource shares: reports, toolkits, guides and links an organisation (or a member) makes
//! available, each with a title and description in every language it was written in, a
//! licence, a category, files (stored like media) or a link, and a folder.
//!
//! A resource is a post plus a `resources` row, as an event is: Mastodon clients see it as a
//! status with its files attached, and it federates to whoever may see it. Who may see it:
//! - `public` and `unlisted`: anyone, as posts of those visibilities;
//! - `followers`: the host's followers (a followers-only post);
//! - `members`: the organisation's members only. Such a resource's post is addressed to
//!   no one, so no timeline and no other server ever holds it; members read it through the
//!   resources API, which checks their membership.
//!
//! Folders are in [`folders`].

pub mod files;
pub mod folders;

use crate::{
    Actor, Context, Post, content,
    error::{CoreError, CoreResult, OrNotFound},
    organisations,
    outbox::{self, Intent},
    posts, streaming,
    visibility::Visibility,
};
use passage_db::{
    Timestamp,
    entities::{posts as post_rows, resources},
    now,
    queries::posts as pq,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

pub type Resource = resources::Model;
pub use crate::texts::{Text, Version};

/// What kinds of resource the network shares.
pub const CATEGORIES: [&str; 9] = [
    "DATASET",
    "GUIDE",
    "NEWS",
    "POLICY_BRIEF",
    "PRESENTATION",
    "REPORT",
    "TOOLKIT",
    "TRAINING_MATERIAL",
    "OTHER",
];

/// Licences a resource may carry, by SPDX identifier, with the address that names each in
/// federation (`license`).
pub const LICENCES: [(&str, &str); 8] = [
    ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    (
        "CC-BY-SA-4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    (
        "CC-BY-NC-4.0",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    (
        "CC-BY-NC-SA-4.0",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    ),
    (
        "CC-BY-ND-4.0",
        "https://creativecommons.org/licenses/by-nd/4.0/",
    ),
    (
        "CC-BY-NC-ND-4.0",
        "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    ),
    (
        "CC0-1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    ("ALL-RIGHTS-RESERVED", ""),
];

/// The address of a licence, for federation; none for "all rights reserved".
pub fn licence_url(id: &str) -> Option<&'static str> {
    LICENCES
        .iter()
        .find(|(l, _)| *l == id)
        .map(|(_, url)| *url)
        .filter(|url| !url.is_empty())
}

/// Who may see a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    Unlisted,
    Followers,
    Members,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Unlisted => "unlisted",
            Self::Followers => "followers",
            Self::Members => "members",
        }
    }

    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "public" => Ok(Self::Public),
            "unlisted" => Ok(Self::Unlisted),
            "followers" | "private" => Ok(Self::Followers),
            "members" => Ok(Self::Members),
            other => Err(CoreError::Invalid(format!(
                "visibility: {other:?} is not public, unlisted, followers or members"
            ))),
        }
    }

    /// The visibility of the resource's post (see the module's notes on `members`).
    fn post_visibility(self) -> Visibility {
        match self {
            Self::Public => Visibility::Public,
            Self::Unlisted => Visibility::Unlisted,
            Self::Followers => Visibility::Private,
            Self::Members => Visibility::Direct,
        }
    }
}

/// What a publisher writes: a new resource, or the whole of one being changed.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceInput {
    /// Every language version, the primary one first.
    pub versions: Vec<Version>,
    pub link_url: Option<String>,
    /// Uploads (documents or images) of the publisher; read when a resource is created.
    pub media_ids: Vec<i64>,
    pub licence: Option<String>,
    pub category: Option<String>,
    pub folder_id: Option<i64>,
    pub access: Access,
}

impl ResourceInput {
    /// Everything that can be checked without the database (`has_files`: the resource has
    /// or gets files). Errors name the field.
    pub fn check(&mut self, has_files: bool) -> CoreResult<()> {
        if self.versions.is_empty() {
            return Err(CoreError::Invalid("title: required".into()));
        }
        crate::texts::check(&mut self.versions, "title")?;
        content::check_web_url("link_url", self.link_url.as_deref())?;
        if self.link_url.is_none() && !has_files {
            return Err(CoreError::Invalid(
                "link_url: a resource needs a link or files (media_ids)".into(),
            ));
        }
        if let Some(licence) = &mut self.licence {
            *licence = licence.trim().to_ascii_uppercase();
            if !LICENCES.iter().any(|(l, _)| l == licence) {
                let names: Vec<&str> = LICENCES.iter().map(|(l, _)| *l).collect();
                return Err(CoreError::Invalid(format!(
                    "licence: one of {}",
                    names.join(", ")
                )));
            }
        }
        if let Some(category) = &mut self.category {
            *category = category.trim().to_ascii_uppercase();
            if !CATEGORIES.contains(&category.as_str()) {
                return Err(CoreError::Invalid(format!(
                    "category: one of {}",
                    CATEGORIES.join(", ")
                )));
            }
        }
        Ok(())
    }
}

/// A resource with its post and language versions (primary first).
#[derive(Clone, Debug)]
pub struct Shared {
    pub post: Post,
    pub resource: Resource,
    pub texts: Vec<Text>,
}

/// Publishes a resource as `host`, written by `creator` (the host, or an admin or moderator
/// of the organisation `host`).
pub async fn create(
    ctx: &Context,
    creator: &Actor,
    host: &Actor,
    mut input: ResourceInput,
) -> CoreResult<Shared> {
    if !host.local {
        return Err(CoreError::Forbidden(
            "resources are published from here".into(),
        ));
    }
    organisations::check_publisher(ctx, creator, host).await?;
    input.check(!input.media_ids.is_empty())?;
    if let Some(folder) = input.folder_id {
        folders::of_host(ctx, host, folder).await?;
    }
    let id = ctx.ids.next();
    let ap_id = ctx.urls.new_resource();
    let at = now();
    let (content, tags) = compose(ctx, &input);
    let txn = ctx.db.begin().await?;
    let media = crate::media::for_new_post(&txn, creator, &input.media_ids).await?;
    let post = post_rows::ActiveModel {
        id: Set(id),
        ap_id: Set(ap_id.clone()),
        author_id: Set(host.id),
        url: Set(Some(ap_id)),
        content: Set(content),
        source: Set(Some(input.versions[0].description.clone())),
        summary: Set(None),
        sensitive: Set(false),
        language: Set(Some(input.versions[0].language.clone())),
        visibility: Set(input.access.post_visibility().as_str().to_owned()),
        in_reply_to_ap_id: Set(None),
        in_reply_to_id: Set(None),
        reblog_of_id: Set(None),
        local: Set(true),
        published_at: Set(at),
        edited_at: Set(None),
        deleted_at: Set(None),
        thread_id: Set(Some(id)),
    }
    .insert(&txn)
    .await?;
    let resource = resource_row(id, &input, at).insert(&txn).await?;
    let texts = crate::texts::replace(&txn, id, &input.versions).await?;
    pq::set_mentions_and_tags(&txn, id, &[], &tags).await?;
    crate::media::attach(&txn, media, id).await?;
    if input.access != Access::Members {
        outbox::record(&txn, host.id, &Intent::CreatePost { post_id: id }).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish([streaming::Event::Post(id)]);
    Ok(Shared {
        post,
        resource,
        texts,
    })
}

/// Changes a resource's texts, link, licence, category or folder (its files stay); whoever
/// received it gets an Update. Who may see it is fixed once shared, as for posts: narrowing
/// it could not take back copies already delivered, so it is refused with a pointer to
/// deleting and sharing again.
pub async fn update(
    ctx: &Context,
    by: &Actor,
    post_id: i64,
    mut input: ResourceInput,
) -> CoreResult<Shared> {
    let (shared, host) = managed(ctx, by, post_id).await?;
    if input.access.as_str() != shared.resource.visibility {
        return Err(CoreError::Invalid(
            "visibility: fixed once shared; delete the resource and share it again".into(),
        ));
    }
    let has_files = !crate::media::of_post(ctx, post_id).await?.is_empty();
    input.check(has_files)?;
    if let Some(folder) = input.folder_id {
        folders::of_host(ctx, &host, folder).await?;
    }
    let at = now();
    let (content, tags) = compose(ctx, &input);
    let txn = ctx.db.begin().await?;
    let mut row: post_rows::ActiveModel = shared.post.into();
    row.content = Set(content);
    row.source = Set(Some(input.versions[0].description.clone()));
    row.language = Set(Some(input.versions[0].language.clone()));
    row.visibility = Set(input.access.post_visibility().as_str().to_owned());
    row.edited_at = Set(Some(at));
    let post = row.update(&txn).await?;
    let resource = resource_row(post_id, &input, at)
        .reset_all()
        .update(&txn)
        .await?;
    let texts = crate::texts::replace(&txn, post_id, &input.versions).await?;
    pq::set_mentions_and_tags(&txn, post_id, &[], &tags).await?;
    if input.access != Access::Members {
        outbox::record(&txn, host.id, &Intent::UpdatePost { post_id }).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish([streaming::Event::Edited(post_id)]);
    Ok(Shared {
        post,
        resource,
        texts,
    })
}

/// Deletes a resource: its post becomes a tombstone and those who had it get a Delete.
pub async fn delete(ctx: &Context, by: &Actor, post_id: i64) -> CoreResult<()> {
    let (shared, host) = managed(ctx, by, post_id).await?;
    let txn = ctx.db.begin().await?;
    posts::tombstone(&txn, shared.post).await?;
    outbox::record(&txn, host.id, &Intent::DeletePost { post_id }).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish([streaming::Event::Deleted(post_id)]);
    Ok(())
}

/// A resource as `viewer` may see it, or NotFound (so a members-only resource's existence is
/// not revealed).
pub async fn get(ctx: &Context, viewer: Option<&Actor>, post_id: i64) -> CoreResult<Shared> {
    let shared = load(ctx, post_id).await?;
    if !can_view(ctx, viewer, &shared).await? {
        return Err(CoreError::NotFound);
    }
    Ok(shared)
}

/// The resources of `host` that `viewer` may see, newest first; in one folder, or at the top
/// when `folder_id` is None and `everywhere` is false.
pub async fn list(
    ctx: &Context,
    viewer: Option<&Actor>,
    host: &Actor,
    folder_id: Option<i64>,
    everywhere: bool,
    limit: u64,
) -> CoreResult<Vec<Shared>> {
    let mut posts_q = post_rows::Entity::find()
        .filter(post_rows::Column::AuthorId.eq(host.id))
        .filter(post_rows::Column::DeletedAt.is_null())
        .filter(
            post_rows::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(resources::Column::PostId)
                    .from(resources::Entity)
                    .to_owned(),
            ),
        );
    if !everywhere {
        let in_folder = sea_orm::sea_query::Query::select()
            .column(resources::Column::PostId)
            .from(resources::Entity)
            .and_where(match folder_id {
                Some(f) => resources::Column::FolderId.eq(f),
                None => resources::Column::FolderId.is_null(),
            })
            .to_owned();
        posts_q = posts_q.filter(post_rows::Column::Id.in_subquery(in_folder));
    }
    let found = posts_q
        .order_by_desc(post_rows::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?;
    // Whether the viewer is a member is asked once for the whole list.
    let insider = organisations::is_insider(ctx, host, viewer).await?;
    let mut out = Vec::with_capacity(found.len());
    for post in found {
        let shared = with_details(ctx, post).await?;
        if visible(ctx, viewer, &shared, insider).await? {
            out.push(shared);
        }
    }
    Ok(out)
}

/// The resource row and texts of posts that are resources (for rendering posts).
pub async fn of_post(
    db: &impl ConnectionTrait,
    post_id: i64,
) -> CoreResult<Option<(Resource, Vec<Text>)>> {
    let Some(resource) = resources::Entity::find_by_id(post_id).one(db).await? else {
        return Ok(None);
    };
    let texts = crate::texts::of_post(db, post_id).await?;
    Ok(Some((resource, texts)))
}

/// Whether `viewer` may see a resource. The host's members see all of it, followers-only
/// ones included, as they publish them.
pub async fn can_view(ctx: &Context, viewer: Option<&Actor>, shared: &Shared) -> CoreResult<bool> {
    let insider = match (viewer, Access::parse(&shared.resource.visibility)?) {
        (Some(_), Access::Members | Access::Followers) => {
            let host = crate::accounts::by_id(ctx, shared.post.author_id).await?;
            organisations::is_insider(ctx, &host, viewer).await?
        }
        _ => false,
    };
    visible(ctx, viewer, shared, insider).await
}

/// Whether `viewer` may see a resource, knowing whether they are one of its host's members.
async fn visible(
    ctx: &Context,
    viewer: Option<&Actor>,
    shared: &Shared,
    insider: bool,
) -> CoreResult<bool> {
    match Access::parse(&shared.resource.visibility)? {
        Access::Members => Ok(insider),
        Access::Followers if insider => Ok(true),
        _ => posts::can_view(ctx, viewer, &shared.post).await,
    }
}

/// A local resource `by` may manage, with its host.
pub async fn managed(ctx: &Context, by: &Actor, post_id: i64) -> CoreResult<(Shared, Actor)> {
    let shared = load(ctx, post_id).await?;
    if !shared.post.local {
        return Err(CoreError::Forbidden(
            "this resource is managed on its own server".into(),
        ));
    }
    let host = crate::accounts::by_id(ctx, shared.post.author_id).await?;
    organisations::check_publisher(ctx, by, &host).await?;
    Ok((shared, host))
}

/// The input that would leave a resource as it is: the API merges a client's changes into it.
pub fn input_of(shared: &Shared) -> ResourceInput {
    ResourceInput {
        versions: crate::texts::versions_of(&shared.texts),
        link_url: shared.resource.link_url.clone(),
        media_ids: Vec::new(),
        licence: shared.resource.licence.clone(),
        category: shared.resource.category.clone(),
        folder_id: shared.resource.folder_id,
        access: Access::parse(&shared.resource.visibility).unwrap_or(Access::Members),
    }
}

async fn load(ctx: &Context, post_id: i64) -> CoreResult<Shared> {
    let post = posts::by_id(ctx, post_id).await?;
    if post.deleted_at.is_some() {
        return Err(CoreError::NotFound);
    }
    with_details(ctx, post).await
}

async fn with_details(ctx: &Context, post: Post) -> CoreResult<Shared> {
    let (resource, texts) = of_post(&ctx.db, post.id).await?.or_not_found()?;
    Ok(Shared {
        post,
        resource,
        texts,
    })
}

fn resource_row(post_id: i64, input: &ResourceInput, at: Timestamp) -> resources::ActiveModel {
    resources::ActiveModel {
        post_id: Set(post_id),
        folder_id: Set(input.folder_id),
        link_url: Set(input.link_url.clone()),
        licence: Set(input.licence.clone()),
        category: Set(input.category.clone()),
        visibility: Set(input.access.as_str().to_owned()),
        updated_at: Set(at),
    }
}

/// The post text of a resource in its primary language: the title, then [`body_html`], which
/// is all a microblog client shows; and its hashtags.
fn compose(ctx: &Context, input: &ResourceInput) -> (String, Vec<String>) {
    let primary = &input.versions[0];
    let mut html = format!(
        "<p><strong>{}</strong></p>",
        content::escape(&primary.title)
    );
    html.push_str(&body_html(
        ctx,
        &primary.description,
        input.link_url.as_deref(),
        input.licence.as_deref(),
    ));
    if input.versions.len() > 1 {
        let others: Vec<&str> = input.versions[1..]
            .iter()
            .map(|v| v.language.as_str())
            .collect();
        html.push_str(&format!("<p>+ {}</p>", others.join(", ")));
    }
    (html, content::hashtags_in(&primary.description))
}

/// One language version's description as HTML, with the link and the licence.
pub fn body_html(
    ctx: &Context,
    description: &str,
    link: Option<&str>,
    licence: Option<&str>,
) -> String {
    let mut html = content::render_plain(description, &[], &ctx.urls.tag(""));
    if let Some(link) = link {
        let link = content::escape(link);
        html.push_str(&format!("<p><a href=\"{link}\">{link}</a></p>"));
    }
    if let Some(licence) = licence {
        html.push_str(&format!("<p>{}</p>", content::escape(licence)));
    }
    html
}
