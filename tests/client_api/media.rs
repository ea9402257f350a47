//! Media: upload (v2, as toot and masto send it), poll, describe, attach, federate; the file
//! served is a re-encoded image without the metadata a phone writes into photos.

use reqwest::multipart::{Form, Part};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use testkit::{
    TestNetwork,
    client::Client,
    s3::{self, S3Server},
};

/// A JPEG with an Exif segment carrying a marker that must not survive the upload.
pub(crate) fn photo_with_location() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let jpeg = jpeg.into_inner();
    let payload = b"Exif\0\0GPSLatitude=50.8503;secret-location-marker";
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
    out.extend(&jpeg[2..]);
    out
}

pub(crate) async fn upload(
    client: &Client,
    path: &str,
    bytes: Vec<u8>,
    name: &str,
) -> (u16, Value) {
    let form = Form::new()
        .part(
            "file",
            Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str("image/jpeg")
                .unwrap(),
        )
        .text("description", "Participants at the policy lab")
        .text("focus", "0.25,-0.5");
    let answer = client.multipart(path, form).await;
    (answer.status.as_u16(), answer.body)
}

#[tokio::test]
async fn uploads_are_cleaned_attached_and_federated() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    let ana = a.member("ana").await;
    let bea = b.member("bea").await;
    net.follow(1, &bea, 0, &ana).await;
    let ana_api = a.login("ana").await;
    let bea_api = b.login("bea").await;

    let photo = photo_with_location();
    assert!(photo.windows(22).any(|w| w == b"secret-location-marker"));
    let (status, media) = upload(&ana_api, "/api/v2/media", photo, "lab.jpg").await;
    assert_eq!(status, 200, "{media}");
    assert_eq!(media["type"], "image");
    assert_eq!(media["meta"]["original"]["width"], 64);
    assert_eq!(media["meta"]["focus"], json!({"x": 0.25, "y": -0.5}));
    assert!(media["blurhash"].as_str().is_some_and(|b| b.len() > 6));
    let id = media["id"].as_str().unwrap().to_owned();

    // masto polls the upload until it has a URL.
    let polled = ana_api.get(&format!("/api/v1/media/{id}")).await;
    assert_eq!(polled.body["url"], media["url"]);
    let described = ana_api
        .form(
            reqwest::Method::PUT,
            &format!("/api/v1/media/{id}"),
            &[("description", "Lab, day one")],
        )
        .await;
    assert_eq!(described.body["description"], "Lab, day one");

    let file = reqwest::get(media["url"].as_str().unwrap()).await.unwrap();
    assert_eq!(file.headers()["content-type"], "image/jpeg");
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    let bytes = file.bytes().await.unwrap();
    assert!(
        !bytes.windows(22).any(|w| w == b"secret-location-marker"),
        "metadata removed"
    );
    assert!(image::load_from_memory(&bytes).is_ok());
    let thumb = reqwest::get(media["preview_url"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(thumb.status(), 200);

    let posted = ana_api
        .json(
            reqwest::Method::POST,
            "/api/v1/statuses",
            json!({"status": "Day one", "media_ids": [id]}),
        )
        .await;
    assert_eq!(posted.status, 200, "{}", posted.text);
    assert_eq!(posted.body["media_attachments"][0]["id"], id.as_str());
    // An upload attaches once.
    let again = ana_api
        .json(
            reqwest::Method::POST,
            "/api/v1/statuses",
            json!({"status": "again", "media_ids": [id]}),
        )
        .await;
    assert_eq!(again.status, 422);

    net.deliver_all().await;
    let home = bea_api.get("/api/v1/timelines/home").await;
    let remote = &home.body[0]["media_attachments"][0];
    assert_eq!(remote["url"], media["url"], "{}", home.text);
    assert_eq!(remote["description"], "Lab, day one");
    assert_eq!(remote["blurhash"], media["blurhash"]);
    net.shutdown().await;
}

#[tokio::test]
async fn bad_uploads_are_refused_as_json() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    let (status, body) = upload(
        &ana,
        "/api/v1/media",
        b"#!/bin/sh\necho not an image\n".to_vec(),
        "x.jpg",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"].is_string());
    let (status, body) = upload(&ana, "/api/v2/media", vec![0u8; 3 * 1024 * 1024], "big.jpg").await;
    assert_eq!(status, 413, "{body}");
    assert!(body["error"].is_string());
    let other = a.login("ana").await;
    let missing = other.get("/api/v1/media/99999").await;
    assert_eq!(missing.status, 404);
    net.shutdown().await;
}

/// `media.store = "s3"`: uploads and profile pictures go to an S3-compatible bucket (a real
/// SigV4-checking server on loopback), are served from it under the instance's `/media/`,
/// federate like any upload, and go when replaced. Wrong credentials fail the upload with a
/// JSON error and leave no row behind.
#[tokio::test]
async fn uploads_can_live_in_an_s3_bucket() {
    let s3 = S3Server::start().await;
    let mut net = TestNetwork::start(2).await;
    net.instances[0].stop().await;
    s3.configure(&mut net.instances[0].config, s3::SECRET_KEY);
    net.instances[0].start().await;
    let (a, b) = (net.get(0), net.get(1));
    let ana = a.member("ana").await;
    let bea = b.member("bea").await;
    net.follow(1, &bea, 0, &ana).await;
    let ana_api = a.login("ana").await;
    let bea_api = b.login("bea").await;

    let (status, media) = upload(&ana_api, "/api/v2/media", photo_with_location(), "lab.jpg").await;
    assert_eq!(status, 200, "{media}");
    let url = media["url"].as_str().unwrap().to_owned();
    let name = url
        .strip_prefix(&format!("{}/media/", a.base_url()))
        .unwrap_or_else(|| panic!("{url}"));
    let stored = std::fs::read(s3.object_path(name)).expect("the file is in the bucket");
    assert_eq!(
        s3.objects().len(),
        2,
        "file and thumbnail: {:?}",
        s3.objects()
    );
    assert!(std::fs::read_dir(a.ctx().config.storage.data_dir.clone() + "/media").is_err());

    let served = reqwest::get(&url).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert_eq!(served.bytes().await.unwrap(), stored);
    let missing = reqwest::get(format!("{}/media/nothing.png", a.base_url()))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let outside = reqwest::get(format!("{}/media/..%2Fpassage.db", a.base_url()))
        .await
        .unwrap();
    assert_eq!(outside.status(), 404);

    let posted = ana_api
        .json(
            reqwest::Method::POST,
            "/api/v1/statuses",
            json!({"status": "From the bucket", "media_ids": [media["id"]]}),
        )
        .await;
    assert_eq!(posted.status, 200, "{}", posted.text);
    net.deliver_all().await;
    let home = bea_api.get("/api/v1/timelines/home").await;
    assert_eq!(home.body[0]["media_attachments"][0]["url"], url.as_str());

    // A replaced avatar leaves the bucket.
    let avatar = |bytes: Vec<u8>| {
        Form::new().part(
            "avatar",
            Part::bytes(bytes)
                .file_name("me.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        )
    };
    let first = ana_api
        .multipart_as(
            reqwest::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            avatar(photo_with_location()),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let first_name = first.body["avatar"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(s3.object_path(&first_name).exists());
    let second = ana_api
        .multipart_as(
            reqwest::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            avatar(photo_with_location()),
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert!(!s3.object_path(&first_name).exists(), "old avatar removed");
    assert_eq!(s3.objects().len(), 3);

    // A store that refuses the credentials: the upload fails cleanly, nothing is kept.
    net.instances[0].stop().await;
    s3.configure(&mut net.instances[0].config, "not-the-secret");
    net.instances[0].start().await;
    let a = net.get(0);
    let ana_api = a.login("ana").await;
    let (status, body) = upload(&ana_api, "/api/v2/media", photo_with_location(), "x.jpg").await;
    assert_eq!(status, 500, "{body}");
    assert!(body["error"].is_string(), "{body}");
    assert_eq!(s3.objects().len(), 3);
    let rows = passage_db::entities::media_attachments::Entity::find()
        .count(&a.ctx().db)
        .await
        .unwrap();
    assert_eq!(rows, 1, "only the first upload has a row");
    net.shutdown().await;
}

/// Audio and video as members record them on their phones: remuxed without the phone's
/// metadata, with their length, and a thumbnail (a video's first frame, or the picture the
/// app sent for a recording).
#[tokio::test]
async fn audio_and_video_are_accepted_without_their_metadata() {
    let mut net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    let media = concat!(env!("CARGO_MANIFEST_DIR"), "/support/media");
    let clip = std::fs::read(format!("{media}/clip.mp4")).unwrap();
    let voice = std::fs::read(format!("{media}/voice.mp3")).unwrap();
    assert!(
        clip.windows(18).any(|w| w == b"PassageSecretTitle"),
        "the fixture carries it"
    );

    let (status, video) = upload(&ana, "/api/v2/media", clip, "clip.mp4").await;
    let has_ffmpeg = ["ffmpeg", "ffprobe"].iter().all(|tool| {
        std::process::Command::new(tool)
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !has_ffmpeg {
        // A machine without ffmpeg (a fresh clone's): refused, saying what is missing.
        println!("no ffmpeg here: only the refusal is checked (.ci/run installs it)");
        assert_eq!(status, 422, "{video}");
        assert!(
            video["error"].as_str().unwrap().contains("ffmpeg"),
            "{video}"
        );
        return net.shutdown().await;
    }
    assert_eq!(status, 200, "{video}");
    assert_eq!(video["type"], "video");
    assert_eq!(video["meta"]["original"]["width"], 64);
    let seconds = video["meta"]["duration"].as_f64().unwrap();
    assert!((0.9..1.2).contains(&seconds), "{video}");
    assert!(
        video["meta"]["length"]
            .as_str()
            .unwrap()
            .starts_with("0:00:0")
    );
    assert_ne!(
        video["preview_url"], video["url"],
        "a still of the first frame"
    );
    let served = reqwest::get(video["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        !served.windows(18).any(|w| w == b"PassageSecretTitle"),
        "metadata dropped"
    );

    let (status, audio) = upload(&ana, "/api/v2/media", voice, "voice.mp3").await;
    assert_eq!(status, 200, "{audio}");
    assert_eq!(audio["type"], "audio");
    assert!(audio["meta"]["duration"].as_f64().unwrap() > 0.5);
    let served = reqwest::get(audio["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(!served.windows(18).any(|w| w == b"PassageSecretTitle"));

    // Posted with both: clients get the attachments with their types.
    let posted = ana
        .json(
            reqwest::Method::POST,
            "/api/v1/statuses",
            serde_json::json!({"status": "Our story", "media_ids": [video["id"], audio["id"]]}),
        )
        .await;
    assert_eq!(posted.status, 200, "{}", posted.text);
    assert_eq!(posted.body["media_attachments"][0]["type"], "video");
    assert_eq!(posted.body["media_attachments"][1]["type"], "audio");

    // Something that only looks like a video is refused with the field named.
    let mut fake = b"\x00\x00\x00\x18ftypmp42".to_vec();
    fake.extend_from_slice(&[0u8; 64]);
    let (status, refused) = upload(&ana, "/api/v2/media", fake, "fake.mp4").await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["error"].as_str().unwrap().contains("file: "),
        "{refused}"
    );

    // A server without ffmpeg says so.
    let clip = std::fs::read(format!("{media}/clip.mp4")).unwrap();
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.media.ffmpeg = String::new();
    a.start().await;
    let ana = net.get(0).login("ana").await;
    let (status, refused) = upload(&ana, "/api/v2/media", clip, "clip.mp4").await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["error"].as_str().unwrap().contains("ffmpeg"),
        "{refused}"
    );
    net.shutdown().await;
}
