//! Profiles: avatar and header pictures and fields set through `update_credentials` as apps
//! send them (multipart, Rails-indexed fields), shown in the Account entity, federated in the
//! actor document, and removed again.

use reqwest::{
    StatusCode,
    multipart::{Form, Part},
};
use serde_json::Value;
use testkit::{TestNetwork, client::Client};

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn file(bytes: Vec<u8>, name: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str("image/png")
        .unwrap()
}

async fn update(client: &Client, form: Form) -> (StatusCode, Value) {
    let response = client
        .http
        .patch(format!(
            "{}/api/v1/accounts/update_credentials",
            client.base
        ))
        .bearer_auth(client.token.as_ref().unwrap())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn pictures_and_fields_show_in_the_api_and_federate() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    a.member("ana").await;
    b.member("bea").await;
    let ana = a.login("ana").await;
    let form = Form::new()
        .part("avatar", file(png(800, 600), "me.png"))
        .part("header", file(png(300, 100), "banner.png"))
        .text("display_name", "Ana from the city")
        .text("bot", "1")
        .text("fields_attributes[0][name]", "Website")
        .text(
            "fields_attributes[0][value]",
            "https://city.example/inclusion",
        )
        .text("fields_attributes[1][name]", "Languages")
        .text("fields_attributes[1][value]", "Latvian, English");
    let (status, me) = update(&ana, form).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let avatar = me["avatar"].as_str().unwrap().to_owned();
    assert!(
        avatar.starts_with(&format!("{}/media/", a.base_url())),
        "{avatar}"
    );
    assert_eq!(me["avatar_static"], me["avatar"]);
    assert!(me["header"].as_str().unwrap().contains("/media/"));
    assert_eq!(me["fields"][0]["name"], "Website");
    assert!(
        me["fields"][0]["value"]
            .as_str()
            .unwrap()
            .contains("<a href=\"https://city.example/inclusion\""),
        "{me}"
    );
    assert_eq!(
        me["source"]["fields"][0]["value"],
        "https://city.example/inclusion"
    );
    assert_eq!(me["fields"][1]["value"], "Latvian, English");
    assert_eq!(me["bot"], true);

    // The avatar is cropped square to 400 pixels and re-encoded.
    let served = ana.http.get(&avatar).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    let picture = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
    assert_eq!((picture.width(), picture.height()), (400, 400));

    // Another server reads the pictures and fields from the actor document.
    let seen = b.lookup(&format!("ana@{}", a.domain())).await;
    assert_eq!(seen.avatar_url.as_deref(), Some(avatar.as_str()));
    assert_eq!(seen.header_url.as_deref(), me["header"].as_str());
    assert_eq!(seen.kind, "Service", "a bot federates as a Service");
    let fields = passage_core::profile::fields(&seen);
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[1].name, "Languages");
    assert!(fields[0].value.contains("https://city.example/inclusion"));
    let bea = b.login("bea").await;
    let shown = bea.get(&format!("/api/v1/accounts/{}", seen.id)).await;
    assert_eq!(shown.body["avatar"], avatar.as_str(), "{}", shown.text);
    assert_eq!(shown.body["fields"][0]["name"], "Website");

    // Removing the avatar brings the default back and deletes the file.
    let removed = ana
        .json(
            reqwest::Method::DELETE,
            "/api/v1/profile/avatar",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text);
    assert!(
        removed.body["avatar"]
            .as_str()
            .unwrap()
            .ends_with("/static/avatar.png")
    );
    assert_eq!(
        ana.http.get(&avatar).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    net.shutdown().await;
}

#[tokio::test]
async fn bad_pictures_and_too_many_fields_change_nothing() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    let form = Form::new()
        .part("avatar", file(b"not an image at all".to_vec(), "me.png"))
        .text("display_name", "Changed");
    let (status, error) = update(&ana, form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["error"].is_string());

    let mut form = Form::new();
    for i in 0..5 {
        form = form
            .text(format!("fields_attributes[{i}][name]"), "n")
            .text(format!("fields_attributes[{i}][value]"), "v");
    }
    let (status, error) = update(&ana, form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("fields_attributes")
    );

    let me = ana.get("/api/v1/accounts/verify_credentials").await;
    assert_ne!(me.body["display_name"], "Changed");
    assert!(
        me.body["avatar"]
            .as_str()
            .unwrap()
            .ends_with("/static/avatar.png")
    );
    assert_eq!(me.body["fields"], serde_json::json!([]));
    net.shutdown().await;
}
