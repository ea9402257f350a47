//! Actors as ActivityPub objects: local ones rendered from their rows, remote ones fetched,
//! checked for origin and stored through `core::accounts::upsert_remote`.

use crate::{
    FederationData, FederationError,
    protocol::actor::{ActorDocument, Endpoints, GroupCollections, image, property_value},
};
use activitypub_federation::{
    fetch::object_id::ObjectId,
    protocol::public_key::PublicKey,
    traits::{Actor as ApActor, Object},
};
use passage_core::{
    Actor,
    accounts::{self, ActorKind, RemoteActor},
    profile,
};
use url::Url;

/// An actor row with its id parsed once (`Object::id` hands out a reference).
#[derive(Clone, Debug)]
pub struct ApubActor {
    pub row: Actor,
    id: Url,
}

impl ApubActor {
    pub fn new(row: Actor) -> Result<Self, FederationError> {
        let id = Url::parse(&row.ap_id)?;
        Ok(Self { row, id })
    }
}

impl std::ops::Deref for ApubActor {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.row
    }
}

/// The key id peers see: `<actor>#main-key`, as Mastodon names it.
pub fn key_id(actor_ap_id: &str) -> String {
    format!("{actor_ap_id}#main-key")
}

/// Looks an actor up by id, fetching and storing it when unknown or stale.
pub async fn resolve(id: &str, data: &FederationData) -> Result<Actor, FederationError> {
    let url = Url::parse(id)?;
    Ok(ObjectId::<ApubActor>::from(url)
        .dereference(data)
        .await?
        .row)
}

#[async_trait::async_trait]
impl Object for ApubActor {
    type DataType = crate::Federation;
    type Kind = ActorDocument;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        if self.row.local {
            None
        } else {
            Some(self.row.fetched_at.unwrap_or(self.row.updated_at).to_utc())
        }
    }

    async fn read_from_id(id: Url, data: &FederationData) -> Result<Option<Self>, FederationError> {
        accounts::by_ap_id(data, id.as_str())
            .await?
            .map(ApubActor::new)
            .transpose()
    }

    async fn into_json(self, _data: &FederationData) -> Result<ActorDocument, FederationError> {
        actor_document(&self.row)
    }

    async fn verify(
        json: &ActorDocument,
        expected_domain: &Url,
        _data: &FederationData,
    ) -> Result<(), FederationError> {
        crate::protocol::verify_same_origin(&json.id, expected_domain)?;
        crate::protocol::verify_same_origin(&json.id, &json.inbox)?;
        if json.public_key.owner != json.id {
            return Err(FederationError::BadRequest(
                "public key belongs to another actor".into(),
            ));
        }
        Ok(())
    }

    async fn from_json(
        json: ActorDocument,
        data: &FederationData,
    ) -> Result<Self, FederationError> {
        let remote = RemoteActor {
            ap_id: json.id.to_string(),
            kind: ActorKind::parse(&json.kind)?,
            username: json.username(),
            // Mastodon leaves a missing name empty; apps then show the username.
            display_name: json.name.clone().unwrap_or_default(),
            summary_html: json.summary.clone().unwrap_or_default(),
            inbox: json.inbox.to_string(),
            shared_inbox: json
                .endpoints
                .as_ref()
                .and_then(|e| e.shared_inbox.as_ref())
                .map(Url::to_string),
            outbox: json.outbox.as_ref().map(Url::to_string),
            followers: json.followers.as_ref().map(Url::to_string),
            following: json.following.as_ref().map(Url::to_string),
            url: json.profile_url(),
            public_key_pem: json.public_key.public_key_pem.clone(),
            locked: json.manually_approves_followers,
            avatar_url: json.avatar_url(),
            header_url: json.header_url(),
            fields: json
                .fields()
                .into_iter()
                .map(|(name, value)| profile::Field {
                    name,
                    value,
                    source: None,
                })
                .collect(),
            also_known_as: json
                .also_known_as
                .iter()
                .filter_map(crate::protocol::id_of)
                .map(str::to_owned)
                .collect(),
            says_moved: json.moved_to.is_some(),
            discoverable: json.discoverable.unwrap_or(false),
        };
        ApubActor::new(accounts::upsert_remote(data, remote).await?)
    }
}

impl ApActor for ApubActor {
    fn public_key_pem(&self) -> &str {
        &self.row.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.row.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.row.inbox_url).unwrap_or_else(|_| self.id.clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.row
            .shared_inbox_url
            .as_deref()
            .and_then(|s| Url::parse(s).ok())
    }
}

/// The actor document of `a`, as served at its id and sent in an Update.
pub fn actor_document(a: &Actor) -> Result<ActorDocument, FederationError> {
    let url = |s: &Option<String>| s.as_deref().and_then(|s| Url::parse(s).ok());
    // A local account suspended here shows only what other servers need to know it by
    // (Mastodon's shape): no name, note, pictures or fields, and `suspended`.
    let shown = !(a.local && a.suspended_at.is_some());
    Ok(ActorDocument {
        id: Url::parse(&a.ap_id)?,
        kind: a.kind.clone(),
        preferred_username: a.username.clone(),
        name: shown.then(|| a.display_name.clone()),
        summary: shown.then(|| a.summary.clone()),
        inbox: Url::parse(&a.inbox_url)?,
        outbox: url(&a.outbox_url),
        followers: url(&a.followers_url),
        following: url(&a.following_url),
        endpoints: Some(Endpoints {
            shared_inbox: url(&a.shared_inbox_url),
        }),
        public_key: PublicKey {
            id: key_id(&a.ap_id),
            owner: Url::parse(&a.ap_id)?,
            public_key_pem: a.public_key_pem.clone(),
        },
        url: a.url.clone().map(serde_json::Value::String),
        manually_approves_followers: a.locked,
        discoverable: Some(a.discoverable),
        published: Some(a.created_at),
        icon: a.avatar_url.as_deref().filter(|_| shown).map(image),
        image: a.header_url.as_deref().filter(|_| shown).map(image),
        attachment: profile::fields(a)
            .iter()
            .filter(|_| shown)
            .map(|f| property_value(&f.name, &f.value))
            .collect(),
        group: group_collections(a),
        also_known_as: accounts::moves::aliases(a)
            .into_iter()
            .map(serde_json::Value::String)
            .collect(),
        moved_to: a.moved_to.clone().map(serde_json::Value::String),
        suspended: !shown,
    })
}

/// The collections a local organisation serves (see `routes::collections`).
fn group_collections(a: &Actor) -> GroupCollections {
    if !a.local || a.kind != ActorKind::Group.as_str() {
        return GroupCollections::default();
    }
    let at = |path: &str| Some(serde_json::Value::String(format!("{}/{path}", a.ap_id)));
    GroupCollections {
        attributed_to: at("moderators"),
        members: at("members"),
        resources: at("resources"),
        events: at("events"),
        upcoming_events: at("events"),
        openness: Some("invite_only".into()),
    }
}
