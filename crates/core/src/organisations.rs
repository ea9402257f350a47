//! Organisations and cities: local `Group` actors run by members with roles. Admins manage
//! members and roles; admins and moderators publish events and resources as the organisation
//! and manage who attends; every member may see members-only resources. Who the members are
//! is shown to the members themselves, and to everyone only when the organisation chooses
//! (`members_public`): for migrant-led organisations, membership can be sensitive.

use crate::{
    Actor, Context,
    accounts::{self, ActorKind, NewAccount, Role},
    error::{CoreError, CoreResult},
    outbox::{self, Intent},
};
use passage_db::{
    entities::{actors, organisation_members as om},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::OnConflict,
};

pub type Membership = om::Model;

/// Creates an organisation actor; `founder`, when given, becomes its first admin.
pub async fn create(
    ctx: &Context,
    username: &str,
    display_name: &str,
    summary: &str,
    founder: Option<&Actor>,
) -> CoreResult<Actor> {
    let mut new = NewAccount::person(username);
    new.kind = ActorKind::Group;
    new.display_name = display_name.to_owned();
    // Given as the admin typed it (the CLI): kept as safe HTML, like every other summary.
    new.summary = crate::content::sanitize(summary);
    let org = accounts::create(ctx, new).await?;
    if let Some(founder) = founder {
        put_member(ctx, &org, founder, Role::Admin).await?;
    }
    Ok(org)
}

/// A local organisation by username.
pub async fn local(ctx: &Context, username: &str) -> CoreResult<Actor> {
    let org = accounts::local_by_username(ctx, username).await?;
    if org.kind != ActorKind::Group.as_str() {
        return Err(CoreError::NotFound);
    }
    Ok(org)
}

/// The role `member` holds in `org`, if any.
pub async fn role_of(ctx: &Context, org: &Actor, member: &Actor) -> CoreResult<Option<Role>> {
    om::Entity::find_by_id((org.id, member.id))
        .one(&ctx.db)
        .await?
        .map(|m| Role::parse(&m.role))
        .transpose()
}

/// True when `actor` may publish as `host` and manage what it published: `host` itself (a
/// member posting on their own behalf), or an admin or moderator of the organisation `host`.
pub async fn can_publish_as(ctx: &Context, actor: &Actor, host: &Actor) -> CoreResult<bool> {
    if actor.id == host.id {
        return Ok(true);
    }
    Ok(matches!(
        role_of(ctx, host, actor).await?,
        Some(Role::Admin | Role::Moderator)
    ))
}

/// Fails unless `actor` may publish as `host` (see [`can_publish_as`]).
pub async fn check_publisher(ctx: &Context, actor: &Actor, host: &Actor) -> CoreResult<()> {
    if can_publish_as(ctx, actor, host).await? {
        Ok(())
    } else {
        Err(CoreError::Forbidden(format!(
            "only admins and moderators of {} publish as it",
            host.username
        )))
    }
}

/// Adds a member or changes their role. `by` must be an admin of the organisation; `None` is
/// the instance's own administration (the CLI).
pub async fn set_member(
    ctx: &Context,
    by: Option<&Actor>,
    org: &Actor,
    member: &Actor,
    role: Role,
) -> CoreResult<()> {
    check_admin(ctx, by, org).await?;
    if !member.local || member.kind != ActorKind::Person.as_str() {
        return Err(CoreError::Invalid(
            "members are people with an account on this instance".into(),
        ));
    }
    if let Some(by) = by
        && by.id == member.id
        && role != Role::Admin
    {
        keep_an_admin(ctx, org, member).await?;
    }
    put_member(ctx, org, member, role).await
}

/// Removes a member; the last admin cannot leave the organisation without one.
pub async fn remove_member(
    ctx: &Context,
    by: Option<&Actor>,
    org: &Actor,
    member: &Actor,
) -> CoreResult<()> {
    if by.is_none_or(|by| by.id != member.id) {
        check_admin(ctx, by, org).await?;
    }
    keep_an_admin(ctx, org, member).await?;
    om::Entity::delete_by_id((org.id, member.id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// The members with their roles, oldest first. Visible to the organisation's members, and to
/// everyone when it has made the list public.
pub async fn members(
    ctx: &Context,
    viewer: Option<&Actor>,
    org: &Actor,
) -> CoreResult<Vec<(Actor, Role)>> {
    let is_member = match viewer {
        Some(viewer) => role_of(ctx, org, viewer).await?.is_some(),
        None => false,
    };
    if !org.members_public && !is_member {
        return Err(CoreError::Forbidden(
            "this organisation's members are not public".into(),
        ));
    }
    let rows = om::Entity::find()
        .filter(om::Column::OrganisationId.eq(org.id))
        .order_by_asc(om::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    with_actors(ctx, rows, |m| m.member_id).await
}

/// The organisations `member` belongs to, with their role in each.
pub async fn of_member(ctx: &Context, member: &Actor) -> CoreResult<Vec<(Actor, Role)>> {
    let rows = om::Entity::find()
        .filter(om::Column::MemberId.eq(member.id))
        .order_by_asc(om::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    with_actors(ctx, rows, |m| m.organisation_id).await
}

/// Memberships with the actor `side` names, loaded in one query, in the rows' order.
async fn with_actors(
    ctx: &Context,
    rows: Vec<Membership>,
    side: impl Fn(&Membership) -> i64,
) -> CoreResult<Vec<(Actor, Role)>> {
    let ids: Vec<i64> = rows.iter().map(&side).collect();
    let actors = passage_db::queries::actors::by_ids(&ctx.db, &ids).await?;
    rows.iter()
        .filter_map(|m| {
            let actor = actors.iter().find(|a| a.id == side(m))?.clone();
            Some(Role::parse(&m.role).map(|role| (actor, role)))
        })
        .collect()
}

/// Whether anyone may see the member list.
pub async fn set_members_public(
    ctx: &Context,
    by: Option<&Actor>,
    org: &Actor,
    public: bool,
) -> CoreResult<Actor> {
    check_admin(ctx, by, org).await?;
    let mut row: actors::ActiveModel = org.clone().into();
    row.members_public = Set(public);
    row.updated_at = Set(now());
    Ok(row.update(&ctx.db).await?)
}

/// Fails unless `by` is an admin of the local organisation `org` (`None`: the instance's own
/// administration, the CLI).
pub async fn check_admin(ctx: &Context, by: Option<&Actor>, org: &Actor) -> CoreResult<()> {
    if org.kind != ActorKind::Group.as_str() || !org.local {
        return Err(CoreError::NotFound);
    }
    match by {
        None => Ok(()),
        Some(by) if role_of(ctx, org, by).await? == Some(Role::Admin) => Ok(()),
        Some(_) => Err(CoreError::Forbidden(
            "only the organisation's admins manage its members".into(),
        )),
    }
}

/// Fails when `leaving` is the organisation's only admin.
async fn keep_an_admin(ctx: &Context, org: &Actor, leaving: &Actor) -> CoreResult<()> {
    let admins = om::Entity::find()
        .filter(om::Column::OrganisationId.eq(org.id))
        .filter(om::Column::Role.eq(Role::Admin.as_str()))
        .all(&ctx.db)
        .await?;
    if admins.len() == 1 && admins[0].member_id == leaving.id {
        return Err(CoreError::Conflict(
            "an organisation needs at least one admin; name another first".into(),
        ));
    }
    Ok(())
}

async fn put_member(ctx: &Context, org: &Actor, member: &Actor, role: Role) -> CoreResult<()> {
    om::Entity::insert(om::ActiveModel {
        organisation_id: Set(org.id),
        member_id: Set(member.id),
        role: Set(role.as_str().to_owned()),
        created_at: Set(now()),
    })
    .on_conflict(
        OnConflict::columns([om::Column::OrganisationId, om::Column::MemberId])
            .update_column(om::Column::Role)
            .to_owned(),
    )
    .exec(&ctx.db)
    .await?;
    Ok(())
}

/// Whether `viewer` sees what `org` keeps for its members: the organisation itself and its
/// members (of any role).
pub async fn is_insider(ctx: &Context, org: &Actor, viewer: Option<&Actor>) -> CoreResult<bool> {
    match viewer {
        Some(v) if v.id == org.id => Ok(true),
        Some(v) => Ok(role_of(ctx, org, v).await?.is_some()),
        None => Ok(false),
    }
}

/// FEP-1b12's group sharing: a member's public post addressed to their organisation (with a
/// mention, as Mastodon users write to groups) is shared by the organisation with all its
/// followers, as an `Announce` of the post, which Mastodon shows as a boost, Lemmy and
/// Friendica as a group post, and Passage as both. One Announce per post, whoever receives it.
///
/// Not shared: replies (they stay in their thread), followers-only and direct posts (sharing
/// would widen their audience), and posts by non-members, so an organisation is never an
/// open relay for spam waves. Members have accounts here, so only local posts are shared.
pub async fn share_addressed(ctx: &Context, post: &crate::Post, mentioned: &[i64]) {
    if let Err(e) = share(ctx, post, mentioned).await {
        tracing::warn!(post = post.id, error = %e, "an organisation could not share a post");
    }
}

async fn share(ctx: &Context, post: &crate::Post, mentioned: &[i64]) -> CoreResult<()> {
    let visibility = crate::visibility::Visibility::parse(&post.visibility)?;
    if post.in_reply_to_ap_id.is_some() || !visibility.is_public() || mentioned.is_empty() {
        return Ok(());
    }
    let mut author = None;
    for id in mentioned {
        let org = accounts::by_id(ctx, *id).await?;
        if !org.local || org.kind != ActorKind::Group.as_str() || org.id == post.author_id {
            continue;
        }
        if author.is_none() {
            author = Some(accounts::by_id(ctx, post.author_id).await?);
        }
        if let Some(author) = &author
            && role_of(ctx, &org, author).await?.is_some()
        {
            crate::reactions::boost(ctx, &org, post).await?;
        }
    }
    Ok(())
}

/// How many members an organisation has, and how many of them are admins or moderators: the
/// counts are public (Mobilizon shows `memberCount`), the people only as [`members`] allows.
pub async fn counts(ctx: &Context, org: &Actor) -> CoreResult<(u64, u64)> {
    use sea_orm::PaginatorTrait;
    let all = om::Entity::find()
        .filter(om::Column::OrganisationId.eq(org.id))
        .count(&ctx.db)
        .await?;
    let moderators = om::Entity::find()
        .filter(om::Column::OrganisationId.eq(org.id))
        .filter(om::Column::Role.is_in([Role::Admin.as_str(), Role::Moderator.as_str()]))
        .count(&ctx.db)
        .await?;
    Ok((all, moderators))
}

/// A `Join` of the organisation from another server (Mobilizon asks for membership this way)
/// is turned down with a `Reject`: an organisation chooses its members here, and members-only
/// resources never leave the instance, so a remote membership could give nothing. Following
/// is how people elsewhere hear from it.
pub async fn refuse_join(
    ctx: &Context,
    org: &Actor,
    person: &Actor,
    join_ap_id: &str,
) -> CoreResult<()> {
    if !org.local || org.kind != ActorKind::Group.as_str() {
        return Err(CoreError::NotFound);
    }
    let intent = Intent::RefuseMembership {
        person_id: person.id,
        join_ap_id: join_ap_id.to_owned(),
    };
    outbox::record(&ctx.db, org.id, &intent).await?;
    outbox::notify(ctx);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::context;

    #[tokio::test]
    async fn a_summary_typed_by_an_admin_is_kept_as_safe_html() {
        let ctx = context().await;
        let summary = "<p>City of <b>Ripollet</b></p><script>alert(1)</script>\
                       <a href=\"javascript:alert(2)\">x</a>";
        let org = super::create(&ctx, "ripollet", "Ripollet", summary, None)
            .await
            .unwrap();
        assert!(org.summary.contains("<b>Ripollet</b>"), "{}", org.summary);
        assert!(!org.summary.contains("script"), "{}", org.summary);
        assert!(!org.summary.contains("javascript:"), "{}", org.summary);
    }
}
