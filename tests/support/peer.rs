//! A third-party server on loopback, for interop tests: it serves whatever documents a test
//! gives it (actors shaped as other software shapes them, notes, nothing at all), may insist
//! on signed fetches as Mastodon's secure mode and GoToSocial do, and sends signed
//! activities from its actors. It stands for software that is not Passage.

use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
use axum::{
    Router,
    body::Bytes,
    http::{HeaderMap, Method, StatusCode, Uri},
};
use passage_core::keys::parse_private_pem;
use passage_federation::signatures::{
    self, IncomingRequest, PublicKey, SignatureHeader, rfc9421::MessageSignature,
};
use serde_json::{Value, json};
use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

/// Which GETs the peer answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetches {
    /// Any GET, signed or not.
    Open,
    /// Only GETs signed draft-cavage over at least `(request-target) host date`, as Mastodon
    /// in secure mode checks them.
    SignedCavage,
    /// Only GETs signed the RFC 9421 way.
    SignedRfc9421,
}

pub struct Peer {
    pub base: String,
    state: Arc<State>,
}

struct State {
    fetches: Fetches,
    key: RsaKeyPair,
    public_pem: String,
    documents: Mutex<BTreeMap<String, Value>>,
    refused: Mutex<Vec<String>>,
    http: reqwest::Client,
}

impl Peer {
    /// Starts a peer on `localhost:PORT`; its actors sign with the shipped test key `key`.
    pub async fn start(fetches: Fetches, key: usize) -> Self {
        let pair = crate::key_pool_pairs().swap_remove(key);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
        let state = Arc::new(State {
            fetches,
            key: parse_private_pem(&pair.private_pem).unwrap(),
            public_pem: pair.public_pem,
            documents: Mutex::default(),
            refused: Mutex::default(),
            http: reqwest::Client::new(),
        });
        let shared = state.clone();
        let app = Router::new().fallback(move |method, uri, headers, body| {
            let state = shared.clone();
            async move { answer(&state, method, uri, headers, body).await }
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base, state }
    }

    /// The id of the actor `name` (served once [`Self::actor`] has added it).
    pub fn actor_id(&self, name: &str) -> String {
        format!("{}/users/{name}", self.base)
    }

    /// Adds a Person `name` with this peer's key, changed by `shape` (to look like a given
    /// software's actor), and returns its document.
    pub fn actor(&self, name: &str, shape: impl FnOnce(&mut Value)) -> Value {
        let id = self.actor_id(name);
        let mut document = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id,
            "type": "Person",
            "preferredUsername": name,
            "inbox": format!("{id}/inbox"),
            "outbox": format!("{id}/outbox"),
            "followers": format!("{id}/followers"),
            "publicKey": {
                "id": format!("{id}#main-key"),
                "owner": id,
                "publicKeyPem": self.state.public_pem,
            },
        });
        shape(&mut document);
        self.serve(&id, document.clone());
        document
    }

    /// Serves `document` at `url` (a URL of this peer).
    pub fn serve(&self, url: &str, document: Value) {
        let path = url::Url::parse(url).unwrap().path().to_owned();
        self.state.documents.lock().unwrap().insert(path, document);
    }

    /// GETs refused for want of an acceptable signature, with the reason.
    pub fn refused(&self) -> Vec<String> {
        self.state.refused.lock().unwrap().clone()
    }

    /// POSTs `activity` to `inbox`, signed draft-cavage by the actor `name` as Mastodon signs.
    pub async fn send(&self, name: &str, inbox: &str, activity: &Value) -> (StatusCode, String) {
        self.send_claiming(&self.actor_id(name), inbox, activity)
            .await
    }

    /// POSTs `activity` signed with this peer's key under the key id of `actor` (which may be
    /// another server's: a forgery).
    pub async fn send_claiming(
        &self,
        actor: &str,
        inbox: &str,
        activity: &Value,
    ) -> (StatusCode, String) {
        let body = activity.to_string();
        let url = url::Url::parse(inbox).unwrap();
        let headers = signatures::sign(
            &self.state.key,
            &format!("{actor}#main-key"),
            "POST",
            &url[url::Position::BeforeHost..url::Position::AfterPort],
            &url[url::Position::BeforePath..url::Position::AfterQuery],
            Some(body.as_bytes()),
            &[("content-type", "application/activity+json")],
        )
        .unwrap();
        let mut request = self
            .state
            .http
            .post(inbox)
            .header("content-type", "application/activity+json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
        (status, response.text().await.unwrap_or_default())
    }
}

async fn answer(
    state: &State,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    _body: Bytes,
) -> (StatusCode, [(&'static str, &'static str); 1], String) {
    const JSON: [(&str, &str); 1] = [("content-type", "application/activity+json")];
    if method != Method::GET {
        return (StatusCode::ACCEPTED, JSON, String::new());
    }
    if let Err(why) = check_fetch(state, &uri, &headers).await {
        state.refused.lock().unwrap().push(why.clone());
        return (StatusCode::UNAUTHORIZED, JSON, why);
    }
    match state.documents.lock().unwrap().get(uri.path()) {
        Some(document) => (StatusCode::OK, JSON, document.to_string()),
        None => (StatusCode::NOT_FOUND, JSON, String::new()),
    }
}

/// Whether a GET is signed as this peer demands, verified with the signer's published key.
async fn check_fetch(state: &State, uri: &Uri, headers: &HeaderMap) -> Result<(), String> {
    if state.fetches == Fetches::Open {
        return Ok(());
    }
    let map = signatures::header_map(headers);
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let request = IncomingRequest {
        method: "GET",
        scheme: "http",
        path_and_query: path,
        headers: &map,
        body: None,
    };
    let now = SystemTime::now();
    let max_age = Duration::from_secs(3600);
    match state.fetches {
        Fetches::SignedCavage => {
            let header = SignatureHeader::parse(map.get("signature").ok_or("unsigned")?)
                .map_err(|e| e.to_string())?;
            for needed in ["(request-target)", "host", "date"] {
                if !header.headers.iter().any(|h| h == needed) {
                    return Err(format!("signature does not cover {needed}"));
                }
            }
            let key = signer_key(state, &header.key_id).await?;
            signatures::verify(&request, &header, &key, now, max_age).map_err(|e| e.to_string())
        }
        Fetches::SignedRfc9421 => {
            let input = map.get("signature-input").ok_or("no RFC 9421 signature")?;
            let sig = MessageSignature::parse(input, map.get("signature").ok_or("unsigned")?)
                .map_err(|e| e.to_string())?;
            let key = signer_key(state, &sig.key_id).await?;
            signatures::rfc9421::verify(&request, &sig, &key, now, max_age)
                .map_err(|e| e.to_string())
        }
        Fetches::Open => Ok(()),
    }
}

/// The key the signer's own document publishes (fetched unsigned, as Mastodon does for keys).
async fn signer_key(state: &State, key_id: &str) -> Result<PublicKey, String> {
    let owner = signatures::key_owner(key_id);
    let document: Value = state
        .http
        .get(&owner)
        .header("accept", "application/activity+json")
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let pem = document["publicKey"]["publicKeyPem"]
        .as_str()
        .ok_or("signer has no key")?;
    PublicKey::from_pem(pem).map_err(|e| e.to_string())
}
