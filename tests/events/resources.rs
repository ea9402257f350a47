//! An organisation on A shares a report in three languages with a PDF, in a folder; a
//! follower on B gets it as a status with the file, and peers get a `Page` with every
//! language; members-only resources stay with the organisation's members; changes and
//! deletion propagate; bad input is refused by name.

use passage_core::accounts::Role;
use reqwest::{
    Method,
    multipart::{Form, Part},
};
use serde_json::{Value, json};
use testkit::{
    TestNetwork,
    client::{Client, fetch_ap},
};

/// The smallest PDF readers open: what matters here is that its bytes say PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

async fn upload(who: &Client, bytes: Vec<u8>, name: &str) -> (u16, Value) {
    let form = Form::new().part(
        "file",
        Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("application/octet-stream")
            .unwrap(),
    );
    let answer = who.multipart("/api/v2/media", form).await;
    (answer.status.as_u16(), answer.body)
}

#[tokio::test]
async fn resources_reach_followers_in_every_language_and_members_only_ones_stay_home() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    let ana_actor = a.member("ana").await;
    let ole_actor = a.member("ole").await;
    a.member("sam").await;
    let mile = a
        .organisation_with(
            "mile",
            "MILE network",
            &[(&ana_actor, Role::Admin), (&ole_actor, Role::Member)],
        )
        .await;
    let (ana, ole, sam) = (
        a.login("ana").await,
        a.login("ole").await,
        a.login("sam").await,
    );
    b.member("bea").await;
    let bea = b.login("bea").await;
    let bea_actor = b.lookup(&format!("bea@{}", b.domain())).await;
    net.follow(1, &bea_actor, 0, &mile).await;

    let folder = ana
        .json(
            Method::POST,
            "/api/passage/v1/folders",
            json!({"host": "mile", "name": "Reports"}),
        )
        .await;
    assert_eq!(folder.status, 200, "{}", folder.text);
    let internal = ana
        .json(
            Method::POST,
            "/api/passage/v1/folders",
            json!({"host": "mile", "name": "Internal", "visibility": "members"}),
        )
        .await;
    let (status, pdf) = upload(&ana, PDF.to_vec(), "report.pdf").await;
    assert_eq!(status, 200, "{pdf}");
    assert_eq!(
        pdf["type"], "unknown",
        "a document, as Mastodon names other files"
    );

    let created = ana
        .json(
            Method::POST,
            "/api/passage/v1/resources",
            json!({
                "host": "mile",
                "title": "Participation of migrants in local policy",
                "description": "Findings from six cities. #inclusion",
                "language": "en",
                "translations": [
                    {"language": "el", "title": "Συμμετοχή μεταναστών", "description": "Ευρήματα από έξι πόλεις."},
                    {"language": "nl", "title": "Participatie van migranten", "description": "Bevindingen uit zes steden."}
                ],
                "link_url": "https://mile.example/report",
                "media_ids": [pdf["id"]],
                "licence": "cc-by-4.0",
                "category": "report",
                "folder_id": folder.body["id"],
            }),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let report = &created.body;
    assert_eq!(report["licence"], "CC-BY-4.0");
    assert_eq!(report["category"], "REPORT");
    assert_eq!(report["media_attachments"][0]["type"], "unknown");
    let uri = report["uri"].as_str().unwrap().to_owned();
    let id = report["id"].as_str().unwrap().to_owned();
    net.deliver_all().await;

    // bea (B) sees it as a status with the title, the text, the link and the file.
    let home = bea.get("/api/v1/timelines/home").await;
    let status = &home.body[0];
    let content = status["content"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", home.text));
    for expected in [
        "Participation of migrants in local policy",
        "Findings from six cities",
        "https://mile.example/report",
        "CC-BY-4.0",
    ] {
        assert!(
            content.contains(expected),
            "{expected:?} missing from {content}"
        );
    }
    assert_eq!(
        status["content"]
            .as_str()
            .unwrap()
            .matches("Participation of migrants")
            .count(),
        1,
        "the title once, not repeated from `name`"
    );
    assert_eq!(
        status["spoiler_text"], "",
        "a Page's summary is no content warning"
    );
    assert!(
        status["media_attachments"][0]["remote_url"]
            .as_str()
            .unwrap()
            .ends_with(".pdf"),
        "{}",
        home.text
    );

    // Peers get a Page with every language (primary first), licence, folder and group.
    let (code, page) = fetch_ap(&uri).await;
    assert_eq!(code, 200, "{page}");
    assert_eq!(page["type"], "Page");
    assert_eq!(page["name"], "Participation of migrants in local policy");
    let languages: Vec<&String> = page["nameMap"].as_object().unwrap().keys().collect();
    assert_eq!(languages, ["en", "el", "nl"]);
    assert!(
        page["contentMap"]["el"]
            .as_str()
            .unwrap()
            .contains("Ευρήματα")
    );
    assert_eq!(
        page["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert_eq!(page["context"], folder.body["uri"]);
    assert_eq!(page["audience"], mile.ap_id.as_str());
    let (code, collection) = fetch_ap(folder.body["uri"].as_str().unwrap()).await;
    assert_eq!(code, 200);
    assert_eq!(collection["type"], "ResourceCollection");
    // Its items in Mobilizon's shape: a Document whose `url` is the resource's link.
    let item = &collection["items"][0];
    assert_eq!(item["id"], uri.as_str(), "{collection}");
    assert_eq!(item["type"], "Document");
    assert_eq!(item["url"], "https://mile.example/report");
    assert_eq!(item["context"], folder.body["uri"]);
    assert_eq!(item["attributedTo"], mile.ap_id.as_str());
    assert_eq!(collection["items"].as_array().unwrap().len(), 1);
    let (_, top) = fetch_ap(&format!("{}/resources", mile.ap_id)).await;
    let kinds: Vec<(&str, &str)> = top["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["type"].as_str().unwrap(), i["name"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("ResourceCollection", "Reports")], "{top}");

    // The reader's language picks the version shown.
    let greek = testkit::client::http()
        .get(format!("{}/api/passage/v1/resources/{id}", a.base_url()))
        .header("accept-language", "el-GR, el;q=0.9, en;q=0.5")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(greek["title"], "Συμμετοχή μεταναστών");
    let dutch = sam
        .get(&format!("/api/passage/v1/resources/{id}?lang=nl"))
        .await;
    assert_eq!(dutch.body["title"], "Participatie van migranten");
    let french = sam
        .get(&format!("/api/passage/v1/resources/{id}?lang=fr"))
        .await;
    assert_eq!(
        french.body["language"], "en",
        "no French: the primary version"
    );

    // A members-only resource: members read it; nobody else learns it exists.
    let secret = ana
        .json(
            Method::POST,
            "/api/passage/v1/resources",
            json!({
                "host": "mile", "title": "Board minutes", "link_url": "https://mile.example/minutes",
                "visibility": "members", "folder_id": internal.body["id"],
            }),
        )
        .await;
    assert_eq!(secret.status, 200, "{}", secret.text);
    let secret_id = secret.body["id"].as_str().unwrap().to_owned();
    net.deliver_all().await;
    assert_eq!(
        ole.get(&format!("/api/passage/v1/resources/{secret_id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        sam.get(&format!("/api/passage/v1/resources/{secret_id}"))
            .await
            .status,
        404
    );
    let (code, _) = fetch_ap(secret.body["uri"].as_str().unwrap()).await;
    assert_eq!(code, 404);
    let (code, _) = fetch_ap(internal.body["uri"].as_str().unwrap()).await;
    assert_eq!(code, 404);
    let titles = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|r| r["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let for_sam = sam
        .get("/api/passage/v1/resources?host=mile&all=true")
        .await;
    assert_eq!(
        titles(&for_sam.body),
        ["Participation of migrants in local policy"]
    );
    let for_ole = ole
        .get("/api/passage/v1/resources?host=mile&all=true")
        .await;
    assert_eq!(titles(&for_ole.body).len(), 2);
    let in_folder = ole
        .get(&format!(
            "/api/passage/v1/resources?host=mile&folder_id={}",
            internal.body["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(titles(&in_folder.body), ["Board minutes"]);
    let folders = sam.get("/api/passage/v1/folders?host=mile").await;
    assert_eq!(
        folders.body.as_array().unwrap().len(),
        1,
        "{}",
        folders.text
    );
    assert_eq!(
        bea.get("/api/v1/timelines/home")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1,
        "nothing members-only left A"
    );

    // Changes reach B; a plain member cannot make them; deletion propagates.
    let refused = ole
        .json(
            Method::PATCH,
            &format!("/api/passage/v1/resources/{id}"),
            json!({"title": "x"}),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    let narrowed = ana
        .json(
            Method::PATCH,
            &format!("/api/passage/v1/resources/{id}"),
            json!({"visibility": "members"}),
        )
        .await;
    assert_eq!(
        narrowed.status, 422,
        "copies already delivered cannot be taken back"
    );
    assert!(narrowed.text.contains("visibility"), "{}", narrowed.text);
    let changed = ana
        .json(
            Method::PATCH,
            &format!("/api/passage/v1/resources/{id}"),
            json!({"title": "Participation of migrants in local policy (2nd edition)"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["versions"].as_array().unwrap().len(), 3);
    net.deliver_all().await;
    let home = bea.get("/api/v1/timelines/home").await;
    assert!(
        home.body[0]["content"]
            .as_str()
            .unwrap()
            .contains("2nd edition"),
        "{}",
        home.text
    );
    let busy = ana
        .json(
            Method::DELETE,
            &format!(
                "/api/passage/v1/folders/{}",
                folder.body["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(busy.status, 422, "{}", busy.text);
    assert!(busy.text.contains("not empty"), "{}", busy.text);
    let gone = ana
        .json(
            Method::DELETE,
            &format!("/api/passage/v1/resources/{id}"),
            json!({}),
        )
        .await;
    assert_eq!(gone.status, 200, "{}", gone.text);
    net.deliver_all().await;
    let home = bea.get("/api/v1/timelines/home").await;
    assert_eq!(home.body, json!([]), "{}", home.text);
    net.shutdown().await;
}

#[tokio::test]
async fn bad_resources_are_refused_with_the_field_named_and_nothing_stored() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    let good = json!({"title": "Toolkit", "link_url": "https://mile.example/toolkit"});
    let cases = [
        ("title", json!({"title": "  "}), "title"),
        ("nothing to share", json!({"link_url": ""}), "link_url"),
        ("link", json!({"link_url": "ftp://x"}), "link_url"),
        ("licence", json!({"licence": "WTFPL"}), "licence"),
        ("category", json!({"category": "GOSSIP"}), "category"),
        ("visibility", json!({"visibility": "direct"}), "visibility"),
        ("language", json!({"language": "english!"}), "language"),
        (
            "twice",
            json!({"language": "en", "translations": [{"language": "en", "title": "Again"}]}),
            "language",
        ),
        ("folder", json!({"folder_id": "12345"}), "folder_id"),
    ];
    for (case, change, field) in cases {
        let mut body = good.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let answer = ana
            .json(Method::POST, "/api/passage/v1/resources", body)
            .await;
        assert_eq!(answer.status, 422, "{case}: {}", answer.text);
        let error = answer.body["error"].as_str().unwrap();
        assert!(error.contains(field), "{case}: {error}");
    }
    let listed = ana.get("/api/passage/v1/resources?host=ana&all=true").await;
    assert_eq!(listed.body, json!([]), "nothing half-stored");
    // Files must be documents or images, and within the size limit.
    let (status, body) = upload(&ana, b"just some text".to_vec(), "notes.txt").await;
    assert_eq!(status, 422, "{body}");
    let mut big = PDF.to_vec();
    big.resize(3 * 1024 * 1024, b' ');
    let (status, _) = upload(&ana, big, "huge.pdf").await;
    assert_eq!(status, 413);
    net.shutdown().await;
}
