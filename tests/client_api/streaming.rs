//! Streaming: the WebSocket masto-based apps open (token in `Sec-WebSocket-Protocol`,
//! multiplexed subscriptions) and the event stream Mastodon.py reads.

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use testkit::TestNetwork;
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next message of `event` type, its payload decoded (a delete's payload is a bare id).
async fn next_event(socket: &mut Socket, event: &str) -> (Value, Value) {
    let wait = async {
        loop {
            let text = match socket.next().await {
                Some(Ok(Message::Text(text))) => text,
                Some(Ok(_)) => continue,
                other => panic!("socket ended: {other:?}"),
            };
            let msg: Value = serde_json::from_str(&text).unwrap();
            if msg["event"] == event {
                let raw = msg["payload"].as_str().unwrap();
                let payload = serde_json::from_str(raw).unwrap_or(Value::String(raw.to_owned()));
                return (msg["stream"].clone(), payload);
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("no {event} event"))
}

#[tokio::test]
async fn a_followed_organisation_reaches_the_socket_and_notifications_follow() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    a.member("ana").await;
    a.member("bea").await;
    let org = b.organisation("ngo", "Migrant Voices").await;
    let ana_api = a.login("ana").await;
    let bea_api = a.login("bea").await;
    let remote = a.lookup(&format!("ngo@{}", b.domain())).await;
    let follow = ana_api
        .post(&format!("/api/v1/accounts/{}/follow", remote.id))
        .await;
    assert_eq!(follow.status, 200);
    net.deliver_all().await;

    // masto.js: the token as the WebSocket protocol, which must be echoed back.
    let url = format!("ws://{}/api/v1/streaming", a.domain());
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        ana_api.token.clone().unwrap().parse().unwrap(),
    );
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"]
            .to_str()
            .unwrap(),
        ana_api.token.as_deref().unwrap()
    );
    socket
        .send(Message::Text(
            json!({"type": "subscribe", "stream": "user"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    socket
        .send(Message::Text(
            json!({"type": "subscribe", "stream": "hashtag", "tag": "Inclusion"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    // Let the subscriptions land before the events they should catch.
    tokio::time::sleep(Duration::from_millis(100)).await;

    passage_core::posts::create(
        b.ctx(),
        &org,
        passage_core::posts::NewPost::public("Training on participation, sign up now #inclusion"),
    )
    .await
    .unwrap();
    net.deliver_all().await;
    let (stream, status) = next_event(&mut socket, "update").await;
    assert!(
        stream == json!(["user"]) || stream == json!(["hashtag", "inclusion"]),
        "{stream}"
    );
    assert_eq!(status["account"]["acct"], format!("ngo@{}", b.domain()));
    let (_, again) = next_event(&mut socket, "update").await;
    assert_eq!(
        again["id"], status["id"],
        "the same post reaches the second subscription"
    );

    let mine = ana_api.status("Looking forward to it").await;
    let (_, own) = next_event(&mut socket, "update").await;
    assert_eq!(own["id"], mine["id"]);
    bea_api
        .post(&format!(
            "/api/v1/statuses/{}/favourite",
            mine["id"].as_str().unwrap()
        ))
        .await;
    let (stream, note) = next_event(&mut socket, "notification").await;
    assert_eq!(stream, json!(["user"]));
    assert_eq!(
        (note["type"].as_str(), note["account"]["acct"].as_str()),
        (Some("favourite"), Some("bea"))
    );

    ana_api
        .json(
            reqwest::Method::DELETE,
            &format!("/api/v1/statuses/{}", mine["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    let (_, gone) = next_event(&mut socket, "delete").await;
    assert_eq!(
        gone.to_string().trim_matches('"'),
        mine["id"].as_str().unwrap()
    );
    net.shutdown().await;
}

/// The first `update` of an event stream: the text read up to it, and its status.
async fn first_update(response: &mut reqwest::Response) -> (String, Value) {
    let read = async {
        let mut seen = String::new();
        while let Some(chunk) = response.chunk().await.unwrap() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("event: update") && seen.ends_with("\n\n") {
                return seen;
            }
        }
        seen
    };
    let seen = tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .unwrap();
    let data = seen.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
    let status = serde_json::from_str(data).unwrap();
    (seen, status)
}

#[tokio::test]
async fn event_streams_carry_public_posts_and_refuse_anonymous_user_streams() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    let health = ana.get("/api/v1/streaming/health").await;
    assert_eq!(health.text, "OK");
    let anonymous = testkit::client::Client::anonymous(&a.base_url())
        .get("/api/v1/streaming/user")
        .await;
    assert_eq!(anonymous.status, 401);

    let request = ana
        .http
        .get(format!("{}/api/v1/streaming/public/local", a.base_url()))
        .bearer_auth(ana.token.as_ref().unwrap())
        .send();
    let mut response = tokio::time::timeout(Duration::from_secs(10), request)
        .await
        .expect("the stream's headers come at once")
        .unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let posted = ana.status("Open call for the policy lab").await;
    let (_, status) = first_update(&mut response).await;
    assert_eq!(status["id"], posted["id"]);
    // Stopping the instance ends the stream rather than waiting for the client.
    net.shutdown().await;
    let rest = tokio::time::timeout(Duration::from_secs(5), response.chunk()).await;
    assert!(matches!(rest, Ok(Ok(None)) | Ok(Err(_))), "{rest:?}");
}

/// The public stream follows the public timeline's moderation: a limited domain's posts reach
/// followers but not the public stream.
#[tokio::test]
async fn the_public_stream_leaves_out_limited_domains() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    let root = a.admin("root").await;
    let ana_actor = a.member("ana").await;
    let ana = a.login("ana").await;
    let eve = b.member("eve").await;
    let eve_api = b.login("eve").await;
    net.follow(0, &ana_actor, 1, &eve).await;
    let limited = root
        .json(
            reqwest::Method::POST,
            "/api/v1/admin/domain_blocks",
            json!({"domain": b.domain(), "severity": "silence"}),
        )
        .await;
    assert_eq!(limited.status, 200, "{}", limited.text);

    let mut response = ana
        .http
        .get(format!("{}/api/v1/streaming/public", a.base_url()))
        .bearer_auth(ana.token.as_ref().unwrap())
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // eve's post arrives first; ana's comes after it. Only ana's may reach the stream.
    eve_api.status("From a limited server").await;
    net.deliver_all().await;
    let posted = ana.status("From here").await;
    let (seen, status) = first_update(&mut response).await;
    assert_eq!(status["id"], posted["id"], "{seen}");
    let home = ana.get("/api/v1/timelines/home").await;
    assert!(
        home.text.contains("From a limited server"),
        "followers still get it: {}",
        home.text
    );
    net.shutdown().await;
}
