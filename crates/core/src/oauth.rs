//! OAuth 2 as Mastodon clients use it: applications register themselves, members grant them
//! scoped access through the login page (authorization code, with PKCE when the app sends a
//! challenge), scripts may use the password grant (an admin can switch it off), and apps get
//! their own token through client credentials.
//!
//! Codes, access tokens and refresh tokens are random 256-bit strings; only their SHA-256
//! digests are stored, so a copy of the database grants nothing. Access tokens do not expire
//! (Mastodon clients never refresh); refreshing rotates both tokens.

use crate::secrets::{digest_of, random_token};
use crate::{Actor, Context, accounts, error::CoreError};
use aws_lc_rs::digest;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use passage_db::{
    entities::{oauth_apps, oauth_codes, oauth_tokens, users},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use std::fmt;

pub type App = oauth_apps::Model;

/// The redirect URI that asks the login page to show the code instead of redirecting.
pub const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

/// How long an authorization code may wait to be exchanged.
const CODE_LIFETIME_SECS: i64 = 600;

/// Why an OAuth request fails, in RFC 6749's terms (the wire names are [`OauthError::code`]).
#[derive(Debug, thiserror::Error)]
pub enum OauthError {
    #[error("client authentication failed")]
    InvalidClient,
    #[error("{0}")]
    InvalidGrant(String),
    #[error("{0}")]
    InvalidRequest(String),
    #[error("the requested scope is invalid, unknown, or malformed")]
    InvalidScope,
    #[error("the authorization grant type is not supported")]
    UnsupportedGrantType,
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl OauthError {
    /// The `error` value of the JSON answer.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidScope => "invalid_scope",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::Core(_) => "server_error",
        }
    }
}

impl From<sea_orm::DbErr> for OauthError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Core(e.into())
    }
}

pub type OauthResult<T> = Result<T, OauthError>;

/// Top-level scopes and every sub-scope Mastodon defines; `admin:` scopes are accepted with
/// their sub-scopes too.
const KNOWN_SCOPES: &[&str] = &[
    "read",
    "read:accounts",
    "read:blocks",
    "read:bookmarks",
    "read:favourites",
    "read:filters",
    "read:follows",
    "read:lists",
    "read:mutes",
    "read:notifications",
    "read:search",
    "read:statuses",
    "write",
    "write:accounts",
    "write:blocks",
    "write:bookmarks",
    "write:conversations",
    "write:favourites",
    "write:filters",
    "write:follows",
    "write:lists",
    "write:media",
    "write:mutes",
    "write:notifications",
    "write:reports",
    "write:statuses",
    "follow",
    "push",
    "profile",
    "admin:read",
    "admin:write",
];

/// Every scope this server grants, for the server metadata.
pub fn scopes_supported() -> &'static [&'static str] {
    KNOWN_SCOPES
}

/// What the legacy `follow` scope stands for.
const FOLLOW_SCOPES: &[&str] = &[
    "read:follows",
    "write:follows",
    "read:blocks",
    "write:blocks",
    "read:mutes",
    "write:mutes",
];

/// A set of scopes, kept in the order given (it is echoed back to clients).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Parses a space-separated (or `+`-separated, as some apps send) list. Empty means `read`,
    /// Mastodon's default.
    pub fn parse(text: &str) -> OauthResult<Self> {
        let mut scopes: Vec<String> = Vec::new();
        for scope in text.split([' ', '+']).filter(|s| !s.is_empty()) {
            let known = KNOWN_SCOPES.contains(&scope)
                || scope.starts_with("admin:read:")
                || scope.starts_with("admin:write:");
            if !known {
                return Err(OauthError::InvalidScope);
            }
            if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_owned());
            }
        }
        if scopes.is_empty() {
            scopes.push("read".into());
        }
        Ok(Self(scopes))
    }

    /// Does this set grant `required` (a top-level scope or a sub-scope like `read:statuses`)?
    pub fn allows(&self, required: &str) -> bool {
        self.0.iter().any(|granted| {
            granted == required
                || required
                    .strip_prefix(granted.as_str())
                    .is_some_and(|rest| rest.starts_with(':'))
                || (granted == "follow" && FOLLOW_SCOPES.contains(&required))
        })
    }

    /// Is every scope of `self` granted by `other`?
    pub fn within(&self, other: &Scopes) -> bool {
        self.0.iter().all(|s| other.allows(s))
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

/// An application registering itself (`POST /api/v1/apps`).
#[derive(Clone, Debug)]
pub struct NewApp {
    pub name: String,
    pub website: Option<String>,
    /// Exact strings; any scheme is allowed (custom schemes for mobile apps) and the
    /// out-of-band URN.
    pub redirect_uris: Vec<String>,
    pub scopes: Scopes,
}

pub async fn register_app(ctx: &Context, new: NewApp) -> OauthResult<App> {
    if new.name.trim().is_empty() || new.name.chars().count() > 200 {
        return Err(OauthError::InvalidRequest(
            "client_name must be 1-200 characters".into(),
        ));
    }
    if new.redirect_uris.is_empty() {
        return Err(OauthError::InvalidRequest(
            "redirect_uris is missing".into(),
        ));
    }
    for uri in &new.redirect_uris {
        if uri != OUT_OF_BAND && url::Url::parse(uri).is_err() {
            return Err(OauthError::InvalidRequest(format!(
                "redirect_uris: {uri:?} is not an absolute URI"
            )));
        }
    }
    let website = new.website.filter(|w| !w.trim().is_empty());
    if let Some(site) = &website
        && crate::urls::Urls::web_address(site).is_none()
    {
        return Err(OauthError::InvalidRequest(
            "website: must be an http or https address".into(),
        ));
    }
    Ok(oauth_apps::ActiveModel {
        client_id: Set(random_token()?),
        client_secret: Set(random_token()?),
        name: Set(new.name.trim().to_owned()),
        website: Set(website),
        redirect_uris: Set(new.redirect_uris.join("\n")),
        scopes: Set(new.scopes.to_string()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?)
}

pub fn redirect_uris(app: &App) -> Vec<&str> {
    app.redirect_uris.lines().collect()
}

pub fn app_scopes(app: &App) -> Scopes {
    Scopes::parse(&app.scopes).unwrap_or_else(|_| Scopes(vec!["read".into()]))
}

pub async fn app_by_client_id(ctx: &Context, client_id: &str) -> OauthResult<App> {
    oauth_apps::Entity::find()
        .filter(oauth_apps::Column::ClientId.eq(client_id))
        .one(&ctx.db)
        .await?
        .ok_or(OauthError::InvalidClient)
}

/// The app whose id and secret these are.
pub async fn authenticate_client(ctx: &Context, client_id: &str, secret: &str) -> OauthResult<App> {
    let app = app_by_client_id(ctx, client_id).await?;
    // Comparing digests keeps the comparison's timing independent of the secret.
    if digest_of(&app.client_secret) != digest_of(secret) {
        return Err(OauthError::InvalidClient);
    }
    Ok(app)
}

/// A checked request to the login page: the app, where to send the code, what it asks for.
#[derive(Clone, Debug)]
pub struct AuthorizationRequest {
    pub app: App,
    pub redirect_uri: String,
    pub scopes: Scopes,
    pub code_challenge: Option<String>,
}

/// Checks what `/oauth/authorize` was asked before showing the login page: a known app, a
/// redirect URI registered by it (compared as exact strings), scopes it registered, and PKCE
/// with S256 only.
pub async fn check_authorization(
    ctx: &Context,
    client_id: &str,
    redirect_uri: &str,
    scope: Option<&str>,
    code_challenge: Option<&str>,
    code_challenge_method: Option<&str>,
) -> OauthResult<AuthorizationRequest> {
    let app = app_by_client_id(ctx, client_id).await?;
    if !redirect_uris(&app).contains(&redirect_uri) {
        return Err(OauthError::InvalidRequest(
            "the redirect URI is not one the application registered".into(),
        ));
    }
    let scopes = Scopes::parse(scope.unwrap_or(""))?;
    if !scopes.within(&app_scopes(&app)) {
        return Err(OauthError::InvalidScope);
    }
    let code_challenge = match (code_challenge, code_challenge_method) {
        (None, _) => None,
        (Some(c), Some("S256") | None) if (43..=128).contains(&c.len()) => Some(c.to_owned()),
        (Some(_), Some("S256") | None) => {
            return Err(OauthError::InvalidRequest(
                "code_challenge must be 43-128 characters".into(),
            ));
        }
        (Some(_), Some(_)) => {
            return Err(OauthError::InvalidRequest(
                "code_challenge_method must be S256".into(),
            ));
        }
    };
    Ok(AuthorizationRequest {
        app,
        redirect_uri: redirect_uri.to_owned(),
        scopes,
        code_challenge,
    })
}

/// The member approved the request: a single-use code for the app to exchange.
pub async fn issue_code(
    ctx: &Context,
    request: &AuthorizationRequest,
    actor: &Actor,
) -> OauthResult<String> {
    let code = random_token()?;
    oauth_codes::ActiveModel {
        code_digest: Set(digest_of(&code)),
        app_id: Set(request.app.id),
        actor_id: Set(actor.id),
        redirect_uri: Set(request.redirect_uri.clone()),
        scopes: Set(request.scopes.to_string()),
        code_challenge: Set(request.code_challenge.clone()),
        expires_at: Set(now() + chrono::Duration::seconds(CODE_LIFETIME_SECS)),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?;
    Ok(code)
}

/// What a token grant hands out.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub scopes: Scopes,
    pub created_at: i64,
}

/// `grant_type=authorization_code`: the code is used up whether or not the exchange succeeds,
/// so a stolen code is worth one try.
pub async fn exchange_code(
    ctx: &Context,
    app: &App,
    code: &str,
    redirect_uri: Option<&str>,
    code_verifier: Option<&str>,
) -> OauthResult<IssuedToken> {
    let invalid =
        || OauthError::InvalidGrant("the authorization code is invalid or expired".into());
    let txn = ctx.db.begin().await?;
    let row = oauth_codes::Entity::find()
        .filter(oauth_codes::Column::CodeDigest.eq(digest_of(code)))
        .one(&txn)
        .await?
        .ok_or_else(invalid)?;
    oauth_codes::Entity::delete_by_id(row.id).exec(&txn).await?;
    txn.commit().await?;
    if row.app_id != app.id || row.expires_at < now() {
        return Err(invalid());
    }
    if let Some(uri) = redirect_uri
        && uri != row.redirect_uri
    {
        return Err(OauthError::InvalidGrant(
            "redirect_uri differs from the authorization request".into(),
        ));
    }
    if let Some(challenge) = &row.code_challenge {
        let verifier = code_verifier.ok_or_else(|| {
            OauthError::InvalidGrant("code_verifier is required for this code".into())
        })?;
        let computed = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
        if &computed != challenge {
            return Err(OauthError::InvalidGrant(
                "code_verifier does not match the challenge".into(),
            ));
        }
    }
    let scopes = Scopes::parse(&row.scopes)?;
    issue_token(ctx, app, Some(row.actor_id), scopes).await
}

/// `grant_type=password`, for scripts, unless the admin switched it off.
pub async fn password_grant(
    ctx: &Context,
    app: &App,
    username: &str,
    password: &str,
    scope: Option<&str>,
) -> OauthResult<IssuedToken> {
    if !ctx.config.accounts.password_grant {
        return Err(OauthError::UnsupportedGrantType);
    }
    let scopes = requested_scopes(app, scope)?;
    let actor = accounts::verify_login(ctx, username, password)
        .await
        .map_err(|e| match e {
            CoreError::TooMany(wait) => OauthError::Core(CoreError::TooMany(wait)),
            _ => OauthError::InvalidGrant("invalid username or password".into()),
        })?;
    ensure_may_log_in(ctx, &actor).await?;
    issue_token(ctx, app, Some(actor.id), scopes).await
}

/// A token for an account that just registered through `app`.
pub async fn token_for_new_account(
    ctx: &Context,
    app: &App,
    actor: &Actor,
    scopes: Scopes,
) -> OauthResult<IssuedToken> {
    issue_token(ctx, app, Some(actor.id), scopes).await
}

/// `grant_type=client_credentials`: a token for the app itself (registration, public reads).
pub async fn client_credentials(
    ctx: &Context,
    app: &App,
    scope: Option<&str>,
) -> OauthResult<IssuedToken> {
    let scopes = requested_scopes(app, scope)?;
    issue_token(ctx, app, None, scopes).await
}

/// `grant_type=refresh_token`: rotates the pair; the old access token stops working.
pub async fn refresh(ctx: &Context, app: &App, refresh_token: &str) -> OauthResult<IssuedToken> {
    let row = oauth_tokens::Entity::find()
        .filter(oauth_tokens::Column::RefreshDigest.eq(digest_of(refresh_token)))
        .one(&ctx.db)
        .await?
        .filter(|t| t.app_id == app.id && t.revoked_at.is_none())
        .ok_or_else(|| OauthError::InvalidGrant("the refresh token is invalid".into()))?;
    let scopes = Scopes::parse(&row.scopes)?;
    let actor_id = row.actor_id;
    revoke_row(ctx, row).await?;
    issue_token(ctx, app, actor_id, scopes).await
}

/// Revokes an access or refresh token of `app`. Unknown tokens are fine (RFC 7009).
pub async fn revoke(ctx: &Context, app: &App, token: &str) -> OauthResult<()> {
    let digest = digest_of(token);
    let row = oauth_tokens::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(oauth_tokens::Column::TokenDigest.eq(digest.clone()))
                .add(oauth_tokens::Column::RefreshDigest.eq(digest)),
        )
        .one(&ctx.db)
        .await?;
    if let Some(row) = row.filter(|r| r.app_id == app.id) {
        revoke_row(ctx, row).await?;
    }
    Ok(())
}

async fn revoke_row(ctx: &Context, row: oauth_tokens::Model) -> OauthResult<()> {
    let mut row: oauth_tokens::ActiveModel = row.into();
    row.revoked_at = Set(Some(now()));
    row.refresh_digest = Set(None);
    row.update(&ctx.db).await?;
    Ok(())
}

fn requested_scopes(app: &App, scope: Option<&str>) -> OauthResult<Scopes> {
    let scopes = match scope {
        Some(s) if !s.trim().is_empty() => Scopes::parse(s)?,
        _ => Scopes::parse("")?,
    };
    if !scopes.within(&app_scopes(app)) {
        return Err(OauthError::InvalidScope);
    }
    Ok(scopes)
}

/// Members whose registration waits for approval or confirmation get no token yet.
pub async fn ensure_may_log_in(ctx: &Context, actor: &Actor) -> OauthResult<users::Model> {
    if actor.suspended_at.is_some() {
        return Err(OauthError::InvalidGrant(
            "your account is suspended by this instance's moderators".into(),
        ));
    }
    let user = users::Entity::find()
        .filter(users::Column::ActorId.eq(actor.id))
        .one(&ctx.reader)
        .await?;
    match user {
        Some(u) if !u.confirmed => Err(OauthError::InvalidGrant(
            "your email address is not confirmed yet".into(),
        )),
        Some(u) if !u.approved => Err(OauthError::InvalidGrant(
            "your account is waiting for approval".into(),
        )),
        Some(u) => Ok(u),
        None => Err(OauthError::InvalidGrant("this account has no login".into())),
    }
}

async fn issue_token(
    ctx: &Context,
    app: &App,
    actor_id: Option<i64>,
    scopes: Scopes,
) -> OauthResult<IssuedToken> {
    let access_token = random_token()?;
    let refresh_token = match actor_id {
        Some(_) => Some(random_token()?),
        None => None,
    };
    let at = now();
    oauth_tokens::ActiveModel {
        token_digest: Set(digest_of(&access_token)),
        refresh_digest: Set(refresh_token.as_deref().map(digest_of)),
        app_id: Set(app.id),
        actor_id: Set(actor_id),
        scopes: Set(scopes.to_string()),
        created_at: Set(at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?;
    Ok(IssuedToken {
        access_token,
        refresh_token,
        scopes,
        created_at: at.timestamp(),
    })
}

/// Who a bearer token speaks for.
#[derive(Clone, Debug)]
pub struct Grant {
    pub token_id: i64,
    pub app: App,
    /// None for an app's own token (client credentials).
    pub actor: Option<Actor>,
    pub scopes: Scopes,
    /// The member's login is frozen by a moderator: only warnings and appeals answer.
    pub frozen: bool,
}

/// Looks up a bearer token; None when it is unknown or revoked.
pub async fn authenticate(ctx: &Context, token: &str) -> OauthResult<Option<Grant>> {
    let Some(row) = oauth_tokens::Entity::find()
        .filter(oauth_tokens::Column::TokenDigest.eq(digest_of(token)))
        .one(&ctx.reader)
        .await?
        .filter(|t| t.revoked_at.is_none())
    else {
        return Ok(None);
    };
    let Some(app) = oauth_apps::Entity::find_by_id(row.app_id)
        .one(&ctx.reader)
        .await?
    else {
        return Ok(None);
    };
    let (actor, frozen) = match row.actor_id {
        Some(id) => {
            let actor = accounts::by_id(ctx, id).await?;
            // A registration still waiting for approval has a token but may not use it yet.
            let Ok(login) = ensure_may_log_in(ctx, &actor).await else {
                return Ok(None);
            };
            (Some(actor), login.disabled)
        }
        None => (None, false),
    };
    Ok(Some(Grant {
        token_id: row.id,
        app,
        actor,
        scopes: Scopes::parse(&row.scopes)?,
        frozen,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::context;

    #[test]
    fn scopes_cover_their_sub_scopes_and_follow_its_legacy_set() {
        let s = Scopes::parse("read write:statuses follow").unwrap();
        assert!(s.allows("read:notifications"));
        assert!(s.allows("write:statuses"));
        assert!(!s.allows("write:media"));
        assert!(s.allows("write:follows") && s.allows("read:blocks"));
        assert!(!s.allows("readx"));
        assert!(Scopes::parse("read bogus").is_err());
        assert_eq!(Scopes::parse("").unwrap().to_string(), "read");
        assert!(
            Scopes::parse("read:statuses")
                .unwrap()
                .within(&Scopes::parse("read").unwrap())
        );
    }

    async fn app(ctx: &Context) -> App {
        register_app(
            ctx,
            NewApp {
                name: "Tusky".into(),
                website: None,
                redirect_uris: vec!["oauth2redirect://com.keylesspalace.tusky/".into()],
                scopes: Scopes::parse("read write follow push").unwrap(),
            },
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn codes_are_single_use_and_pkce_is_checked() {
        let ctx = context().await;
        let app = app(&ctx).await;
        let mut new = accounts::NewAccount::person("ana");
        new.email = Some("ana@example.org".into());
        new.password = Some("correct horse battery".into());
        let ana = accounts::create(&ctx, new).await.unwrap();
        let verifier = "a-verifier-that-is-long-enough-to-be-accepted-by-rfc-7636";
        let challenge =
            URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
        let request = check_authorization(
            &ctx,
            &app.client_id,
            "oauth2redirect://com.keylesspalace.tusky/",
            Some("read write"),
            Some(&challenge),
            Some("S256"),
        )
        .await
        .unwrap();

        let code = issue_code(&ctx, &request, &ana).await.unwrap();
        let wrong = exchange_code(&ctx, &app, &code, None, Some("not-the-verifier")).await;
        assert!(matches!(wrong, Err(OauthError::InvalidGrant(_))));
        let again = exchange_code(&ctx, &app, &code, None, Some(verifier)).await;
        assert!(matches!(again, Err(OauthError::InvalidGrant(_))), "used up");

        let code = issue_code(&ctx, &request, &ana).await.unwrap();
        let token = exchange_code(&ctx, &app, &code, None, Some(verifier))
            .await
            .unwrap();
        assert_eq!(token.scopes.to_string(), "read write");
        let grant = authenticate(&ctx, &token.access_token)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(grant.actor.unwrap().id, ana.id);

        let refreshed = refresh(&ctx, &app, &token.refresh_token.unwrap())
            .await
            .unwrap();
        assert!(
            authenticate(&ctx, &token.access_token)
                .await
                .unwrap()
                .is_none()
        );
        revoke(&ctx, &app, &refreshed.access_token).await.unwrap();
        assert!(
            authenticate(&ctx, &refreshed.access_token)
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn redirects_must_match_exactly_and_scopes_stay_within_the_app() {
        let ctx = context().await;
        let app = app(&ctx).await;
        let other_uri = check_authorization(
            &ctx,
            &app.client_id,
            "oauth2redirect://com.keylesspalace.tusky",
            None,
            None,
            None,
        )
        .await;
        assert!(matches!(other_uri, Err(OauthError::InvalidRequest(_))));
        let too_much = check_authorization(
            &ctx,
            &app.client_id,
            "oauth2redirect://com.keylesspalace.tusky/",
            Some("admin:read"),
            None,
            None,
        )
        .await;
        assert!(matches!(too_much, Err(OauthError::InvalidScope)));
        let plain = check_authorization(
            &ctx,
            &app.client_id,
            "oauth2redirect://com.keylesspalace.tusky/",
            None,
            Some("x".repeat(43).as_str()),
            Some("plain"),
        )
        .await;
        assert!(matches!(plain, Err(OauthError::InvalidRequest(_))));
    }
}
