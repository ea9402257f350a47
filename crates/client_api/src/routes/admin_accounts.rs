//! Mastodon's admin API for accounts: list and search them (v1 and v2 filters), read one
//! (`Admin::Account`), act on it (`none`, `disable`, `sensitive`, `silence`, `suspend`, with
//! Passage's `expires_in`) and lift each action. For admins and moderators.

use super::{account, id};
use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities::time,
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use passage_core::{
    Actor, accounts,
    moderation::{
        By,
        accounts::{self as actions, AccountQuery, ActionInput, Kind, Origin, Standing},
    },
};
use passage_db::entities::users;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/admin/accounts", get(list_v1))
        .route("/api/v2/admin/accounts", get(list_v2))
        .route("/api/v1/admin/accounts/{id}", get(show))
        .route("/api/v1/admin/accounts/{id}/action", post(act))
        .route("/api/v1/admin/accounts/{id}/enable", post(enable))
        .route("/api/v1/admin/accounts/{id}/unsensitive", post(unsensitive))
        .route("/api/v1/admin/accounts/{id}/unsilence", post(unsilence))
        .route("/api/v1/admin/accounts/{id}/unsuspend", post(unsuspend))
}

/// Mastodon's `Admin::Account`, with the login's details for local accounts. `login` is the
/// account's login when the caller has it at hand; otherwise it is looked up.
pub(super) async fn admin_account(state: &ApiState, actor: Actor) -> ApiResult<Value> {
    let login = actions::login_of(&state.ctx, By::Operator, &actor).await?;
    admin_account_with(state, actor, login).await
}

async fn admin_account_with(
    state: &ApiState,
    actor: Actor,
    login: Option<users::Model>,
) -> ApiResult<Value> {
    let role = login.as_ref().map(|u| {
        json!({"name": u.role, "permissions": if u.role == "member" { "0" } else { "1" },
               "highlighted": u.role != "member"})
    });
    Ok(json!({
        "id": actor.id.to_string(),
        "username": actor.username,
        "domain": (!actor.local).then(|| actor.domain.clone()),
        "created_at": time(&actor.created_at),
        "email": login.as_ref().map(|u| u.email.clone()),
        // Passage keeps no IP addresses of its members.
        "ip": Value::Null,
        "ips": [],
        "locale": login.as_ref().and_then(|u| u.default_language.clone()),
        "invite_request": login.as_ref().and_then(|u| u.registration_reason.clone()),
        "role": role,
        "confirmed": login.as_ref().is_some_and(|u| u.confirmed),
        "approved": login.as_ref().is_none_or(|u| u.approved),
        "disabled": login.as_ref().is_some_and(|u| u.disabled),
        "silenced": actor.silenced_at.is_some(),
        "suspended": actor.suspended_at.is_some(),
        "sensitized": actor.sensitized_at.is_some(),
        "account": account(state, actor).await?,
    }))
}

/// Mastodon's v1 filters (booleans) and v2 filters (`origin`, `status`, `permissions`).
#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default, deserialize_with = "de::opt_bool")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    remote: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    active: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pending: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    disabled: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    sensitized: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    silenced: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    suspended: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    staff: Option<bool>,
    origin: Option<String>,
    status: Option<String>,
    permissions: Option<String>,
    username: Option<String>,
    display_name: Option<String>,
    by_domain: Option<String>,
    email: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    max_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    since_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
}

impl ListQuery {
    fn base(&self) -> AccountQuery {
        AccountQuery {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            by_domain: self.by_domain.clone(),
            email: self.email.clone(),
            max_id: self.max_id,
            since_id: self.since_id,
            limit: self.limit.unwrap_or(100).clamp(1, 200) as u64,
            ..AccountQuery::default()
        }
    }

    fn v1(&self) -> AccountQuery {
        let on = |flag: Option<bool>| flag == Some(true);
        let origin = match (on(self.local), on(self.remote)) {
            (true, false) => Some(Origin::Local),
            (false, true) => Some(Origin::Remote),
            _ => None,
        };
        let standing = [
            (self.active, Standing::Active),
            (self.pending, Standing::Pending),
            (self.disabled, Standing::Disabled),
            (self.sensitized, Standing::Sensitized),
            (self.silenced, Standing::Silenced),
            (self.suspended, Standing::Suspended),
        ]
        .into_iter()
        .find(|(flag, _)| on(*flag))
        .map(|(_, s)| s);
        AccountQuery {
            origin,
            standing,
            staff: on(self.staff),
            ..self.base()
        }
    }

    fn v2(&self) -> ApiResult<AccountQuery> {
        let origin = match self.origin.as_deref() {
            None | Some("") => None,
            Some("local") => Some(Origin::Local),
            Some("remote") => Some(Origin::Remote),
            Some(other) => {
                return Err(ApiError::invalid(format!(
                    "origin: {other:?} is not local or remote"
                )));
            }
        };
        let standing = match self.status.as_deref() {
            None | Some("") => None,
            Some("active") => Some(Standing::Active),
            Some("pending") => Some(Standing::Pending),
            Some("disabled") => Some(Standing::Disabled),
            Some("silenced") => Some(Standing::Silenced),
            Some("suspended") => Some(Standing::Suspended),
            Some(other) => {
                return Err(ApiError::invalid(format!(
                    "status: {other:?} is not active, pending, disabled, silenced or suspended"
                )));
            }
        };
        Ok(AccountQuery {
            origin,
            standing,
            staff: self.permissions.as_deref() == Some("staff"),
            ..self.base()
        })
    }
}

async fn listed(state: &ApiState, me: &Actor, q: AccountQuery) -> ApiResult<Json<Vec<Value>>> {
    let found = actions::search(&state.ctx, By::Staff(me), &q).await?;
    let mut out = Vec::with_capacity(found.len());
    for (actor, login) in found {
        out.push(admin_account_with(state, actor, login).await?);
    }
    Ok(Json(out))
}

async fn list_v1(
    State(state): State<ApiState>,
    user: User,
    Params(q): Params<ListQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_staff(&state, "admin:read:accounts").await?;
    listed(&state, me, q.v1()).await
}

async fn list_v2(
    State(state): State<ApiState>,
    user: User,
    Params(q): Params<ListQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_staff(&state, "admin:read:accounts").await?;
    listed(&state, me, q.v2()?).await
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(account_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:read:accounts").await?;
    let target = accounts::by_id(&state.ctx, id(&account_id)?).await?;
    let login = actions::login_of(&state.ctx, By::Staff(me), &target).await?;
    Ok(Json(admin_account_with(&state, target, login).await?))
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(rename = "type")]
    kind: Option<String>,
    text: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    report_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    send_email_notification: Option<bool>,
    /// Passage's: seconds until the action lifts by itself.
    #[serde(default, deserialize_with = "de::opt_i64")]
    expires_in: Option<i64>,
}

/// `POST .../action`: Mastodon answers an empty object.
async fn act(
    State(state): State<ApiState>,
    user: User,
    Path(account_id): Path<String>,
    Params(form): Params<ActionForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:write:accounts").await?;
    let kind = Kind::parse(form.kind.as_deref().unwrap_or("none"))?;
    let target = accounts::by_id(&state.ctx, id(&account_id)?).await?;
    if target.id == me.id {
        return Err(ApiError::invalid("type: not on your own account"));
    }
    let expires_at = match form.expires_in {
        Some(s) if s <= 0 => {
            return Err(ApiError::invalid("expires_in: a number of seconds above 0"));
        }
        Some(s) => Some(passage_db::now() + chrono::Duration::seconds(s)),
        None => None,
    };
    let input = ActionInput {
        text: form.text,
        report_id: form.report_id,
        expires_at,
        notify: form.send_email_notification.unwrap_or(true),
        ..ActionInput::new(kind)
    };
    actions::act(&state.ctx, By::Staff(me), &target, input).await?;
    Ok(Json(json!({})))
}

/// The four ways back, one handler each.
macro_rules! lift {
    ($name:ident, $kind:expr) => {
        async fn $name(
            State(state): State<ApiState>,
            user: User,
            Path(account_id): Path<String>,
        ) -> ApiResult<Json<Value>> {
            let me = user.require_staff(&state, "admin:write:accounts").await?;
            let target = accounts::by_id(&state.ctx, id(&account_id)?).await?;
            let lifted = actions::lift(&state.ctx, By::Staff(me), &target, $kind).await?;
            Ok(Json(admin_account(&state, lifted).await?))
        }
    };
}

lift!(enable, Kind::Disable);
lift!(unsensitive, Kind::Sensitive);
lift!(unsilence, Kind::Silence);
lift!(unsuspend, Kind::Suspend);
