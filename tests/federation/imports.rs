//! Taking a member's follows, blocks, mutes, lists and bookmarks from one server to another
//! as Mastodon's CSV files, through the client API: exports, imports that show progress and
//! report bad lines without stopping, overwriting imports, and an import left by a stopped
//! process taken up again.

use passage_core::{blocks, bookmarks, follows, imports, lists};
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use std::time::{Duration, Instant};
use testkit::{TestInstance, TestNetwork, client::Client};

/// Sends `csv` to `POST /api/v1/import` as a file, as GoToSocial's settings page does.
async fn send(
    client: &Client,
    kind: &str,
    mode: &str,
    csv: impl Into<Vec<u8>>,
) -> testkit::client::Answer {
    let file = Part::bytes(csv.into())
        .file_name("export.csv")
        .mime_str("text/csv")
        .unwrap();
    let form = Form::new()
        .text("type", kind.to_owned())
        .text("mode", mode.to_owned())
        .part("data", file);
    client.multipart("/api/v1/import", form).await
}

/// Polls the import until it is finished; the `processed` counts seen on the way.
async fn wait(client: &Client, import: &Value) -> (Value, Vec<u64>) {
    let path = format!("/api/passage/v1/imports/{}", import["id"].as_str().unwrap());
    let until = Instant::now() + Duration::from_secs(180);
    let mut seen = Vec::new();
    loop {
        let now = client.get(&path).await;
        assert_eq!(now.status, 200, "{}", now.text);
        seen.push(now.body["processed"].as_u64().unwrap());
        if now.body["state"] == "finished" {
            return (now.body, seen);
        }
        assert!(
            Instant::now() < until,
            "import did not finish: {}",
            now.text
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn export(client: &Client, file: &str) -> String {
    let answer = client.get(&format!("/api/v1/exports/{file}")).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(answer.content_type().starts_with("text/csv"));
    answer.text
}

async fn follows_count(instance: &TestInstance, username: &str) -> u64 {
    let actor = passage_core::accounts::local_by_username(instance.ctx(), username)
        .await
        .unwrap();
    follows::count(instance.ctx(), &actor, false).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_five_thousand_line_following_file_imports_with_its_two_bad_lines_reported() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    alpha.member("ana").await;
    let ana = alpha.login("ana").await;
    // 5,000 lines after the header: 4,750 accounts here, 248 on beta, and two bad lines.
    let mut csv = String::from("Account address,Show boosts,Notify on new posts,Languages\n");
    for i in 0..5000 {
        let line = match i {
            1000 => "not an address".to_owned(),
            3000 => format!("nobody@{}", beta.domain()),
            i if i % 20 == 0 => {
                beta.person(&format!("b{i}")).await;
                format!("b{i}@{},true,false,", beta.domain())
            }
            i => {
                alpha.person(&format!("a{i}")).await;
                format!("a{i}@{},true,false,", alpha.domain())
            }
        };
        csv.push_str(&line);
        csv.push('\n');
    }

    let started = send(&ana, "following", "merge", csv).await;
    assert_eq!(started.status, 202, "{}", started.text);
    assert_eq!(started.body["total"], 5000);
    let (done, seen) = wait(&ana, &started.body).await;
    assert_eq!(done["processed"], 5000);
    let bad_lines = &done["bad_lines"];
    assert_eq!(done["failed"], 2, "{bad_lines}");
    let bad = done["bad_lines"].as_array().unwrap();
    assert_eq!(bad.len(), 2, "{bad:?}");
    // Line numbers count the header: data line i is file line i + 2.
    assert_eq!(bad[0]["line"], 1002);
    assert!(
        bad[0]["error"]
            .as_str()
            .unwrap()
            .contains("not an account address")
    );
    assert_eq!(bad[1]["line"], 3002);
    assert!(
        bad[1]["error"].as_str().unwrap().contains("not found"),
        "{bad:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]) && seen.len() > 1,
        "progress only grows, and was seen on the way: {seen:?}"
    );

    // The follows of beta's accounts went out and were accepted.
    net.deliver_all().await;
    assert_eq!(follows_count(alpha, "ana").await, 4998);
    let b20 = passage_core::accounts::local_by_username(beta.ctx(), "b20")
        .await
        .unwrap();
    assert_eq!(follows::count(beta.ctx(), &b20, true).await.unwrap(), 1);
    let exported = export(&ana, "following.csv").await;
    assert_eq!(
        exported.lines().count(),
        4999,
        "a header and 4,998 accounts"
    );
    assert!(exported.contains(&format!("\nb20@{},true,false,\n", beta.domain())));

    // A malformed file is refused as a whole, naming its line; nothing imported is lost.
    let mut broken = b"a1@x.example\na2@x.example\n".to_vec();
    broken.extend_from_slice(b"\xff\xfe\n");
    let refused = send(&ana, "following", "overwrite", broken).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.body["error"].as_str().unwrap().contains("line 3"));
    assert_eq!(follows_count(alpha, "ana").await, 4998);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_takes_her_follows_lists_blocks_mutes_and_bookmarks_to_another_server() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let ana = alpha.member("ana").await;
    let dan = alpha.member("dan").await;
    let eve = alpha.person("eve").await;
    let fay = alpha.person("fay").await;
    let bob = beta.member("bob").await;
    let bob_here = net.follow(0, &ana, 1, &bob).await;
    follows::request(alpha.ctx(), &ana, &dan).await.unwrap();
    blocks::block(alpha.ctx(), &ana, &eve).await.unwrap();
    blocks::mute(alpha.ctx(), &ana, &fay, false).await.unwrap();
    let list = lists::create(alpha.ctx(), &ana, "Partners", "list", false)
        .await
        .unwrap();
    lists::add(alpha.ctx(), &ana, list.id, &[bob_here.id])
        .await
        .unwrap();
    let bobs = beta.login("bob").await.status("Training on Thursday").await;
    let post = passage_federation::objects::note::resolve(
        &bobs["uri"].as_str().unwrap().parse().unwrap(),
        &alpha.running().federation_data(),
    )
    .await
    .unwrap();
    bookmarks::add(alpha.ctx(), &ana, &post).await.unwrap();

    let old = alpha.login("ana").await;
    let following = export(&old, "following.csv").await;
    let blocked = export(&old, "blocks.csv").await;
    let muted = export(&old, "mutes.csv").await;
    let listed = export(&old, "lists.csv").await;
    let marked = export(&old, "bookmarks.csv").await;
    assert_eq!(blocked, format!("eve@{}\n", alpha.domain()));
    assert_eq!(
        muted,
        format!(
            "Account address,Hide notifications\nfay@{},false\n",
            alpha.domain()
        )
    );
    assert_eq!(listed, format!("Partners,bob@{}\n", beta.domain()));
    assert_eq!(marked, format!("{}\n", bobs["uri"].as_str().unwrap()));
    let followers = export(&alpha.login("dan").await, "followers.csv").await;
    assert_eq!(
        followers,
        format!("Account address\nana@{}\n", alpha.domain())
    );

    // The archive: the account, its posts as ActivityPub JSON with their uploads, its
    // bookmarks.
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::new(8, 8))
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let file = Part::bytes(jpeg.into_inner())
        .file_name("lab.jpg")
        .mime_str("image/jpeg")
        .unwrap();
    let media = old
        .multipart("/api/v2/media", Form::new().part("file", file))
        .await;
    assert!(media.status.is_success(), "{}", media.text);
    let posted = old
        .json(
            reqwest::Method::POST,
            "/api/v1/statuses",
            serde_json::json!({"status": "Notes from the policy lab", "media_ids": [media.body["id"]]}),
        )
        .await;
    assert_eq!(posted.status, 200, "{}", posted.text);
    let archive = old.get("/api/passage/v1/exports/archive.zip").await;
    assert_eq!(archive.status, 200);
    assert_eq!(archive.content_type(), "application/zip");
    let bytes = reqwest::get(format!(
        "{}/api/passage/v1/exports/archive.zip",
        alpha.base_url()
    ))
    .await
    .unwrap();
    assert_eq!(bytes.status(), 401, "the archive is the member's own");
    let zipped = old
        .http
        .get(format!(
            "{}/api/passage/v1/exports/archive.zip",
            alpha.base_url()
        ))
        .bearer_auth(old.token.as_deref().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zipped.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        serde_json::from_str::<Value>(&text).unwrap()
    };
    assert_eq!(read("actor.json")["id"], ana.ap_id);
    let outbox = read("outbox.json");
    let create = &outbox["orderedItems"][0];
    assert_eq!(create["type"], "Create");
    assert!(
        create["object"]["content"]
            .as_str()
            .unwrap()
            .contains("policy lab")
    );
    let picture = create["object"]["attachment"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        read("bookmarks.json")["orderedItems"],
        serde_json::json!([bobs["uri"]])
    );
    let file_name = picture.rsplit('/').next().unwrap();
    let stored = zip
        .by_name(&format!("media_attachments/{file_name}"))
        .unwrap();
    assert!(stored.size() > 0, "the upload itself is in the archive");

    // The same member on beta takes it all in.
    let ana_new = beta.member("ana").await;
    let new = beta.login("ana").await;
    for (kind, csv) in [
        ("following", following),
        ("blocks", blocked),
        ("mutes", muted),
        ("lists", listed),
        ("bookmarks", marked),
    ] {
        let started = send(&new, kind, "merge", csv).await;
        assert_eq!(started.status, 202, "{kind}: {}", started.text);
        let (done, _) = wait(&new, &started.body).await;
        assert_eq!(done["failed"], 0, "{kind}: {done}");
    }
    net.deliver_all().await;
    let dan_there = beta.known_by_ap_id(&dan.ap_id).await;
    let eve_there = beta.known_by_ap_id(&eve.ap_id).await;
    let fay_there = beta.known_by_ap_id(&fay.ap_id).await;
    assert_eq!(beta.follow_state(&ana_new, &dan_there).await, Some(true));
    assert_eq!(beta.follow_state(&ana_new, &bob).await, Some(true));
    let standing = blocks::standings(beta.ctx(), &ana_new, &[eve_there.id, fay_there.id])
        .await
        .unwrap();
    assert!(standing[0].blocking);
    assert!(standing[1].muting && !standing[1].muting_notifications);
    let lists_there = lists::all(beta.ctx(), &ana_new).await.unwrap();
    assert_eq!(lists_there.len(), 1);
    assert!(
        lists::holds(beta.ctx(), &ana_new, lists_there[0].id, bob.id)
            .await
            .unwrap()
    );
    let marks = new.get("/api/v1/bookmarks").await;
    assert_eq!(marks.body[0]["uri"], bobs["uri"]);

    // Overwriting with a file naming only bob ends the follow of dan, with its Undo.
    let only_bob = format!("bob@{}\n", beta.domain());
    let started = send(&new, "following", "overwrite", only_bob).await;
    assert_eq!(started.status, 202, "{}", started.text);
    wait(&new, &started.body).await;
    net.deliver_all().await;
    assert_eq!(beta.follow_state(&ana_new, &dan_there).await, None);
    assert_eq!(beta.follow_state(&ana_new, &bob).await, Some(true));
    assert_eq!(
        alpha
            .follow_state(&alpha.known_by_ap_id(&ana_new.ap_id).await, &dan)
            .await,
        None
    );

    // Bad input: an unknown type, no file, and another member's import.
    let unknown = send(&new, "domain_blocking", "merge", "x.example\n").await;
    assert_eq!(unknown.status, 422, "{}", unknown.text);
    let nothing = new
        .multipart("/api/v1/import", Form::new().text("type", "following"))
        .await;
    assert_eq!(nothing.status, 422, "{}", nothing.text);
    let theirs = beta.login("bob").await;
    let path = format!(
        "/api/passage/v1/imports/{}",
        started.body["id"].as_str().unwrap()
    );
    assert_eq!(theirs.get(&path).await.status, 404);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_left_by_a_stopped_process_is_taken_up_by_the_next() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let ana = alpha.person("ana").await;
    alpha.person("dan").await;
    alpha.person("eve").await;
    let csv = format!("dan@{0}\neve@{0}\n", alpha.domain());
    // Stored, as a request would, but its holder stopped before working on it.
    let import = imports::start(
        alpha.ctx(),
        &ana,
        imports::Kind::Following,
        imports::Mode::Merge,
        csv.as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(alpha.running().run_chores().await.unwrap(), 0, "still held");
    passage_db::entities::imports::ActiveModel {
        id: Set(import.id),
        lease_until: Set(Some(
            (chrono::Utc::now() - chrono::Duration::seconds(1)).fixed_offset(),
        )),
        ..Default::default()
    }
    .update(&alpha.ctx().db)
    .await
    .unwrap();
    assert_eq!(alpha.running().run_chores().await.unwrap(), 1, "taken up");
    let until = std::time::Instant::now() + Duration::from_secs(30);
    let done = loop {
        let now = imports::get(alpha.ctx(), &ana, import.id).await.unwrap();
        if imports::is_finished(&now) {
            break now;
        }
        assert!(
            std::time::Instant::now() < until,
            "the import was not finished"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!((done.processed, done.failed), (2, 0));
    assert_eq!(follows_count(alpha, "ana").await, 2);
    net.shutdown().await;
}
