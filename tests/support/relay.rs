//! A relay on loopback, as the fediverse runs them, for the relay tests. It stands for a
//! third-party server, not for Passage, and speaks either style:
//! - Mastodon's (pub-relay, ActivityRelay): subscribers follow the public collection at its
//!   inbox, and it forwards what they send as it is, under its own signature. This one also
//!   tampers with what it forwards, as a hostile relay could: receivers must not believe it.
//! - LitePub's (aode-relay, Pleroma): subscribers follow its actor, and it `Announce`s the
//!   objects they send.
//!
//! It answers as it goes (a `Follow`'s `Accept`, a post passed on) before its own answer, so
//! a test that has delivered to it finds the relaying done.

use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{get, post},
};
use passage_core::keys::parse_private_pem;
use passage_federation::signatures;
use serde_json::{Value, json};
use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Mastodon,
    LitePub,
}

pub struct Relay {
    pub base: String,
    state: Arc<Shared>,
}

struct Shared {
    style: Style,
    key: RsaKeyPair,
    public_pem: String,
    actor: String,
    /// Subscribers' actor ids → their inboxes.
    subscribers: Mutex<BTreeMap<String, String>>,
    passed_on: Mutex<usize>,
    http: reqwest::Client,
}

impl Relay {
    /// Starts a relay on `localhost:PORT` signing with the shipped test key `key`.
    pub async fn start(style: Style, key: usize) -> Self {
        let pair = crate::key_pool_pairs().swap_remove(key);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
        let state = Arc::new(Shared {
            style,
            key: parse_private_pem(&pair.private_pem).unwrap(),
            public_pem: pair.public_pem,
            actor: format!("{base}/actor"),
            subscribers: Mutex::new(BTreeMap::new()),
            passed_on: Mutex::new(0),
            http: reqwest::Client::new(),
        });
        let app = Router::new()
            .route("/actor", get(actor))
            .route("/inbox", post(inbox))
            .with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base, state }
    }

    /// What an admin enters to subscribe: the inbox (Mastodon's style) or the actor.
    pub fn address(&self) -> String {
        match self.state.style {
            Style::Mastodon => format!("{}/inbox", self.base),
            Style::LitePub => self.state.actor.clone(),
        }
    }

    pub fn subscribers(&self) -> usize {
        self.state.subscribers.lock().unwrap().len()
    }

    /// Deliveries made to subscribers of what others sent.
    pub fn passed_on(&self) -> usize {
        *self.state.passed_on.lock().unwrap()
    }
}

async fn actor(State(state): State<Arc<Shared>>) -> ([(&'static str, &'static str); 1], String) {
    let body = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": state.actor,
        "type": "Application",
        "preferredUsername": "relay",
        "inbox": state.actor.replace("/actor", "/inbox"),
        "publicKey": {
            "id": format!("{}#main-key", state.actor),
            "owner": state.actor,
            "publicKeyPem": state.public_pem,
        },
    });
    (
        [("content-type", "application/activity+json")],
        body.to_string(),
    )
}

async fn inbox(State(state): State<Arc<Shared>>, Json(activity): Json<Value>) -> StatusCode {
    let sender = activity["actor"].as_str().unwrap_or_default().to_owned();
    match activity["type"].as_str() {
        Some("Follow") => {
            let inbox = inbox_of(&state, &sender).await;
            state
                .subscribers
                .lock()
                .unwrap()
                .insert(sender.clone(), inbox.clone());
            let accept = json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{}/accepts/{}", state.actor, uuid::Uuid::new_v4()),
                "type": "Accept",
                "actor": state.actor,
                "object": activity,
            });
            send(&state, &inbox, &accept).await;
        }
        Some("Undo") => {
            state.subscribers.lock().unwrap().remove(&sender);
        }
        Some("Create" | "Update" | "Delete" | "Announce") => {
            let subscribers: Vec<(String, String)> = state
                .subscribers
                .lock()
                .unwrap()
                .iter()
                .map(|(a, i)| (a.clone(), i.clone()))
                .collect();
            // Subscriptions are per server: any account of a subscribed server may send.
            let origin = |u: &str| url::Url::parse(u).map(|u| u.origin()).ok();
            let Some(from) = subscribers
                .iter()
                .find(|(a, _)| origin(a).is_some() && origin(a) == origin(&sender))
            else {
                return StatusCode::FORBIDDEN;
            };
            let passed = match state.style {
                Style::Mastodon => {
                    let mut forwarded = activity.clone();
                    if let Some(object) = forwarded["object"].as_object_mut() {
                        object.insert("content".into(), json!("<p>Forged by the relay</p>"));
                    }
                    forwarded
                }
                Style::LitePub => {
                    let object = &activity["object"];
                    let id = object["id"]
                        .as_str()
                        .or(object.as_str())
                        .unwrap_or_default();
                    json!({
                        "@context": "https://www.w3.org/ns/activitystreams",
                        "id": format!("{}/announces/{}", state.actor, uuid::Uuid::new_v4()),
                        "type": "Announce",
                        "actor": state.actor,
                        "to": ["https://www.w3.org/ns/activitystreams#Public"],
                        "object": id,
                    })
                }
            };
            for (_, inbox) in subscribers.iter().filter(|(_, i)| *i != from.1) {
                send(&state, inbox, &passed).await;
                *state.passed_on.lock().unwrap() += 1;
            }
        }
        _ => {}
    }
    StatusCode::ACCEPTED
}

/// A subscriber's (shared) inbox, from its actor document.
async fn inbox_of(state: &Shared, actor: &str) -> String {
    let document: Value = state
        .http
        .get(actor)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    document["endpoints"]["sharedInbox"]
        .as_str()
        .or(document["inbox"].as_str())
        .unwrap()
        .to_owned()
}

/// POSTs `activity` to `inbox`, signed by the relay.
async fn send(state: &Shared, inbox: &str, activity: &Value) {
    let body = activity.to_string();
    let url = url::Url::parse(inbox).unwrap();
    let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let headers = signatures::sign(
        &state.key,
        &format!("{}#main-key", state.actor),
        "POST",
        &host,
        url.path(),
        Some(body.as_bytes()),
        &[("content-type", "application/activity+json")],
    )
    .unwrap();
    let mut request = state
        .http
        .post(inbox)
        .header("content-type", "application/activity+json")
        .body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let status = request.send().await.unwrap().status();
    assert!(status.is_success(), "{inbox} answered the relay {status}");
}
