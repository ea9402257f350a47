//! Streaming, both ways clients use it: one WebSocket at `/api/v1/streaming` with streams
//! chosen by `?stream=` and changed by `{"type":"subscribe"|"unsubscribe",...}` messages (masto,
//! Elk, Phanpy, megalodon), and HTTP event streams at `/api/v1/streaming/<stream>` (Mastodon.py's
//! default). Messages are `{"stream":[...],"event":...,"payload":"<JSON text>"}`: masto needs the
//! `stream` array and parses `payload` a second time; a delete carries the bare id.
//!
//! The token may come as `?access_token=`, an `Authorization` header or the
//! `Sec-WebSocket-Protocol` header; in the last case it is echoed back, or Chromium drops the
//! socket.

use super::statuses;
use crate::{
    ApiError, ApiResult, ApiState,
    auth::{Auth, bearer},
    entities,
};
use axum::{
    Router,
    extract::{
        FromRequestParts, Path, Query, State,
        ws::{Message, WebSocket, WebSocketUpgrade},
    },
    http::request::Parts,
    response::{IntoResponse, Response, Sse, sse},
    routing::get,
};
use futures::StreamExt;
use passage_core::{
    Actor, notifications, posts,
    streaming::{Event, Feed, includes},
};
use serde::Deserialize;
use serde_json::json;
use std::{collections::HashMap, convert::Infallible, time::Duration};
use tokio::sync::broadcast::error::RecvError;

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/streaming", get(websocket))
        .route("/api/v1/streaming/health", get(|| async { "OK" }))
        .route("/api/v1/streaming/{*stream}", get(event_stream))
}

/// Which of the viewer's filters apply to a feed (direct messages are never filtered).
fn filter_context(feed: &Feed) -> Option<&'static str> {
    match feed {
        Feed::Home | Feed::List(_) => Some("home"),
        Feed::Public { .. } | Feed::Tag { .. } => Some("public"),
        Feed::Direct => None,
    }
}

/// One subscription: a stream name as clients write it, and its parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Subscription {
    name: String,
    tag: Option<String>,
    feed: Option<Feed>,
    notifications: bool,
}

impl Subscription {
    fn parse(name: &str, tag: Option<&str>, signed_in: bool) -> Result<Self, String> {
        let tag_feed = |local_only| {
            let tag = tag.filter(|t| !t.is_empty()).ok_or("missing tag")?;
            Ok::<_, String>(Feed::Tag {
                tag: tag.trim_start_matches('#').to_owned(),
                local_only,
            })
        };
        let (feed, notifications, personal) = match name {
            "user" => (Some(Feed::Home), true, true),
            "user:notification" => (None, true, true),
            "public" => (Some(Feed::Public { local: None }), false, false),
            "public:local" => (Some(Feed::Public { local: Some(true) }), false, false),
            "public:remote" => (Some(Feed::Public { local: Some(false) }), false, false),
            "hashtag" => (Some(tag_feed(false)?), false, false),
            "hashtag:local" => (Some(tag_feed(true)?), false, false),
            "direct" => (Some(Feed::Direct), false, true),
            "list" => {
                let id = tag
                    .and_then(|l| l.parse().ok())
                    .ok_or("missing or bad list id")?;
                (Some(Feed::List(id)), false, true)
            }
            other => return Err(format!("unknown stream {other:?}")),
        };
        if personal && !signed_in {
            return Err("this stream requires an access token".into());
        }
        Ok(Self {
            name: name.to_owned(),
            tag: tag.map(|t| t.trim_start_matches('#').to_lowercase()),
            feed,
            notifications,
        })
    }

    fn stream_field(&self) -> Vec<String> {
        let mut s = vec![self.name.clone()];
        s.extend(
            self.tag
                .clone()
                .filter(|_| self.name.starts_with("hashtag") || self.name == "list"),
        );
        s
    }
}

/// One message to send.
struct Outgoing {
    stream: Vec<String>,
    event: &'static str,
    payload: String,
}

impl Outgoing {
    fn text(&self) -> String {
        json!({"stream": self.stream, "event": self.event, "payload": self.payload}).to_string()
    }
}

/// What `event` means for a listener with `subs`: the messages it gets (often none).
async fn messages(
    state: &ApiState,
    viewer: Option<&Actor>,
    subs: &[Subscription],
    event: Event,
) -> ApiResult<Vec<Outgoing>> {
    let ctx = &state.ctx;
    let mut out = Vec::new();
    match event {
        Event::Post(id) | Event::Edited(id) => {
            let Ok(post) = posts::by_id(ctx, id).await else {
                return Ok(out);
            };
            // Rendered once per filter context: home and public feeds may filter differently.
            let mut rendered: HashMap<Option<&str>, Option<String>> = HashMap::new();
            for sub in subs {
                let Some(feed) = &sub.feed else { continue };
                if !includes(ctx, viewer, feed, &post).await? {
                    continue;
                }
                let context = filter_context(feed);
                let payload = match rendered.get(&context) {
                    Some(p) => p.clone(),
                    None => {
                        // Nothing when hidden from this viewer (a block, a mute, a filter).
                        let p = statuses(state, viewer, vec![post.clone()], context)
                            .await?
                            .pop()
                            .map(|s| serde_json::to_string(&s).unwrap_or_default());
                        rendered.insert(context, p.clone());
                        p
                    }
                };
                let Some(payload) = payload else { continue };
                let kind = match (event, feed) {
                    (_, Feed::Direct) => "conversation",
                    (Event::Edited(_), _) => "status.update",
                    _ => "update",
                };
                let payload = if kind == "conversation" {
                    conversation(&payload, id)
                } else {
                    payload
                };
                out.push(Outgoing {
                    stream: sub.stream_field(),
                    event: kind,
                    payload,
                });
            }
        }
        Event::Deleted(id) => {
            // A deleted boost leaves no row: its id is public, tell every feed.
            let post = posts::by_id(ctx, id).await.ok();
            for sub in subs {
                let Some(feed) = &sub.feed else { continue };
                let reaches = match &post {
                    Some(p) => includes(ctx, viewer, feed, p).await?,
                    None => true,
                };
                if reaches {
                    out.push(Outgoing {
                        stream: sub.stream_field(),
                        event: "delete",
                        payload: id.to_string(),
                    });
                }
            }
        }
        Event::Notification { id, recipient_id } => {
            let Some(viewer) = viewer.filter(|v| v.id == recipient_id) else {
                return Ok(out);
            };
            let Some(sub) = subs.iter().find(|s| s.notifications) else {
                return Ok(out);
            };
            let Ok(row) = notifications::get(ctx, viewer, id).await else {
                return Ok(out);
            };
            let rows = [row];
            let (accounts, posts) = notifications::subjects(ctx, viewer, &rows).await?;
            let warnings = entities::warnings_for(ctx, &rows, &accounts).await?;
            if let Some(n) =
                entities::notification_from(ctx, &rows[0], &accounts, &posts, &warnings)
            {
                out.push(Outgoing {
                    stream: sub.stream_field(),
                    event: "notification",
                    payload: serde_json::to_string(&n).unwrap_or_default(),
                });
            }
        }
    }
    Ok(out)
}

/// A Mastodon Conversation around a direct post (its id stands for the conversation; the
/// author stands for its participants until conversations are kept).
fn conversation(status_json: &str, id: i64) -> String {
    let status: serde_json::Value = serde_json::from_str(status_json).unwrap_or_default();
    json!({"id": id.to_string(), "unread": true, "accounts": [status["account"]], "last_status": status})
        .to_string()
}

#[derive(Deserialize)]
struct StreamQuery {
    stream: Option<String>,
    tag: Option<String>,
    list: Option<String>,
}

/// The caller, from the usual places or from `Sec-WebSocket-Protocol`: her token must allow
/// `read:statuses` and her login must not be frozen, or nothing is streamed (403), as a token
/// for uploads only must not hear a direct message arrive.
async fn viewer(state: &ApiState, parts: &mut Parts) -> ApiResult<(Option<Actor>, Option<String>)> {
    const SCOPE: &str = "read:statuses";
    let protocol = parts
        .headers
        .get("sec-websocket-protocol")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').next().unwrap_or("").trim().to_owned())
        .filter(|v| !v.is_empty());
    if bearer(parts).is_some() {
        let auth = Auth::from_request_parts(parts, state).await?;
        return Ok((auth.viewer(SCOPE)?.cloned(), None));
    }
    if let Some(token) = protocol {
        let grant = passage_core::oauth::authenticate(&state.ctx, &token)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let actor = Auth(Some(grant)).viewer(SCOPE)?.cloned();
        return Ok((actor, Some(token)));
    }
    Ok((None, None))
}

async fn websocket(
    State(state): State<ApiState>,
    Query(q): Query<StreamQuery>,
    request: axum::extract::Request,
) -> Response {
    let (mut parts, _) = request.into_parts();
    let (actor, protocol) = match viewer(&state, &mut parts).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(u) => u,
        Err(e) => return ApiError::bad_request(e.body_text()).into_response(),
    };
    let mut subs = Vec::new();
    if let Some(name) = &q.stream {
        match Subscription::parse(
            name,
            q.tag.as_deref().or(q.list.as_deref()),
            actor.is_some(),
        ) {
            Ok(s) => subs.push(s),
            Err(m) => return ApiError::bad_request(m).into_response(),
        }
    }
    let upgrade = match protocol {
        Some(p) => upgrade.protocols([p]),
        None => upgrade,
    };
    upgrade.on_upgrade(move |socket| serve_socket(state, actor, subs, socket))
}

#[derive(Deserialize)]
struct Command {
    #[serde(rename = "type")]
    kind: String,
    stream: String,
    tag: Option<String>,
    list: Option<String>,
}

async fn serve_socket(
    state: ApiState,
    actor: Option<Actor>,
    mut subs: Vec<Subscription>,
    mut socket: WebSocket,
) {
    let mut events = state.ctx.stream.subscribe();
    let mut ping = tokio::time::interval(Duration::from_secs(30));
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if let Some(reply) = command(&mut subs, &text, actor.is_some())
                        && socket.send(Message::Text(reply.into())).await.is_err()
                    {
                        return;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            event = events.recv() => {
                let event = match event {
                    Ok(e) => e,
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                };
                match messages(&state, actor.as_ref(), &subs, event).await {
                    Ok(list) => for m in list {
                        if socket.send(Message::Text(m.text().into())).await.is_err() {
                            return;
                        }
                    },
                    Err(e) => tracing::warn!(error = e.message, "streaming event failed"),
                }
            }
            () = state.ctx.stream.closed() => {
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
            _ = ping.tick() => {
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Applies a subscribe/unsubscribe message; an error message to send back if it was wrong.
fn command(subs: &mut Vec<Subscription>, text: &str, signed_in: bool) -> Option<String> {
    let cmd: Command = match serde_json::from_str(text) {
        Ok(c) => c,
        Err(e) => return Some(json!({"error": format!("bad message: {e}")}).to_string()),
    };
    let param = cmd.tag.as_deref().or(cmd.list.as_deref());
    let sub = match Subscription::parse(&cmd.stream, param, signed_in) {
        Ok(s) => s,
        Err(m) => return Some(json!({"error": m}).to_string()),
    };
    match cmd.kind.as_str() {
        "subscribe" if !subs.contains(&sub) => subs.push(sub),
        "subscribe" => {}
        "unsubscribe" => subs.retain(|s| *s != sub),
        other => return Some(json!({"error": format!("unknown type {other:?}")}).to_string()),
    }
    None
}

/// `/api/v1/streaming/user`, `/public/local`, `/hashtag?tag=`...: the same events as HTTP
/// server-sent events.
async fn event_stream(
    State(state): State<ApiState>,
    Path(path): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    request: axum::extract::Request,
) -> Response {
    let (mut parts, _) = request.into_parts();
    let actor = match viewer(&state, &mut parts).await {
        Ok((a, _)) => a,
        Err(e) => return e.into_response(),
    };
    let name = path.trim_matches('/').replace('/', ":");
    let param = q.get("tag").or_else(|| q.get("list")).map(String::as_str);
    let sub = match Subscription::parse(&name, param, actor.is_some()) {
        Ok(s) => s,
        Err(m) if actor.is_none() && m.contains("token") => {
            return ApiError::unauthorized().into_response();
        }
        Err(m) => return ApiError::not_found_with(m).into_response(),
    };
    let events = state.ctx.stream.subscribe();
    let stream = futures::stream::unfold(
        (state, actor, vec![sub], events),
        |(state, actor, subs, mut events)| async move {
            loop {
                let event = tokio::select! {
                    event = events.recv() => match event {
                        Ok(e) => e,
                        Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    },
                    () = state.ctx.stream.closed() => return None,
                };
                let list = messages(&state, actor.as_ref(), &subs, event)
                    .await
                    .unwrap_or_default();
                if !list.is_empty() {
                    let frames: Vec<Result<sse::Event, Infallible>> = list
                        .into_iter()
                        .map(|m| Ok(sse::Event::default().event(m.event).data(m.payload)))
                        .collect();
                    return Some((futures::stream::iter(frames), (state, actor, subs, events)));
                }
            }
        },
    )
    .flatten();
    Sse::new(stream)
        .keep_alive(
            sse::KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text(":thump"),
        )
        .into_response()
}
