//! Bearer tokens: `Authorization: Bearer ...` or `?access_token=` (as Doorkeeper accepts).
//! [`Auth`] is any caller (a member, an app's own token, or nobody) and gives the member only
//! for a scope ([`Auth::viewer`]); [`User`] must be a member and checks scopes per action.
//! There is deliberately no `Option<User>`: an endpoint open to anyone takes [`Auth`] and names
//! the scope its reads need.

use crate::{error::ApiError, state::ApiState};
use axum::{
    extract::FromRequestParts,
    http::{header::AUTHORIZATION, request::Parts},
};
use passage_core::{Actor, oauth};

/// The token's grant, if a valid token was sent. A token that was sent but is invalid is a
/// 401 even where anonymous access is allowed, as in Mastodon.
#[derive(Clone, Debug)]
pub struct Auth(pub Option<oauth::Grant>);

impl Auth {
    /// Who reads, on an endpoint Mastodon guards with `scope` when a token is sent: nobody
    /// without a token; with one, its member when it was granted `scope` (or a scope holding
    /// it) and her login is not frozen, and a 403 otherwise, so a narrow token (`write:media`)
    /// or a frozen login never reads what only its member may see. It is the only way to get
    /// the caller's account from `Auth`: every read names its scope.
    pub fn viewer(&self, scope: &str) -> Result<Option<&Actor>, ApiError> {
        let Some(grant) = &self.0 else {
            return Ok(None);
        };
        if !grant.scopes.allows(scope) {
            return Err(ApiError::missing_scope(scope));
        }
        if grant.frozen {
            return Err(frozen());
        }
        Ok(grant.actor.as_ref())
    }

    /// Whether a member's token was sent at all (for what only changes a page's shape).
    pub fn has_member(&self) -> bool {
        self.0.as_ref().is_some_and(|g| g.actor.is_some())
    }
}

fn frozen() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::FORBIDDEN,
        "Your login is currently disabled",
    )
}

/// Counts a call against the client's address (behind trusted proxies, the one they
/// forward); an error is the seconds to wait. Nothing is counted where the connection's
/// address is unknown (a test calling the router directly).
pub fn charge_address(state: &ApiState, parts: &Parts) -> Result<(), u64> {
    let Some(peer) = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return Ok(());
    };
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    state.ctx.limits.anonymous(peer, forwarded)
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
            return Err(frozen());
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
        let grant = oauth::authenticate(&state.ctx, &token).await?;
        // A member's calls count against her account; an app's own token, and guessed
        // tokens, against the address.
        match grant.as_ref().and_then(|g| g.actor.as_ref()) {
            Some(actor) => state.ctx.limits.api(actor.id),
            None => charge_address(state, parts),
        }
        .map_err(ApiError::too_many)?;
        grant
            .map(|g| Self(Some(g)))
            .ok_or_else(ApiError::unauthorized)
    }
}

impl FromRequestParts<ApiState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
        let Auth(grant) = Auth::from_request_parts(parts, state).await?;
        let grant = grant.ok_or_else(ApiError::unauthorized)?;
        match grant.actor.clone() {
            Some(actor) => Ok(Self { actor, grant }),
            None => Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "This method requires an authenticated user",
            )),
        }
    }
}
