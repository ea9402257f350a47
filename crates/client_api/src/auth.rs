//! Bearer tokens: `Authorization: Bearer ...` or `?access_token=` (as Doorkeeper accepts).
//! [`Auth`] is any caller (a member, an app's own token, or nobody); [`User`] must be a member
//! and checks scopes per action.

use crate::{error::ApiError, state::ApiState};
use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::{header::AUTHORIZATION, request::Parts},
};
use passage_core::{Actor, oauth};

/// The token's grant, if a valid token was sent. A token that was sent but is invalid is a
/// 401 even where anonymous access is allowed, as in Mastodon.
#[derive(Clone, Debug)]
pub struct Auth(pub Option<oauth::Grant>);

impl Auth {
    pub fn actor(&self) -> Option<&Actor> {
        self.0.as_ref().and_then(|g| g.actor.as_ref())
    }
}

/// A member's token.
#[derive(Clone, Debug)]
pub struct User {
    pub actor: Actor,
    pub grant: oauth::Grant,
}

impl User {
    /// 403 unless the token was granted `scope` (or a scope that contains it), and the
    /// member's login is not frozen by a moderator.
    pub fn require(&self, scope: &str) -> Result<&Actor, ApiError> {
        if self.grant.frozen {
            return Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "Your login is currently disabled",
            ));
        }
        self.require_even_frozen(scope)
    }

    /// [`User::require`], and the member must be one of the instance's admins or
    /// moderators: every admin endpoint asks this first, so nothing else (a missing field, an
    /// unknown id) is told to anyone else.
    pub async fn require_staff(&self, state: &ApiState, scope: &str) -> Result<&Actor, ApiError> {
        let actor = self.require(scope)?;
        passage_core::moderation::require_staff(&state.ctx, actor).await?;
        Ok(actor)
    }

    /// [`User::require`] for what a frozen login may still do: read its warnings, appeal.
    pub fn require_even_frozen(&self, scope: &str) -> Result<&Actor, ApiError> {
        if self.grant.scopes.allows(scope) {
            Ok(&self.actor)
        } else {
            Err(ApiError::missing_scope(scope))
        }
    }
}

pub fn bearer(parts: &Parts) -> Option<String> {
    if let Some(value) = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let (scheme, token) = value.trim().split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
    }
    let query = parts.uri.query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "access_token")
        .map(|(_, v)| v.into_owned())
}

impl FromRequestParts<ApiState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
        let Some(token) = bearer(parts) else {
            return Ok(Self(None));
        };
        match oauth::authenticate(&state.ctx, &token).await? {
            Some(grant) => Ok(Self(Some(grant))),
            None => Err(ApiError::unauthorized()),
        }
    }
}

impl FromRequestParts<ApiState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
        let Auth(grant) = Auth::from_request_parts(parts, state).await?;
        let grant = grant.ok_or_else(ApiError::unauthorized)?;
        match grant.actor.clone() {
            Some(actor) => {
                // Every member call counts against the account's rate.
                state.ctx.limits.api(actor.id).map_err(ApiError::too_many)?;
                Ok(Self { actor, grant })
            }
            None => Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "This method requires an authenticated user",
            )),
        }
    }
}

impl OptionalFromRequestParts<ApiState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ApiState,
    ) -> Result<Option<Self>, ApiError> {
        let Auth(grant) =
            <Auth as FromRequestParts<ApiState>>::from_request_parts(parts, state).await?;
        let Some(grant) = grant else { return Ok(None) };
        let Some(actor) = grant.actor.clone() else {
            return Ok(None);
        };
        state.ctx.limits.api(actor.id).map_err(ApiError::too_many)?;
        Ok(Some(Self { actor, grant }))
    }
}
