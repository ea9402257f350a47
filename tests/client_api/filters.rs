//! Filters, v2 and v1: keywords and single posts warn or hide in the contexts a member chose,
//! only for that member.

use reqwest::{Method, StatusCode};
use serde_json::json;
use testkit::TestNetwork;

#[tokio::test]
async fn filters_warn_or_hide_in_their_contexts_only() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    a.member("bea").await;
    let (ana, bea) = (a.login("ana").await, a.login("bea").await);
    let bea_id = bea.get("/api/v1/accounts/verify_credentials").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ana.post(&format!("/api/v1/accounts/{bea_id}/follow")).await;
    let post = bea
        .status("The FINALE of the budget consultation is tonight")
        .await;
    let post_id = post["id"].as_str().unwrap().to_owned();

    // Form-encoded with Rails' list of hashes, as Tusky and Phanpy send it.
    let made = ana
        .form(
            Method::POST,
            "/api/v2/filters",
            &[
                ("title", "Spoilers"),
                ("context[]", "home"),
                ("context[]", "thread"),
                ("filter_action", "warn"),
                ("keywords_attributes[][keyword]", "finale"),
                ("keywords_attributes[][whole_word]", "1"),
                ("keywords_attributes[][keyword]", "fin"),
                ("keywords_attributes[][whole_word]", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let filter_id = made.body["id"].as_str().unwrap().to_owned();
    assert_eq!(made.body["context"], json!(["home", "thread"]));
    assert_eq!(made.body["keywords"].as_array().unwrap().len(), 2);

    let home = ana.get("/api/v1/timelines/home").await;
    let filtered = &home.body[0]["filtered"];
    assert_eq!(filtered[0]["filter"]["title"], "Spoilers", "{}", home.text);
    assert_eq!(
        filtered[0]["keyword_matches"],
        json!(["finale"]),
        "whole words only"
    );
    let public = ana.get("/api/v1/timelines/public").await;
    assert_eq!(
        public.body[0]["filtered"],
        json!([]),
        "not a chosen context"
    );
    let theirs = bea.get("/api/v1/timelines/home").await;
    assert_eq!(theirs.body[0]["filtered"], json!([]), "filters are private");

    // Hide, with one keyword dropped and one added (JSON, keywords_attributes with ids).
    let fin_id = made.body["keywords"][1]["id"].as_str().unwrap();
    let changed = ana
        .json(
            Method::PUT,
            &format!("/api/v2/filters/{filter_id}"),
            json!({"filter_action": "hide", "keywords_attributes": [
                {"id": fin_id, "_destroy": true},
                {"keyword": "budget", "whole_word": false}
            ]}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let words: Vec<&str> = changed.body["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["keyword"].as_str().unwrap())
        .collect();
    assert_eq!(words, ["finale", "budget"]);
    let home = ana.get("/api/v1/timelines/home").await;
    assert_eq!(home.body, json!([]), "hidden: {}", home.text);
    let context = ana
        .get(&format!("/api/v1/statuses/{post_id}/context"))
        .await;
    assert_eq!(context.status, StatusCode::OK);

    // v1 sees one filter per keyword.
    let v1 = ana.get("/api/v1/filters").await;
    assert_eq!(v1.body.as_array().unwrap().len(), 2, "{}", v1.text);
    assert_eq!(v1.body[1]["phrase"], "budget");
    assert_eq!(v1.body[1]["irreversible"], true);

    // Only the owner reaches a filter; bad input names the field.
    let other = bea.get(&format!("/api/v2/filters/{filter_id}")).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    for (body, field) in [
        (json!({"title": "x", "context": []}), "context"),
        (json!({"title": "x", "context": ["inbox"]}), "context"),
        (
            json!({"title": "x", "context": ["home"], "filter_action": "burn"}),
            "filter_action",
        ),
        (json!({"title": "", "context": ["home"]}), "title"),
    ] {
        let bad = ana.json(Method::POST, "/api/v2/filters", body).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
        assert!(
            bad.body["error"].as_str().unwrap().contains(field),
            "{}",
            bad.text
        );
    }

    // A single post, by id, in a filter of its own; the keyword filter goes away.
    ana.json(
        Method::DELETE,
        &format!("/api/v2/filters/{filter_id}"),
        json!({}),
    )
    .await;
    assert_eq!(
        ana.get("/api/v1/timelines/home").await.body[0]["id"],
        post_id.as_str()
    );
    let single = ana
        .json(
            Method::POST,
            "/api/v2/filters",
            json!({"title": "This one", "context": ["home"]}),
        )
        .await;
    let single_id = single.body["id"].as_str().unwrap().to_owned();
    let added = ana
        .form(
            Method::POST,
            &format!("/api/v2/filters/{single_id}/statuses"),
            &[("status_id", &post_id)],
        )
        .await;
    assert_eq!(added.body["status_id"], post_id.as_str(), "{}", added.text);
    let home = ana.get("/api/v1/timelines/home").await;
    assert_eq!(
        home.body[0]["filtered"][0]["status_matches"],
        json!([post_id]),
        "{}",
        home.text
    );
    let entry = added.body["id"].as_str().unwrap();
    ana.json(
        Method::DELETE,
        &format!("/api/v2/filters/statuses/{entry}"),
        json!({}),
    )
    .await;
    assert_eq!(
        ana.get("/api/v1/timelines/home").await.body[0]["filtered"],
        json!([])
    );

    // v1 create and delete (the empty filter goes with its keyword).
    let v1 = ana
        .form(
            Method::POST,
            "/api/v1/filters",
            &[
                ("phrase", "tonight"),
                ("context[]", "home"),
                ("irreversible", "0"),
            ],
        )
        .await;
    assert_eq!(v1.status, StatusCode::OK, "{}", v1.text);
    let v1_id = v1.body["id"].as_str().unwrap();
    assert_eq!(
        ana.get("/api/v1/timelines/home").await.body[0]["filtered"][0]["keyword_matches"],
        json!(["tonight"])
    );
    ana.json(
        Method::DELETE,
        &format!("/api/v1/filters/{v1_id}"),
        json!({}),
    )
    .await;
    assert_eq!(
        ana.get("/api/v2/filters")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    net.shutdown().await;
}
