//! Actor documents: members and organisations at `/users/{name}`, the instance actor at
//! `/actor`.

use crate::{
    FederationData, FederationError,
    objects::actor::ApubActor,
    protocol::{actor::ActorDocument, with_context},
};
use activitypub_federation::{
    axum::json::FederationJson, protocol::context::WithContext, traits::Object,
};
use axum::extract::Path;
use passage_core::accounts;

type Document = FederationJson<WithContext<ActorDocument>>;

pub async fn get_user(
    Path(name): Path<String>,
    data: FederationData,
) -> Result<Document, FederationError> {
    let actor = accounts::local_by_username(&data, &name).await?;
    // A purged account is gone for good (Mastodon answers the same).
    if actor.purged_at.is_some() {
        return Err(FederationError::Gone);
    }
    Ok(FederationJson(with_context(
        ApubActor::new(actor)?.into_json(&data).await?,
    )))
}

pub async fn get_instance_actor(data: FederationData) -> Result<Document, FederationError> {
    let actor = accounts::instance_actor(&data).await?;
    Ok(FederationJson(with_context(
        ApubActor::new(actor)?.into_json(&data).await?,
    )))
}
