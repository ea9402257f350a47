//! Accounts: the caller's own (credentials, profile with pictures and fields, preferences), others' profiles and posts,
//! followers and following, relationships, lookup and search, follow and unfollow, and follow
//! requests.

use super::{account, accounts, id, keyed_account_page, status_page};
use crate::{
    ApiError, ApiResult, ApiState,
    auth::{Auth, User},
    entities::{self, Relationship, relationship_from},
    pagination::{PageParams, Paged},
    params::{Params, WithFiles, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::Uri,
    routing::{delete, get, patch, post},
};
use passage_core::{
    Actor, accounts as core_accounts, blocks, follows, profile, relationships, timelines, views,
    visibility::Visibility,
};
use passage_db::queries::posts::AuthorFilter;
use serde::Deserialize;
use serde_json::{Value, json};

/// Routes that take pictures: their bodies may be as large as an upload.
pub fn upload_routes() -> Router<ApiState> {
    use profile::Picture;
    Router::new()
        .route(
            "/api/v1/accounts/update_credentials",
            patch(update_credentials),
        )
        .route(
            "/api/v1/profile/avatar",
            delete(|State(s): State<ApiState>, user: User| {
                remove_picture(s, user, Picture::Avatar)
            }),
        )
        .route(
            "/api/v1/profile/header",
            delete(|State(s): State<ApiState>, user: User| {
                remove_picture(s, user, Picture::Header)
            }),
        )
}

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route(
            "/api/v1/accounts/verify_credentials",
            get(verify_credentials),
        )
        .route("/api/v1/accounts", post(register))
        .route("/api/v1/accounts/relationships", get(relationships_of))
        .route("/api/v1/accounts/lookup", get(lookup))
        .route("/api/v1/accounts/search", get(search))
        .route("/api/v1/accounts/{id}", get(show))
        .route("/api/v1/accounts/{id}/statuses", get(statuses))
        .route("/api/v1/accounts/{id}/followers", get(followers))
        .route("/api/v1/accounts/{id}/following", get(following))
        .route("/api/v1/accounts/{id}/follow", post(follow))
        .route("/api/v1/accounts/{id}/unfollow", post(unfollow))
        .route(
            "/api/v1/accounts/{id}/remove_from_followers",
            post(remove_follower),
        )
        .route("/api/v1/accounts/{id}/block", post(block))
        .route("/api/v1/accounts/{id}/unblock", post(unblock))
        .route("/api/v1/accounts/{id}/mute", post(mute))
        .route("/api/v1/accounts/{id}/unmute", post(unmute))
        .route("/api/v1/blocks", get(blocked))
        .route("/api/v1/mutes", get(muted))
        .route("/api/v1/preferences", get(preferences))
        .route("/api/v1/follow_requests", get(follow_requests))
        .route("/api/v1/follow_requests/{id}/authorize", post(authorize))
        .route("/api/v1/follow_requests/{id}/reject", post(reject))
}

#[derive(Deserialize)]
struct RegistrationForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default, deserialize_with = "de::bool")]
    agreement: bool,
    reason: Option<String>,
    /// Mastodon 4.3's way in with an invitation.
    invite_code: Option<String>,
}

/// Sign-up from an app, with the app's own token (client credentials). Answers with a token
/// for the new account; under approval that token works once an admin approves.
async fn register(
    State(state): State<ApiState>,
    Auth(grant): Auth,
    Params(form): Params<RegistrationForm>,
) -> ApiResult<Json<Value>> {
    let grant = grant.ok_or_else(ApiError::unauthorized)?;
    if !grant.scopes.allows("write:accounts") {
        return Err(ApiError::missing_scope("write:accounts"));
    }
    let actor = core_accounts::register(
        &state.ctx,
        core_accounts::Registration {
            username: form.username,
            email: form.email,
            password: form.password,
            agreement: form.agreement,
            reason: form.reason,
            invite_code: form.invite_code,
        },
    )
    .await?;
    let scopes = passage_core::oauth::app_scopes(&grant.app);
    let token =
        passage_core::oauth::token_for_new_account(&state.ctx, &grant.app, &actor, scopes).await?;
    Ok(Json(json!({
        "access_token": token.access_token,
        "token_type": "Bearer",
        "scope": token.scopes.to_string(),
        "created_at": token.created_at,
    })))
}

pub(super) async fn credentials(
    state: &ApiState,
    actor: Actor,
) -> ApiResult<Json<entities::CredentialAccount>> {
    let settings = core_accounts::settings(&state.ctx, &actor).await?;
    let pending = follows::count_requests(&state.ctx, &actor).await?;
    let view = views::account(&state.ctx, actor).await?;
    Ok(Json(entities::credential_account_from(
        &state.ctx, &view, &settings, pending,
    )))
}

async fn verify_credentials(
    State(state): State<ApiState>,
    user: User,
) -> ApiResult<Json<entities::CredentialAccount>> {
    // A frozen login still learns who it is, so apps can show the account its warnings.
    let actor = user.require_even_frozen("read:accounts")?.clone();
    credentials(&state, actor).await
}

#[derive(Deserialize)]
struct ProfileForm {
    display_name: Option<String>,
    note: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    locked: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    bot: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    discoverable: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    hide_collections: Option<bool>,
    #[serde(default)]
    source: SourceForm,
    #[serde(default, deserialize_with = "de::opt_items")]
    fields_attributes: Option<Vec<FieldForm>>,
}

#[derive(Deserialize)]
struct FieldForm {
    #[serde(default, deserialize_with = "de::opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    value: Option<String>,
}

#[derive(Default, Deserialize)]
struct SourceForm {
    privacy: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    sensitive: Option<bool>,
    language: Option<String>,
}

async fn update_credentials(
    State(state): State<ApiState>,
    user: User,
    WithFiles(form, mut files): WithFiles<ProfileForm>,
) -> ApiResult<Json<entities::CredentialAccount>> {
    let actor = user.require("write:accounts")?;
    let default_visibility = match form.source.privacy.as_deref() {
        Some(p) => Some(Visibility::parse(p).map_err(|_| {
            ApiError::invalid(format!("source[privacy]: unknown visibility {p:?}"))
        })?),
        None => None,
    };
    let update = profile::ProfileUpdate {
        display_name: form.display_name,
        note: form.note,
        locked: form.locked,
        bot: form.bot,
        avatar: files.take("avatar"),
        header: files.take("header"),
        fields: form.fields_attributes.map(|fields| {
            fields
                .into_iter()
                .map(|f| (f.name.unwrap_or_default(), f.value.unwrap_or_default()))
                .collect()
        }),
        default_visibility,
        default_sensitive: form.source.sensitive,
        default_language: form.source.language,
        discoverable: form.discoverable,
        show_network: form.hide_collections.map(|hide| !hide),
    };
    let actor = profile::update(&state.ctx, actor, update).await?;
    credentials(&state, actor).await
}

/// `DELETE /api/v1/profile/avatar` and `/header`: back to the default picture.
async fn remove_picture(
    state: ApiState,
    user: User,
    picture: profile::Picture,
) -> ApiResult<Json<entities::CredentialAccount>> {
    let actor = user.require("write:accounts")?;
    let actor = profile::remove_picture(&state.ctx, actor, picture).await?;
    credentials(&state, actor).await
}

async fn preferences(State(state): State<ApiState>, user: User) -> ApiResult<Json<Value>> {
    let actor = user.require("read:accounts")?;
    let s = core_accounts::settings(&state.ctx, actor).await?;
    Ok(Json(json!({
        "posting:default:visibility": s.default_visibility.as_str(),
        "posting:default:sensitive": s.default_sensitive,
        "posting:default:language": s.default_language,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
    })))
}

pub(super) async fn target(state: &ApiState, raw: &str) -> ApiResult<Actor> {
    Ok(core_accounts::by_id(&state.ctx, id(raw)?).await?)
}

async fn show(
    State(state): State<ApiState>,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::Account>> {
    let actor = target(&state, &raw).await?;
    Ok(Json(account(&state, actor).await?))
}

#[derive(Deserialize)]
struct StatusFilter {
    #[serde(default, deserialize_with = "de::bool")]
    exclude_replies: bool,
    #[serde(default, deserialize_with = "de::bool")]
    exclude_reblogs: bool,
    #[serde(default, deserialize_with = "de::bool")]
    only_media: bool,
    #[serde(default, deserialize_with = "de::bool")]
    pinned: bool,
    #[serde(flatten)]
    page: PageParams,
}

async fn statuses(
    State(state): State<ApiState>,
    auth: Auth,
    uri: Uri,
    Path(raw): Path<String>,
    Params(f): Params<StatusFilter>,
) -> ApiResult<Paged<entities::Status>> {
    let viewer = auth.viewer("read:statuses")?;
    let author = target(&state, &raw).await?;
    if f.pinned {
        // Five at most: one page, no Link header needed.
        let pinned = passage_core::pins::of(&state.ctx, viewer, &author).await?;
        return Ok(Paged {
            body: super::statuses(&state, viewer, pinned, Some("account")).await?,
            link: None,
        });
    }
    let filter = AuthorFilter {
        exclude_replies: f.exclude_replies,
        exclude_reblogs: f.exclude_reblogs,
        only_media: f.only_media,
    };
    let posts = timelines::by_author(&state.ctx, viewer, &author, &filter, f.page.page()).await?;
    status_page(&state, viewer, &uri, posts, "account").await
}

async fn followers(
    State(state): State<ApiState>,
    auth: Auth,
    uri: Uri,
    Path(raw): Path<String>,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Account>> {
    follow_list(state, auth, uri, raw, page, true).await
}

async fn following(
    State(state): State<ApiState>,
    auth: Auth,
    uri: Uri,
    Path(raw): Path<String>,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Account>> {
    follow_list(state, auth, uri, raw, page, false).await
}

/// Followers and following of local accounts, to whom `core` lets see them. Remote
/// accounts' lists are not ours to show, so they answer empty.
async fn follow_list(
    state: ApiState,
    auth: Auth,
    uri: Uri,
    raw: String,
    page: PageParams,
    followers: bool,
) -> ApiResult<Paged<entities::Account>> {
    let viewer = auth.viewer("read:accounts")?;
    let actor = target(&state, &raw).await?;
    let rows = if actor.local {
        follows::list(&state.ctx, viewer, &actor, followers, page.page()).await?
    } else {
        Vec::new()
    };
    keyed_account_page(&state, &uri, rows).await
}

#[derive(Deserialize)]
struct Ids {
    #[serde(default, deserialize_with = "de::list")]
    id: Vec<String>,
}

async fn relationships_of(
    State(state): State<ApiState>,
    user: User,
    Params(ids): Params<Ids>,
) -> ApiResult<Json<Vec<Relationship>>> {
    let actor = user.require("read:follows")?;
    let ids: Vec<i64> = ids.id.iter().filter_map(|s| s.parse().ok()).collect();
    let list = relationships::with(&state.ctx, actor, &ids).await?;
    Ok(Json(list.iter().map(relationship_from).collect()))
}

#[derive(Deserialize)]
struct Lookup {
    acct: String,
}

/// `acct` is `user` for a local account or `user@domain`; only known accounts are found
/// (searching with `resolve=true` fetches unknown ones).
async fn lookup(
    State(state): State<ApiState>,
    Params(q): Params<Lookup>,
) -> ApiResult<Json<entities::Account>> {
    let acct = q.acct.trim().trim_start_matches('@');
    let actor = match acct.split_once('@') {
        Some((user, domain)) if !domain.eq_ignore_ascii_case(state.ctx.domain()) => {
            core_accounts::remote_by_handle(&state.ctx, user, domain).await?
        }
        Some((user, _)) => Some(core_accounts::local_by_username(&state.ctx, user).await?),
        None => Some(core_accounts::local_by_username(&state.ctx, acct).await?),
    };
    let actor = actor.ok_or_else(ApiError::not_found)?;
    Ok(Json(account(&state, actor).await?))
}

#[derive(Deserialize)]
struct AccountSearch {
    q: String,
    #[serde(default, deserialize_with = "de::bool")]
    resolve: bool,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
}

async fn search(
    State(state): State<ApiState>,
    auth: Auth,
    Params(q): Params<AccountSearch>,
) -> ApiResult<Json<Vec<entities::Account>>> {
    let limit = q.limit.unwrap_or(40).clamp(1, 80) as u64;
    let member = auth.viewer("read:accounts")?.is_some();
    let found = super::search::find_accounts(&state, member && q.resolve, &q.q, limit).await?;
    Ok(Json(accounts(&state, found).await?))
}

async fn relationship(
    state: &ApiState,
    viewer: &Actor,
    target_id: i64,
) -> ApiResult<Json<Relationship>> {
    let r = relationships::one(&state.ctx, viewer, target_id).await?;
    Ok(Json(relationship_from(&r)))
}

/// Runs `action` between the caller and the account at `raw` (with the `write:follows`
/// scope) and answers with their relationship after it.
async fn act(
    state: &ApiState,
    user: &User,
    raw: &str,
    action: impl AsyncFnOnce(&passage_core::Context, &Actor, &Actor) -> passage_core::CoreResult<()>,
) -> ApiResult<Json<Relationship>> {
    act_with(state, user, raw, "write:follows", action).await
}

/// [`act`] with another scope.
async fn act_with(
    state: &ApiState,
    user: &User,
    raw: &str,
    scope: &str,
    action: impl AsyncFnOnce(&passage_core::Context, &Actor, &Actor) -> passage_core::CoreResult<()>,
) -> ApiResult<Json<Relationship>> {
    let viewer = user.require(scope)?;
    let other = target(state, raw).await?;
    action(&state.ctx, viewer, &other).await?;
    relationship(state, viewer, other.id).await
}

async fn follow(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Relationship>> {
    act(&state, &user, &raw, async |ctx, me, them| {
        follows::request(ctx, me, them).await.map(drop)
    })
    .await
}

async fn unfollow(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Relationship>> {
    act(&state, &user, &raw, follows::unfollow).await
}

/// Removing someone who does not follow is not an error.
async fn remove_follower(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Relationship>> {
    act(
        &state,
        &user,
        &raw,
        async |ctx, me, them| match follows::reject(ctx, me, them).await {
            Err(passage_core::CoreError::NotFound) => Ok(()),
            other => other,
        },
    )
    .await
}

async fn authorize(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Relationship>> {
    act(&state, &user, &raw, async |ctx, me, them| {
        follows::accept(ctx, me, them).await.map(drop)
    })
    .await
}

async fn reject(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Relationship>> {
    act(&state, &user, &raw, follows::reject).await
}

async fn follow_requests(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Account>> {
    let actor = user.require("read:follows")?;
    let rows = follows::requests(&state.ctx, actor, page.page()).await?;
    keyed_account_page(&state, &uri, rows).await
}

async fn block(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Relationship>> {
    act_with(&state, &user, &raw, "write:blocks", blocks::block).await
}

async fn unblock(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Relationship>> {
    act_with(&state, &user, &raw, "write:blocks", blocks::unblock).await
}

#[derive(Deserialize)]
struct MuteForm {
    #[serde(default, deserialize_with = "de::opt_bool")]
    notifications: Option<bool>,
}

async fn mute(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<MuteForm>,
) -> ApiResult<Json<Relationship>> {
    let notifications = form.notifications.unwrap_or(true);
    act_with(&state, &user, &raw, "write:mutes", async |ctx, me, them| {
        blocks::mute(ctx, me, them, notifications).await
    })
    .await
}

async fn unmute(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Relationship>> {
    act_with(&state, &user, &raw, "write:mutes", blocks::unmute).await
}

async fn blocked(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Account>> {
    let viewer = user.require("read:blocks")?;
    let rows = blocks::list(&state.ctx, viewer, false, page.page()).await?;
    keyed_account_page(&state, &uri, rows).await
}

async fn muted(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Account>> {
    let viewer = user.require("read:mutes")?;
    let rows = blocks::list(&state.ctx, viewer, true, page.page()).await?;
    keyed_account_page(&state, &uri, rows).await
}
