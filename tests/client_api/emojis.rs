//! Custom emoji: an admin adds one, clients list it, a post that names it carries it, and
//! another server receives it as an `Emoji` tag and shows it too.

use serde_json::json;
use testkit::{TestNetwork, client::Client};

fn png() -> Vec<u8> {
    let image = image::RgbaImage::from_fn(300, 200, |x, _| {
        image::Rgba([200, (x % 256) as u8, 40, 255])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(image)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[tokio::test]
async fn a_custom_emoji_is_listed_used_and_federated() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    let emoji = passage_core::emojis::add_local(a.ctx(), "mile_logo", png(), Some("MILE".into()))
        .await
        .unwrap();
    assert!(matches!(
        passage_core::emojis::add_local(a.ctx(), "mile_logo", png(), None).await,
        Err(passage_core::CoreError::Conflict(_))
    ));
    assert!(
        passage_core::emojis::add_local(a.ctx(), "no good", png(), None)
            .await
            .is_err()
    );

    let listed = Client::anonymous(&a.base_url())
        .get("/api/v1/custom_emojis")
        .await;
    assert_eq!(listed.body[0]["shortcode"], "mile_logo", "{}", listed.text);
    assert_eq!(listed.body[0]["category"], "MILE");
    assert_eq!(listed.body[0]["url"], emoji.image_url.as_str());
    let served = reqwest::get(&emoji.image_url).await.unwrap();
    let picture = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
    assert!(picture.width() <= 128 && picture.height() <= 128);

    let ana_actor = a.member("ana").await;
    let bea_actor = b.member("bea").await;
    net.follow(1, &bea_actor, 0, &ana_actor).await;
    let ana = a.login("ana").await;
    let posted = ana
        .status("Welcome to the network :mile_logo: and :unknown_one: at 12:30:45")
        .await;
    assert_eq!(posted["emojis"].as_array().unwrap().len(), 1, "{posted}");
    assert_eq!(posted["emojis"][0]["shortcode"], "mile_logo");

    net.deliver_all().await;
    let bea = b.login("bea").await;
    let home = bea.get("/api/v1/timelines/home").await;
    let copy = &home.body[0];
    assert!(
        copy["content"].as_str().unwrap().contains("Welcome"),
        "{}",
        home.text
    );
    assert_eq!(
        copy["emojis"],
        json!([{
            "shortcode": "mile_logo",
            "url": emoji.image_url,
            "static_url": emoji.image_url,
            "visible_in_picker": false,
            "category": null,
        }])
    );
    // A remote emoji is not offered in this instance's picker.
    assert_eq!(bea.get("/api/v1/custom_emojis").await.body, json!([]));
    net.shutdown().await;
}
