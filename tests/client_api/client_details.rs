//! Details real clients depend on (issue 24): a status's `url` opens it, hashtag search by
//! prefix, a reblog answered as Mastodon answers it, tag timelines with `any[]`/`all[]`/
//! `none[]`, `discoverable`, featured tags, and an empty display name until one is chosen.

use reqwest::Method;
use serde_json::json;
use testkit::{TestNetwork, client::Client};

#[tokio::test]
async fn a_status_url_is_its_page_with_the_api_id() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    let status = ana.status("Open meeting at the library").await;
    let id = status["id"].as_str().unwrap();
    let url = status["url"].as_str().unwrap();
    assert_eq!(url, format!("{}/@ana/{id}", a.base_url()));
    assert_ne!(
        status["uri"], status["url"],
        "the ActivityPub id stays as it is"
    );

    let page = reqwest::Client::new()
        .get(url)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Open meeting at the library"), "{html}");
    assert!(html.contains("<html lang="));

    // An ActivityPub client is sent on to the post's document.
    let doc: serde_json::Value = reqwest::Client::new()
        .get(url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["id"], status["uri"]);
    assert_eq!(doc["url"], url);

    // A private post has no page.
    let private = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "Only for followers", "visibility": "private"}),
        )
        .await;
    let private_url = private.body["url"].as_str().unwrap();
    let hidden = reqwest::get(private_url).await.unwrap();
    assert_eq!(hidden.status(), 404);
}

#[tokio::test]
async fn search_tags_reblogs_and_tag_timelines_answer_as_mastodon() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, _) = a.three_members().await;
    ana.status("#housing and #housingrights and #health").await;
    let dm = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "@bea #housingsecret", "visibility": "direct"}),
        )
        .await;
    assert_eq!(dm.status, 200);

    let found = bea.get("/api/v2/search?q=%23hous&type=hashtags").await;
    let names: Vec<&str> = found.body["hashtags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["housing", "housingrights"],
        "a private post's tag is not offered"
    );

    // A reblog answers with the new status; it and its original say reblogged.
    let original = ana.status("Consultation results are out").await;
    let id = original["id"].as_str().unwrap();
    let reblog = bea.post(&format!("/api/v1/statuses/{id}/reblog")).await;
    assert_eq!(reblog.status, 200, "{}", reblog.text);
    assert_ne!(reblog.body["id"], original["id"]);
    assert_eq!(reblog.body["reblog"]["id"], original["id"]);
    assert_eq!(reblog.body["reblogged"], true);
    assert_eq!(reblog.body["reblog"]["reblogged"], true);
    // Reblogging the reblog (as an app does from a timeline) reblogs the original.
    let cem = a.login("cem").await;
    let boost_id = reblog.body["id"].as_str().unwrap();
    let again = cem
        .post(&format!("/api/v1/statuses/{boost_id}/reblog"))
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["reblog"]["id"], original["id"]);

    // Tag timelines: any[], all[] and none[].
    ana.status("#housing only").await;
    ana.status("#health only").await;
    let texts = |answer: testkit::client::Answer| -> Vec<String> {
        answer
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["content"].as_str().unwrap().to_owned())
            .collect()
    };
    let any = texts(bea.get("/api/v1/timelines/tag/housing?any[]=health").await);
    assert_eq!(any.len(), 3, "{any:?}");
    let all = texts(bea.get("/api/v1/timelines/tag/housing?all[]=health").await);
    assert_eq!(all.len(), 1, "{all:?}");
    let none = texts(bea.get("/api/v1/timelines/tag/housing?none[]=health").await);
    assert_eq!(none.len(), 1, "{none:?}");
    assert!(none[0].contains("only"), "{none:?}");
}

#[tokio::test]
async fn discoverable_featured_tags_and_display_names() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, _) = a.three_members().await;
    let me = ana.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(me.body["display_name"], "", "empty until she names herself");
    assert_eq!(me.body["discoverable"], false, "new members are not listed");
    assert_eq!(me.body["source"]["discoverable"], false);

    // Not discoverable: a search by the start of her name does not find her.
    let search = |q: &str| {
        let bea = bea.clone();
        let q = q.to_owned();
        async move {
            bea.get(&format!("/api/v1/accounts/search?q={q}"))
                .await
                .body
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["username"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert!(search("an").await.is_empty());
    assert_eq!(
        search("ana").await,
        ["ana"],
        "her exact name still finds her"
    );
    let changed = ana
        .form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &[("discoverable", "true")],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["discoverable"], true);
    assert_eq!(search("an").await, ["ana"]);
    let (_, actor) = testkit::client::fetch_ap(&format!("{}/users/ana", a.base_url())).await;
    assert_eq!(actor["discoverable"], true, "federated on the actor");

    // Featured tags.
    ana.status("#housing #housing2026").await;
    let suggested = ana.get("/api/v1/featured_tags/suggestions").await;
    assert_eq!(suggested.status, 200);
    assert_eq!(suggested.body.as_array().unwrap().len(), 2);
    let added = ana
        .form(
            Method::POST,
            "/api/v1/featured_tags",
            &[("name", "#housing")],
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.body["name"], "housing");
    assert_eq!(added.body["statuses_count"], "1");
    let bad = ana
        .form(
            Method::POST,
            "/api/v1/featured_tags",
            &[("name", "no spaces")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    let ana_id = me.body["id"].as_str().unwrap();
    let public = Client::anonymous(&a.base_url())
        .get(&format!("/api/v1/accounts/{ana_id}/featured_tags"))
        .await;
    assert_eq!(public.body[0]["name"], "housing");
    let fid = added.body["id"].as_str().unwrap();
    let removed = ana
        .json(
            Method::DELETE,
            &format!("/api/v1/featured_tags/{fid}"),
            json!({}),
        )
        .await;
    assert_eq!(removed.status, 200);
    assert!(
        ana.get("/api/v1/featured_tags")
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
}
