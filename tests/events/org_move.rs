//! An organisation moves to another server with its upcoming events, resources and folders:
//! its followers elsewhere follow the new organisation, which publishes what the old one had.

use passage_core::accounts::Role;
use reqwest::Method;
use serde_json::json;
use testkit::{TestNetwork, client::PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_moves_with_its_upcoming_events_and_resources() {
    let net = TestNetwork::start(3).await;
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    let ana = alpha.member("ana").await;
    let mile = alpha
        .organisation_with("mile", "MILE network", &[(&ana, Role::Admin)])
        .await;
    let bo = beta.member("bo").await;
    let mile_next = beta
        .organisation_with("mile", "MILE network", &[(&bo, Role::Admin)])
        .await;
    let gus = gamma.person("gus").await;
    net.follow(2, &gus, 0, &mile).await;
    let (old, new) = (alpha.login("ana").await, beta.login("bo").await);
    // ole, a member who made her members public, moves her own account to beta first.
    let ole = alpha.member("ole").await;
    passage_core::organisations::set_member(alpha.ctx(), None, &mile, &ole, Role::Member)
        .await
        .unwrap();
    passage_core::organisations::set_members_public(alpha.ctx(), None, &mile, true)
        .await
        .unwrap();
    let ole_next = beta.member("ole").await;
    let named = beta
        .login("ole")
        .await
        .form(
            Method::POST,
            "/api/v1/accounts/alias",
            &[("also_known_as_uris[]", &ole.ap_id)],
        )
        .await;
    assert_eq!(named.status, 200, "{}", named.text);
    let moved = alpha
        .login("ole")
        .await
        .form(
            Method::POST,
            "/api/v1/accounts/move",
            &[("password", PASSWORD), ("moved_to_uri", &ole_next.ap_id)],
        )
        .await;
    assert_eq!(moved.status, 202, "{}", moved.text);

    let event = old
        .json(
            Method::POST,
            "/api/passage/v1/events",
            json!({"host": "mile", "name": "Leadership training",
                   "description": "Two hours on running a consultation.",
                   "starts_at": "2031-06-01T18:00", "timezone": "Europe/Brussels",
                   "place": {"name": "Town hall", "locality": "Brussels"}}),
        )
        .await;
    assert_eq!(event.status, 200, "{}", event.text);
    let folder = old
        .json(
            Method::POST,
            "/api/passage/v1/folders",
            json!({"host": "mile", "name": "Toolkits"}),
        )
        .await;
    assert_eq!(folder.status, 200, "{}", folder.text);
    let shared = old
        .json(
            Method::POST,
            "/api/passage/v1/resources",
            json!({"host": "mile", "title": "Annual report", "link_url": "https://mile.example/doc"}),
        )
        .await;
    assert_eq!(shared.status, 200, "{}", shared.text);
    // A file shared in the folder: it must outlive the old server.
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::new(16, 16))
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let file = reqwest::multipart::Part::bytes(jpeg.into_inner())
        .file_name("toolkit.jpg")
        .mime_str("image/jpeg")
        .unwrap();
    let media = old
        .multipart(
            "/api/v2/media",
            reqwest::multipart::Form::new().part("file", file),
        )
        .await;
    assert!(media.status.is_success(), "{}", media.text);
    let shared = old
        .json(
            Method::POST,
            "/api/passage/v1/resources",
            json!({"host": "mile", "title": "Consultation toolkit", "media_ids": [media.body["id"]],
                   "folder_id": folder.body["id"]}),
        )
        .await;
    assert_eq!(shared.status, 200, "{}", shared.text);
    net.deliver_all().await;

    // Adopting before the old organisation moved is refused: nobody's content is taken
    // without its consent.
    let from = format!("mile@{}", alpha.domain());
    let early = new
        .form(
            Method::POST,
            "/api/passage/v1/organisations/mile/adopt",
            &[("from", &from)],
        )
        .await;
    assert_eq!(early.status, 403, "{}", early.text);

    let named = new
        .form(
            Method::POST,
            "/api/passage/v1/organisations/mile/aliases",
            &[("also_known_as_uris[]", &from)],
        )
        .await;
    assert_eq!(named.status, 200, "{}", named.text);
    net.deliver_all().await;
    let moved = old
        .form(
            Method::POST,
            "/api/passage/v1/organisations/mile/move",
            &[("password", PASSWORD), ("moved_to_uri", &mile_next.ap_id)],
        )
        .await;
    assert_eq!(moved.status, 202, "{}", moved.text);
    net.deliver_all().await;
    let mile_next_on_gamma = gamma.known_by_ap_id(&mile_next.ap_id).await;
    assert_eq!(
        gamma.follow_state(&gus, &mile_next_on_gamma).await,
        Some(true)
    );

    let adopted = new
        .form(
            Method::POST,
            "/api/passage/v1/organisations/mile/adopt",
            &[("from", &from)],
        )
        .await;
    assert_eq!(adopted.status, 200, "{}", adopted.text);
    assert_eq!(
        adopted.body,
        json!({"events": 1, "resources": 2, "folders": 1, "members": 1, "skipped": []})
    );
    assert_eq!(
        passage_core::organisations::role_of(beta.ctx(), &mile_next, &ole_next)
            .await
            .unwrap(),
        Some(Role::Member),
        "the member who moved is a member again"
    );
    let events = new.get("/api/passage/v1/events?host=mile").await;
    let list = events.body.as_array().unwrap();
    assert_eq!(list.len(), 1, "{}", events.text);
    assert_eq!(list[0]["name"], "Leadership training");
    assert_eq!(list[0]["starts_at"], "2031-06-01T16:00:00.000Z");
    assert!(
        list[0]["uri"]
            .as_str()
            .unwrap()
            .starts_with(&beta.base_url())
    );
    let top = new.get("/api/passage/v1/resources?host=mile").await;
    assert!(top.text.contains("Annual report"), "{}", top.text);
    let folders = new.get("/api/passage/v1/folders?host=mile").await;
    assert_eq!(folders.body[0]["name"], "Toolkits", "{}", folders.text);
    let inner = new
        .get(&format!(
            "/api/passage/v1/resources?host=mile&folder_id={}",
            folders.body[0]["id"].as_str().unwrap()
        ))
        .await;
    assert!(
        inner.text.contains("Consultation toolkit"),
        "{}",
        inner.text
    );
    let copied = inner.body[0]["media_attachments"][0]["url"]
        .as_str()
        .unwrap();
    assert!(
        copied.starts_with(&beta.base_url()),
        "the file now lives on beta: {copied}"
    );

    // The new event reaches the organisation's followers, who moved with it.
    net.deliver_all().await;
    let uri = list[0]["uri"].as_str().unwrap();
    assert!(
        passage_core::posts::by_ap_id(gamma.ctx(), uri)
            .await
            .unwrap()
            .is_some()
    );
    net.shutdown().await;
}
