//! Who signed a request. Either format is read (draft-cavage `Signature`, RFC 9421
//! `Signature-Input`), as the instance accepts them; the key is the one the named actor
//! publishes, fetched through the same checked path as every other remote object.
//!
//! Key rotation: when the stored key does not verify, the actor is fetched again once and the
//! signature checked with the new key, but no more than once per actor per
//! `federation.key_refresh_secs`, so forged signatures cannot make us fetch endlessly.

use crate::{
    FederationData, FederationError,
    objects::actor::{ApubActor, resolve},
    signatures::{self, IncomingRequest, PublicKey, SignatureError, SignatureHeader, rfc9421},
};
use activitypub_federation::fetch::object_id::ObjectId;
use passage_core::{Actor, config::SignatureFormat};
use passage_db::now;
use std::time::{Duration, SystemTime};

/// A request's signature in whichever format it came.
enum Signature {
    Cavage(SignatureHeader),
    Rfc9421(rfc9421::MessageSignature),
}

impl Signature {
    fn read(
        headers: &http::HeaderMap,
        accepted: &[SignatureFormat],
    ) -> Result<Self, SignatureError> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let signature = text("signature").ok_or(SignatureError::Missing)?;
        let format = match text("signature-input") {
            Some(_) => SignatureFormat::Rfc9421,
            None => SignatureFormat::Cavage,
        };
        if !accepted.contains(&format) {
            return Err(SignatureError::Malformed(
                "this signature format is not accepted here",
            ));
        }
        match text("signature-input") {
            Some(input) => rfc9421::MessageSignature::parse(input, signature).map(Self::Rfc9421),
            None => SignatureHeader::parse(signature).map(Self::Cavage),
        }
    }

    fn key_id(&self) -> &str {
        match self {
            Self::Cavage(header) => &header.key_id,
            Self::Rfc9421(sig) => &sig.key_id,
        }
    }

    fn verify(
        &self,
        request: &IncomingRequest<'_>,
        pem: &str,
        max_age: Duration,
    ) -> Result<(), SignatureError> {
        let key = PublicKey::from_pem(pem)?;
        let now = SystemTime::now();
        match self {
            Self::Cavage(header) => signatures::verify(request, header, &key, now, max_age),
            Self::Rfc9421(sig) => rfc9421::verify(request, sig, &key, now, max_age),
        }
    }
}

/// Verifies the HTTP signature of a request and returns the actor that signed it.
pub(crate) async fn signer(
    data: &FederationData,
    method: &http::Method,
    uri: &http::Uri,
    headers: &http::HeaderMap,
    body: Option<&[u8]>,
) -> Result<Actor, FederationError> {
    let unauthorized = |e: SignatureError| FederationError::Unauthorized(e.to_string());
    let federation = &data.config.federation;
    let signature =
        Signature::read(headers, &federation.accept_signatures).map_err(unauthorized)?;
    let owner = signatures::key_owner(signature.key_id());
    let actor = resolve(&owner, data).await.map_err(key_unavailable)?;
    let mut map = signatures::header_map(headers);
    map.entry("host".into())
        .or_insert_with(|| data.domain().to_owned());
    let request = IncomingRequest {
        method: method.as_str(),
        scheme: data.urls.scheme(),
        path_and_query: uri.path_and_query().map_or("/", |p| p.as_str()),
        headers: &map,
        body,
    };
    let max_age = Duration::from_secs(federation.signature_max_age_secs);
    match signature.verify(&request, &actor.public_key_pem, max_age) {
        Ok(()) => Ok(actor),
        Err(SignatureError::Invalid | SignatureError::BadKey)
            if may_refresh(&actor, federation.key_refresh_secs) =>
        {
            let actor = refetch(&owner, data).await?;
            signature
                .verify(&request, &actor.public_key_pem, max_age)
                .map_err(unauthorized)?;
            tracing::info!(actor = %actor.ap_id, "signature verified with a re-fetched key");
            Ok(actor)
        }
        Err(e) => Err(unauthorized(e)),
    }
}

/// A remote actor not fetched within the window may have rotated its key.
fn may_refresh(actor: &Actor, window_secs: u64) -> bool {
    let fetched = actor.fetched_at.unwrap_or(actor.updated_at);
    !actor.local && now() - fetched > chrono::Duration::seconds(window_secs as i64)
}

async fn refetch(owner: &str, data: &FederationData) -> Result<Actor, FederationError> {
    let url = url::Url::parse(owner)?;
    let fetched = ObjectId::<ApubActor>::from(url)
        .dereference_forced(data)
        .await
        .map_err(key_unavailable)?;
    Ok(fetched.row.clone())
}

/// A key that cannot be had is a 401, unless our own database is what failed: then the
/// sender must keep the activity and retry (503), not drop it.
fn key_unavailable(e: FederationError) -> FederationError {
    match e {
        FederationError::Unavailable(_) => e,
        other => FederationError::Unauthorized(format!("signing key unavailable: {other}")),
    }
}
