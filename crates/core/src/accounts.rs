//! Actors: local members (`Person`), organisations and cities (`Group`), the instance actor
//! (`Application`), and the remote actors we learn about through federation.

use crate::{
    Actor, Context,
    error::{CoreError, CoreResult, OrNotFound, duplicate_as},
    urls::INSTANCE_ACTOR,
};
use passage_db::{
    entities::{actors, users},
    now,
    queries::actors as q,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, TransactionTrait};

pub mod moves;
mod remote;
pub use remote::{RemoteActor, upsert_remote};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    Person,
    Group,
    Application,
    Service,
    Organization,
}

impl ActorKind {
    /// The ActivityStreams type name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "Person",
            Self::Group => "Group",
            Self::Application => "Application",
            Self::Service => "Service",
            Self::Organization => "Organization",
        }
    }

    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "Person" => Ok(Self::Person),
            "Group" => Ok(Self::Group),
            "Application" => Ok(Self::Application),
            "Service" => Ok(Self::Service),
            "Organization" => Ok(Self::Organization),
            other => Err(CoreError::Invalid(format!(
                "unsupported actor type {other:?}"
            ))),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Admin,
    Moderator,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Moderator => "moderator",
            Self::Member => "member",
        }
    }

    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "admin" => Ok(Self::Admin),
            "moderator" => Ok(Self::Moderator),
            "member" => Ok(Self::Member),
            other => Err(CoreError::Invalid(format!(
                "unknown role {other:?} (expected admin, moderator or member)"
            ))),
        }
    }
}

/// A local account to create. A `Person` with a login has `email` and `password`;
/// organisation actors (`Group`) are managed by admins and need neither.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub username: String,
    pub kind: ActorKind,
    pub display_name: String,
    pub summary: String,
    pub email: Option<String>,
    pub password: Option<String>,
    pub role: Role,
    pub locked: bool,
    /// False when an admin must approve the registration first.
    pub approved: bool,
    /// Why the person asks to join (approval mode).
    pub reason: Option<String>,
    /// Signed up through an app, not created by an admin (the daily limit counts these).
    pub registered: bool,
    /// The invitation used to sign up.
    pub invite_id: Option<i64>,
}

impl NewAccount {
    pub fn person(username: &str) -> Self {
        Self {
            username: username.to_owned(),
            kind: ActorKind::Person,
            // Empty until the member names herself, as in Mastodon: apps show the username.
            display_name: String::new(),
            summary: String::new(),
            email: None,
            password: None,
            role: Role::Member,
            locked: false,
            approved: true,
            reason: None,
            registered: false,
            invite_id: None,
        }
    }
}

/// Usernames: 1-30 lowercase letters, digits or `_`, as Mastodon allows.
pub fn validate_username(username: &str) -> CoreResult<()> {
    let ok = !username.is_empty()
        && username.len() <= 30
        && username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(CoreError::Invalid(format!(
            "username {username:?} must be 1-30 characters of a-z, 0-9 or _"
        )))
    }
}

/// Creates a local actor with a fresh key pair (and a login when email and password are given).
pub async fn create(ctx: &Context, new: NewAccount) -> CoreResult<Actor> {
    validate_username(&new.username)?;
    create_unchecked(ctx, new).await
}

async fn create_unchecked(ctx: &Context, new: NewAccount) -> CoreResult<Actor> {
    if q::local_by_username(&ctx.db, &new.username)
        .await?
        .is_some()
    {
        return Err(CoreError::Conflict(format!(
            "username {:?} is taken",
            new.username
        )));
    }
    let login = match (&new.email, &new.password) {
        (Some(email), Some(password)) => {
            Some((email.trim().to_lowercase(), hash_password(ctx, password)?))
        }
        (None, None) => None,
        _ => return Err(CoreError::Invalid("email and password go together".into())),
    };
    if let Some((email, _)) = &login
        && !email.contains('@')
    {
        return Err(CoreError::Invalid(format!(
            "{email:?} is not an email address"
        )));
    }
    let keys = ctx.keys.clone();
    let pair = tokio::task::spawn_blocking(move || keys.generate())
        .await
        .map_err(|e| CoreError::Internal(format!("key generation task: {e}")))??;
    let u = &ctx.urls;
    let name = &new.username;
    let at = now();
    let txn = ctx.db.begin().await?;
    let actor = actors::ActiveModel {
        ap_id: Set(u.actor(name)),
        kind: Set(new.kind.as_str().to_owned()),
        username: Set(name.clone()),
        domain: Set(ctx.domain().to_owned()),
        local: Set(true),
        display_name: Set(new.display_name),
        summary: Set(new.summary),
        inbox_url: Set(u.inbox(name)),
        shared_inbox_url: Set(Some(u.shared_inbox())),
        outbox_url: Set(Some(u.outbox(name))),
        followers_url: Set(Some(u.followers(name))),
        following_url: Set(Some(u.following(name))),
        url: Set(Some(u.profile(name))),
        public_key_pem: Set(pair.public_pem),
        private_key_pem: Set(Some(pair.private_pem)),
        locked: Set(new.locked),
        // Organisations want to be found; people are not listed until they choose to be.
        discoverable: Set(new.kind == ActorKind::Group),
        created_at: Set(at),
        updated_at: Set(at),
        fetched_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        duplicate_as(e, || {
            CoreError::Conflict(format!("username {name:?} is taken"))
        })
    })?;
    if let Some((email, hash)) = login {
        users::ActiveModel {
            actor_id: Set(actor.id),
            email: Set(email.clone()),
            password_hash: Set(hash),
            role: Set(new.role.as_str().to_owned()),
            created_at: Set(at),
            approved: Set(new.approved),
            registration_reason: Set(new.reason.clone()),
            registered: Set(new.registered),
            invite_id: Set(new.invite_id),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            duplicate_as(e, || {
                CoreError::Conflict(format!("email {email:?} is taken"))
            })
        })?;
    }
    txn.commit().await?;
    Ok(actor)
}

/// The instance's own `Application` actor, created on first use. It signs fetches made on
/// behalf of the server rather than of a member.
pub async fn instance_actor(ctx: &Context) -> CoreResult<Actor> {
    if let Some(actor) = q::local_by_username(&ctx.db, INSTANCE_ACTOR).await? {
        return Ok(actor);
    }
    let mut new = NewAccount::person(INSTANCE_ACTOR);
    new.kind = ActorKind::Application;
    new.display_name = ctx.config.instance.name.clone();
    match create_unchecked(ctx, new).await {
        Err(CoreError::Conflict(_)) => q::local_by_username(&ctx.db, INSTANCE_ACTOR)
            .await?
            .or_not_found(),
        other => other,
    }
}

pub async fn local_by_username(ctx: &Context, username: &str) -> CoreResult<Actor> {
    q::local_by_username(&ctx.db, username)
        .await?
        .or_not_found()
}

pub async fn by_id(ctx: &Context, id: i64) -> CoreResult<Actor> {
    q::by_id(&ctx.reader, id).await?.or_not_found()
}

pub async fn by_ap_id(ctx: &Context, ap_id: &str) -> CoreResult<Option<Actor>> {
    Ok(q::by_ap_id(&ctx.reader, ap_id).await?)
}

/// Local members and organisations (not the instance actor), oldest first.
pub async fn list_local(ctx: &Context) -> CoreResult<Vec<Actor>> {
    Ok(q::local_of_kinds(&ctx.db, &["Person", "Group"]).await?)
}

fn argon(ctx: &Context) -> CoreResult<argon2::Argon2<'static>> {
    let c = &ctx.config.accounts;
    let params = argon2::Params::new(c.password_memory_kib, c.password_iterations, 1, None)
        .map_err(|e| CoreError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        params,
    ))
}

fn hash_password(ctx: &Context, password: &str) -> CoreResult<String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    if password.chars().count() < 8 {
        return Err(CoreError::Invalid(
            "password must be at least 8 characters".into(),
        ));
    }
    let mut bytes = [0u8; 16];
    aws_lc_rs::rand::fill(&mut bytes)
        .map_err(|_| CoreError::Internal("no randomness for a salt".into()))?;
    let salt =
        SaltString::encode_b64(&bytes).map_err(|e| CoreError::Internal(format!("salt: {e}")))?;
    argon(ctx)?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Internal(format!("hashing password: {e}")))
}

/// Checks a login (email or username) and password; the same error for every failure, so
/// the answer does not reveal which accounts exist.
pub async fn verify_login(ctx: &Context, login: &str, password: &str) -> CoreResult<Actor> {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    use sea_orm::{ColumnTrait, QueryFilter};
    let denied = || CoreError::Forbidden("invalid login or password".into());
    let user = match q::local_by_username(&ctx.db, login).await? {
        Some(actor) => {
            users::Entity::find()
                .filter(users::Column::ActorId.eq(actor.id))
                .one(&ctx.db)
                .await?
        }
        None => {
            users::Entity::find()
                .filter(users::Column::Email.eq(login.trim().to_lowercase()))
                .one(&ctx.db)
                .await?
        }
    };
    // Counted per account, however it is named (username or address), before any hashing; a
    // name that is no account is counted by itself, so guessing names is slowed too.
    let key = user
        .as_ref()
        .map_or_else(|| login.to_owned(), |u| format!("#{}", u.actor_id));
    ctx.limits.login_account(&key).map_err(CoreError::TooMany)?;
    let user = user.ok_or_else(denied)?;
    let hash = PasswordHash::new(&user.password_hash).map_err(|_| denied())?;
    argon(ctx)?
        .verify_password(password.as_bytes(), &hash)
        .map_err(|_| denied())?;
    by_id(ctx, user.actor_id).await
}

/// Someone signs up through an app (`POST /api/v1/accounts`).
#[derive(Clone, Debug)]
pub struct Registration {
    pub username: String,
    pub email: String,
    pub password: String,
    pub agreement: bool,
    pub reason: Option<String>,
    /// An invitation's code: the way into an invite-only instance, and past approval.
    pub invite_code: Option<String>,
}

/// Shortest password accepted at sign-up.
pub const MIN_PASSWORD: usize = 8;

/// Creates a member account as the instance's registration mode allows: at once when open
/// (and moderated lately) or invited, waiting for an admin when "approval" (or open but
/// unattended); invite-only instances need a valid
/// invitation, closed ones refuse. The address must be a plain one on a domain not blocked,
/// and the daily and waiting limits hold (see `moderation::registrations`). No mail is sent:
/// without a mail setup the address is taken as given, and the approval step (or the
/// invitation) is the check.
pub async fn register(ctx: &Context, r: Registration) -> CoreResult<Actor> {
    use crate::{config::Registrations, moderation::registrations as rules};
    crate::shutdown::refuse_if_closing(ctx, "new accounts").await?;
    let invite = match r.invite_code.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(code) => Some(rules::valid_invite(ctx, code.trim()).await?),
        None => None,
    };
    let approved = match (ctx.config.instance.registrations, &invite) {
        (Registrations::Closed, _) => {
            return Err(CoreError::Forbidden(
                "registrations on this instance are closed".into(),
            ));
        }
        (_, Some(_)) => true,
        // Nobody watching an open instance: sign-ups wait until someone is.
        (Registrations::Open, None) => !rules::unattended(ctx).await?,
        (Registrations::Approval, None) => false,
        (Registrations::Invite, None) => {
            return Err(CoreError::Forbidden(
                "registrations on this instance need an invitation from its admins".into(),
            ));
        }
    };
    if !r.agreement {
        return Err(CoreError::Invalid(
            "agreement: the rules must be accepted".into(),
        ));
    }
    if r.password.chars().count() < MIN_PASSWORD {
        return Err(CoreError::Invalid(format!(
            "password: at least {MIN_PASSWORD} characters"
        )));
    }
    let asked = ctx.config.instance.registrations == Registrations::Approval && invite.is_none();
    if asked && r.reason.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err(CoreError::Invalid(
            "reason: say why you want to join; an admin reads it".into(),
        ));
    }
    let email = rules::check_email(ctx, &r.email).await?;
    rules::check_limits(ctx, approved).await?;
    let mut new = NewAccount::person(&r.username);
    new.email = Some(email);
    new.password = Some(r.password);
    new.approved = approved;
    new.reason = r.reason.map(|s| s.chars().take(1000).collect());
    new.registered = true;
    new.invite_id = invite.as_ref().map(|i| i.id);
    let actor = create(ctx, new).await?;
    if let Some(invite) = invite {
        rules::use_invite(ctx, invite.id).await?;
    }
    Ok(actor)
}

/// An admin approves a pending registration.
pub async fn approve(ctx: &Context, username: &str) -> CoreResult<()> {
    let actor = local_by_username(ctx, username).await?;
    let mut login: users::ActiveModel = login_of(ctx, &actor).await?.into();
    login.approved = Set(true);
    login.update(&ctx.db).await?;
    Ok(())
}

/// `(cursor, actor id)` pairs of a page → `(cursor, actor)`, in order, skipping gone actors.
pub async fn with_cursors(ctx: &Context, pairs: Vec<(i64, i64)>) -> CoreResult<Vec<(i64, Actor)>> {
    let ids: Vec<i64> = pairs.iter().map(|(_, a)| *a).collect();
    let actors = q::by_ids(&ctx.db, &ids).await?;
    Ok(pairs
        .into_iter()
        .filter_map(|(c, a)| Some((c, actors.iter().find(|x| x.id == a)?.clone())))
        .collect())
}

/// A remote account already known here, by handle.
pub async fn remote_by_handle(
    ctx: &Context,
    username: &str,
    domain: &str,
) -> CoreResult<Option<Actor>> {
    Ok(q::remote_by_handle(&ctx.db, username, domain).await?)
}

/// Known accounts matching the start of a name (no network).
pub async fn search(ctx: &Context, term: &str, limit: u64) -> CoreResult<Vec<Actor>> {
    Ok(q::search(&ctx.db, term, limit).await?)
}

/// Local member accounts (people), for instance statistics.
pub async fn count_people(ctx: &Context) -> CoreResult<u64> {
    Ok(q::count_local(&ctx.db, &[ActorKind::Person.as_str()]).await?)
}

/// A member's posting defaults and the plain text of their profile note, as clients show
/// them in `source`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub default_visibility: crate::visibility::Visibility,
    pub default_sensitive: bool,
    pub default_language: Option<String>,
    pub note_source: String,
}

pub(crate) async fn login_of(ctx: &Context, actor: &Actor) -> CoreResult<users::Model> {
    use sea_orm::{ColumnTrait, QueryFilter};
    users::Entity::find()
        .filter(users::Column::ActorId.eq(actor.id))
        .one(&ctx.db)
        .await?
        .or_not_found()
}

pub async fn settings(ctx: &Context, actor: &Actor) -> CoreResult<Settings> {
    let user = login_of(ctx, actor).await?;
    Ok(Settings {
        default_visibility: crate::visibility::Visibility::parse(&user.default_visibility)?,
        default_sensitive: user.default_sensitive,
        default_language: user.default_language,
        note_source: user.note_source.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::context;

    fn member(username: &str, email: &str) -> NewAccount {
        let mut new = NewAccount::person(username);
        new.email = Some(email.into());
        new.password = Some("correct horse battery".into());
        new
    }

    #[tokio::test]
    async fn logins_check_the_password_and_say_nothing_about_who_exists() {
        let ctx = context().await;
        let ana = create(&ctx, member("ana", "Ana@Example.org"))
            .await
            .unwrap();
        assert_eq!(ana.ap_id, "https://localhost:8080/users/ana");
        assert!(ana.private_key_pem.is_some() && ana.local);

        let by_name = verify_login(&ctx, "ana", "correct horse battery")
            .await
            .unwrap();
        let by_email = verify_login(&ctx, "ana@example.org", "correct horse battery")
            .await
            .unwrap();
        assert_eq!((by_name.id, by_email.id), (ana.id, ana.id));

        let wrong = verify_login(&ctx, "ana", "wrong password!")
            .await
            .unwrap_err();
        let unknown = verify_login(&ctx, "nobody", "correct horse battery")
            .await
            .unwrap_err();
        assert_eq!(wrong.to_string(), unknown.to_string());
    }

    #[tokio::test]
    async fn bad_or_taken_names_and_emails_are_refused() {
        let ctx = context().await;
        create(&ctx, member("ana", "ana@example.org"))
            .await
            .unwrap();
        for (new, what) in [
            (member("ana", "other@example.org"), "taken username"),
            (member("anna", "ANA@example.org"), "taken email"),
            (member("Ana!", "x@example.org"), "bad username"),
            (member("bea", "not-an-email"), "bad email"),
        ] {
            let err = create(&ctx, new).await.unwrap_err();
            assert!(
                matches!(err, CoreError::Conflict(_) | CoreError::Invalid(_)),
                "{what}: {err}"
            );
        }
        let mut short = member("bea", "bea@example.org");
        short.password = Some("short".into());
        assert!(matches!(
            create(&ctx, short).await,
            Err(CoreError::Invalid(_))
        ));
        // Nothing half-created: the refused names are still free.
        create(&ctx, member("bea", "bea@example.org"))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn remote_actors_cannot_take_local_ids() {
        let ctx = context().await;
        let remote = RemoteActor {
            ap_id: ctx.urls.actor("ana"),
            kind: ActorKind::Person,
            username: "ana".into(),
            display_name: "Ana".into(),
            summary_html: String::new(),
            inbox: "https://evil.test/inbox".into(),
            shared_inbox: None,
            outbox: None,
            followers: None,
            following: None,
            url: None,
            public_key_pem: String::new(),
            locked: false,
            avatar_url: None,
            header_url: None,
            fields: Vec::new(),
            also_known_as: Vec::new(),
            says_moved: false,
            discoverable: false,
        };
        assert!(matches!(
            upsert_remote(&ctx, remote).await,
            Err(CoreError::Forbidden(_))
        ));
    }
}
