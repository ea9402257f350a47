//! What clients check before anything else: instance documents, version string, trailing
//! slashes, CORS, server metadata.

use testkit::{TestNetwork, client::Client};

#[tokio::test]
async fn instance_documents_and_wire_details() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let anon = Client::anonymous(&a.base_url());
    for path in ["/api/v1/instance", "/api/v1/instance/", "/api/v2/instance/"] {
        let doc = anon.get(path).await;
        assert_eq!(doc.status, 200, "{path}");
        let version = doc.body["version"].as_str().unwrap();
        assert!(
            version.starts_with("4.3.0 (compatible; Passage "),
            "{version}"
        );
    }
    let v1 = anon.get("/api/v1/instance").await;
    assert_eq!(v1.body["uri"], a.domain());
    assert!(
        v1.body["urls"]["streaming_api"]
            .as_str()
            .unwrap()
            .starts_with("ws")
    );
    let v2 = anon.get("/api/v2/instance").await;
    assert_eq!(v2.body["api_versions"]["mastodon"], 2);
    assert!(v2.body["configuration"]["media_attachments"]["supported_mime_types"].is_array());
    assert!(v2.body["configuration"]["accounts"]["max_featured_tags"].is_number());

    let meta = anon.get("/.well-known/oauth-authorization-server").await;
    assert_eq!(meta.body["code_challenge_methods_supported"][0], "S256");
    assert!(
        meta.body["grant_types_supported"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g == "password")
    );

    // A browser client's preflight and request from another origin.
    let preflight = anon
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/timelines/home", a.base_url()),
        )
        .header("Origin", "http://localhost:4173")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    let cors = anon
        .http
        .get(format!("{}/api/v1/timelines/public", a.base_url()))
        .header("Origin", "http://localhost:4173")
        .send()
        .await
        .unwrap();
    assert_eq!(cors.headers()["access-control-expose-headers"], "*");
    let nodeinfo = anon
        .http
        .get(format!("{}/nodeinfo/2.0", a.base_url()))
        .header("Origin", "http://localhost:4173")
        .send()
        .await
        .unwrap();
    assert_eq!(
        nodeinfo
            .headers()
            .get_all("access-control-allow-origin")
            .iter()
            .count(),
        1
    );

    for stub in [
        "/api/v1/custom_emojis",
        "/api/v1/trends/tags",
        "/api/v2/suggestions",
        "/api/v1/announcements",
    ] {
        let answer = anon.get(stub).await;
        assert_eq!(
            (answer.status.as_u16(), answer.text.as_str()),
            (200, "[]"),
            "{stub}"
        );
    }
    net.shutdown().await;
}
