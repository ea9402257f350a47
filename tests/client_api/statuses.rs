//! Posting, reading, threads, reactions and notifications between two members of one instance.

use reqwest::Method;
use serde_json::json;
use testkit::{
    TestNetwork,
    client::{Answer, Client},
};

#[tokio::test]
async fn post_reply_react_and_notify() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    a.member("bea").await;
    let ana = a.login("ana").await;
    let bea = a.login("bea").await;

    // Idempotency-Key: a retried post is the same post.
    let send = || async {
        ana.http
            .post(format!("{}/api/v1/statuses", ana.base))
            .bearer_auth(ana.token.as_ref().unwrap())
            .header("Idempotency-Key", "k-1")
            .json(&json!({"status": "Consultation evening on Thursday #inclusion"}))
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    };
    let first = send().await;
    let second = send().await;
    assert_eq!(first["id"], second["id"]);
    let id = first["id"].as_str().unwrap().to_owned();
    assert!(id.parse::<i64>().is_ok(), "numeric ids");
    assert_eq!(first["account"]["acct"], "ana");
    assert_eq!(first["tags"][0]["name"], "inclusion");
    assert!(first["edited_at"].is_null() && first["spoiler_text"] == "");

    // A reply mentioning ana (form-encoded, as Mastodon.py sends).
    let reply = bea
        .form(
            Method::POST,
            "/api/v1/statuses",
            &[
                ("status", "@ana I will come"),
                ("in_reply_to_id", &id),
                ("sensitive", "0"),
            ],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["in_reply_to_id"], id.as_str());
    assert_eq!(reply.body["mentions"][0]["acct"], "ana");
    assert!(
        reply.body["content"]
            .as_str()
            .unwrap()
            .contains("class=\"u-url mention\"")
    );

    let thread = ana.get(&format!("/api/v1/statuses/{id}/context")).await;
    assert_eq!(thread.body["descendants"][0]["id"], reply.body["id"]);
    assert_eq!(thread.body["ancestors"], json!([]));

    // Editing keeps the earlier version in the history.
    let edited = ana
        .json(
            Method::PUT,
            &format!("/api/v1/statuses/{id}"),
            json!({"status": "Consultation evening moved to Friday #inclusion", "spoiler_text": "date change"}),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert!(edited.body["edited_at"].is_string());
    assert_eq!(edited.body["spoiler_text"], "date change");
    let history = bea.get(&format!("/api/v1/statuses/{id}/history")).await;
    let versions: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["content"].as_str().unwrap())
        .collect();
    assert_eq!(versions.len(), 2, "{}", history.text);
    assert!(versions[0].contains("Thursday") && versions[1].contains("Friday"));
    let source = ana.get(&format!("/api/v1/statuses/{id}/source")).await;
    assert_eq!(
        source.body["text"],
        "Consultation evening moved to Friday #inclusion"
    );

    let fav = bea.post(&format!("/api/v1/statuses/{id}/favourite")).await;
    assert_eq!(
        (
            fav.body["favourited"].clone(),
            fav.body["favourites_count"].clone()
        ),
        (json!(true), json!(1))
    );
    let boost = bea.post(&format!("/api/v1/statuses/{id}/reblog")).await;
    assert_ne!(boost.body["id"], id.as_str(), "a boost has its own id");
    assert_eq!(boost.body["reblog"]["id"], id.as_str());
    assert_eq!(boost.body["reblog"]["reblogged"], true);
    let marked = bea.post(&format!("/api/v1/statuses/{id}/bookmark")).await;
    assert_eq!(marked.body["bookmarked"], true);
    let bookmarks = bea.get("/api/v1/bookmarks").await;
    assert_eq!(bookmarks.body[0]["id"], id.as_str());

    let all = ana.get("/api/v1/notifications").await;
    let kinds: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["reblog", "favourite", "mention"]);
    let mentions = ana.get("/api/v1/notifications?types[]=mention").await;
    assert_eq!(mentions.body.as_array().unwrap().len(), 1);
    assert_eq!(mentions.body[0]["status"]["id"], reply.body["id"]);
    let others = ana
        .get("/api/v1/notifications?exclude_types[]=mention&exclude_types[]=reblog")
        .await;
    assert_eq!(others.body[0]["type"], "favourite");

    // Unfavouriting withdraws its notification.
    bea.post(&format!("/api/v1/statuses/{id}/unfavourite"))
        .await;
    let after = ana.get("/api/v1/notifications").await;
    assert_eq!(after.body.as_array().unwrap().len(), 2);
    let cleared = ana.post("/api/v1/notifications/clear").await;
    assert_eq!(
        (cleared.status.as_u16(), cleared.body.clone()),
        (200, json!({}))
    );

    // Deleting answers with the source for redrafting; the post is then gone.
    let deleted = ana
        .json(Method::DELETE, &format!("/api/v1/statuses/{id}"), json!({}))
        .await;
    assert_eq!(
        deleted.body["text"],
        "Consultation evening moved to Friday #inclusion"
    );
    assert_eq!(bea.get(&format!("/api/v1/statuses/{id}")).await.status, 404);
    net.shutdown().await;
}

#[tokio::test]
async fn timelines_page_with_link_headers_and_privacy_holds() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    a.member("bea").await;
    let ana = a.login("ana").await;
    let bea = a.login("bea").await;
    for n in 1..=5 {
        ana.status(&format!("post {n}")).await;
    }
    let private = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "followers only", "visibility": "private"}),
        )
        .await;

    // Pins: own posts, five at most, shown on request with `pinned=true`.
    let own = ana.get("/api/v1/timelines/home?limit=5").await;
    let ids: Vec<String> = own
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &ids {
        let pinned = ana.post(&format!("/api/v1/statuses/{id}/pin")).await;
        assert_eq!(pinned.body["pinned"], true, "{}", pinned.text);
    }
    let sixth = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "one more"}),
        )
        .await;
    let refused = ana
        .post(&format!(
            "/api/v1/statuses/{}/pin",
            sixth.body["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    ana.json(
        Method::DELETE,
        &format!("/api/v1/statuses/{}", sixth.body["id"].as_str().unwrap()),
        json!({}),
    )
    .await;
    let ana_id = private.body["account"]["id"].as_str().unwrap();
    let shown = bea
        .get(&format!("/api/v1/accounts/{ana_id}/statuses?pinned=true"))
        .await;
    assert_eq!(
        shown.body.as_array().unwrap().len(),
        4,
        "the private one stays hidden: {}",
        shown.text
    );
    assert_eq!(
        shown.body[0]["pinned"], false,
        "pinned is about the viewer's own posts"
    );
    for id in &ids {
        ana.post(&format!("/api/v1/statuses/{id}/unpin")).await;
    }

    let page = ana.get("/api/v1/timelines/home?limit=2").await;
    let texts: Vec<&str> = page
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["content"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["<p>followers only</p>", "<p>post 5</p>"]);
    let link = page.link().unwrap();
    assert!(
        link.starts_with('<')
            && link.contains("; rel=\"next\", <")
            && link.ends_with("; rel=\"prev\""),
        "{link}"
    );
    let next = link[1..link.find('>').unwrap()].to_owned();
    let path = next.strip_prefix(&ana.base).unwrap();
    let page2 = ana.get(path).await;
    assert_eq!(page2.body[0]["content"], "<p>post 4</p>");

    // bea does not follow ana: no private post on the profile, nor by id.
    let profile = bea
        .get(&format!(
            "/api/v1/accounts/{}/statuses",
            private.body["account"]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(profile.body.as_array().unwrap().len(), 5);
    let hidden = bea
        .get(&format!(
            "/api/v1/statuses/{}",
            private.body["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(hidden.status, 404);

    // bea follows ana and now sees everything, in her home timeline too.
    let ana_id = private.body["account"]["id"].as_str().unwrap().to_owned();
    let rel = bea.post(&format!("/api/v1/accounts/{ana_id}/follow")).await;
    assert_eq!(rel.body["following"], true);
    let rels = bea
        .get(&format!("/api/v1/accounts/relationships?id[]={ana_id}"))
        .await;
    assert_eq!(rels.body[0]["following"], true);
    let home = bea.get("/api/v1/timelines/home").await;
    assert_eq!(home.body.as_array().unwrap().len(), 6);
    let local = bea.get("/api/v1/timelines/public?local=true").await;
    assert_eq!(
        local.body.as_array().unwrap().len(),
        5,
        "private posts stay off public timelines"
    );
    // Who follows ana is hers to see (others see it only when she shows it).
    let followers = ana
        .get(&format!("/api/v1/accounts/{ana_id}/followers"))
        .await;
    assert_eq!(followers.body[0]["acct"], "bea");
    net.shutdown().await;
}

#[tokio::test]
async fn bad_input_gets_json_errors_naming_the_field() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    let bad = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "x", "visibility": "everyone"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body["error"].as_str().unwrap().contains("visibility"),
        "{}",
        bad.text
    );
    let blank = ana
        .json(Method::POST, "/api/v1/statuses", json!({"status": "  "}))
        .await;
    assert_eq!(blank.status, 422);
    let typed = ana.get("/api/v1/timelines/home?limit=many").await;
    assert_eq!(typed.status, 422);
    assert!(typed.body["error"].as_str().unwrap().contains("limit"));
    let missing = ana.get("/api/v1/statuses/123456789").await;
    assert_eq!(
        (missing.status.as_u16(), missing.body["error"].clone()),
        (404, json!("Record not found"))
    );
    let unknown = ana.get("/api/v1/nothing/here").await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.content_type().starts_with("application/json"));
    let no_token = testkit::client::Client::anonymous(&a.base_url())
        .get("/api/v1/timelines/home")
        .await;
    assert_eq!(no_token.status, 401);
    net.shutdown().await;
}

#[tokio::test]
async fn followed_hashtags_bring_public_posts_home() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    a.member("cem").await;
    let (ana, cem) = (a.login("ana").await, a.login("cem").await);
    cem.status("New #housing support desk opens Monday").await;
    cem.json(
        Method::POST,
        "/api/v1/statuses",
        json!({"status": "private #housing notes", "visibility": "private"}),
    )
    .await;
    assert_eq!(ana.get("/api/v1/timelines/home").await.body, json!([]));

    let followed = ana.post("/api/v1/tags/Housing/follow").await;
    assert_eq!(
        (
            followed.body["name"].as_str(),
            followed.body["following"].as_bool()
        ),
        (Some("housing"), Some(true))
    );
    let home = ana.get("/api/v1/timelines/home").await;
    assert_eq!(
        home.body.as_array().unwrap().len(),
        1,
        "public posts only: {}",
        home.text
    );
    assert_eq!(
        ana.get("/api/v1/followed_tags").await.body[0]["name"],
        "housing"
    );
    assert_eq!(
        ana.get("/api/v1/tags/housing").await.body["following"],
        true
    );
    ana.post("/api/v1/tags/housing/unfollow").await;
    assert_eq!(ana.get("/api/v1/timelines/home").await.body, json!([]));
    assert_eq!(ana.get("/api/v1/tags/no%20such").await.status, 404);
    net.shutdown().await;
}

#[tokio::test]
async fn a_muted_thread_stops_notifying() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, cem) = a.three_members().await;
    let root = ana.status("Draft agenda for the network meeting").await;
    let root_id = root["id"].as_str().unwrap().to_owned();
    let reply = bea
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "@ana add the housing item", "in_reply_to_id": root_id}),
        )
        .await;
    let reply_id = reply.body["id"].as_str().unwrap().to_owned();

    // Muting through a reply mutes the whole thread.
    let muted = ana.post(&format!("/api/v1/statuses/{reply_id}/mute")).await;
    assert_eq!(muted.body["muted"], true, "{}", muted.text);
    assert_eq!(
        ana.get(&format!("/api/v1/statuses/{root_id}")).await.body["muted"],
        true
    );
    assert_eq!(
        bea.get(&format!("/api/v1/statuses/{root_id}")).await.body["muted"],
        false
    );
    let before = ana
        .get("/api/v1/notifications")
        .await
        .body
        .as_array()
        .unwrap()
        .len();
    cem.post(&format!("/api/v1/statuses/{root_id}/favourite"))
        .await;
    cem.json(
        Method::POST,
        "/api/v1/statuses",
        json!({"status": "@ana and transport", "in_reply_to_id": reply_id}),
    )
    .await;
    let after = ana.get("/api/v1/notifications").await;
    assert_eq!(
        after.body.as_array().unwrap().len(),
        before,
        "{}",
        after.text
    );

    let unmuted = ana
        .post(&format!("/api/v1/statuses/{root_id}/unmute"))
        .await;
    assert_eq!(unmuted.body["muted"], false);
    bea.post(&format!("/api/v1/statuses/{root_id}/favourite"))
        .await;
    let last = ana.get("/api/v1/notifications").await;
    assert_eq!(last.body[0]["type"], "favourite", "{}", last.text);
    assert_eq!(last.body[0]["account"]["acct"], "bea");
    net.shutdown().await;
}

async fn dm(client: &Client, text: &str, reply: Option<&str>) -> Answer {
    let body = json!({"status": text, "visibility": "direct", "in_reply_to_id": reply});
    client.json(Method::POST, "/api/v1/statuses", body).await
}

#[tokio::test]
async fn direct_posts_group_into_conversations() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, cem) = a.three_members().await;
    let first = dm(&ana, "@bea can you host the training?", None).await;
    let first_id = first.body["id"].as_str().unwrap().to_owned();
    dm(&ana, "@bea separately: the report is out", None).await;

    let listed = bea.get("/api/v1/conversations").await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2, "{}", listed.text);
    let thread = listed.body[1]["id"].as_str().unwrap().to_owned();
    assert_eq!(listed.body[1]["unread"], true);
    assert_eq!(listed.body[1]["accounts"][0]["acct"], "ana");
    assert_eq!(listed.body[1]["last_status"]["id"], first_id.as_str());
    assert_eq!(cem.get("/api/v1/conversations").await.body, json!([]));

    let answer = dm(&bea, "@ana yes, Thursday works", Some(&first_id)).await;
    let answer_id = answer.body["id"].as_str().unwrap();
    let theirs = ana.get("/api/v1/conversations").await;
    assert_eq!(
        theirs.body[0]["id"],
        thread.as_str(),
        "the reply joins the thread"
    );
    assert_eq!(theirs.body[0]["last_status"]["id"], answer_id);
    assert_eq!(theirs.body[0]["unread"], true);
    let read = ana
        .post(&format!("/api/v1/conversations/{thread}/read"))
        .await;
    assert_eq!(read.body["unread"], false, "{}", read.text);
    assert_eq!(
        ana.get("/api/v1/conversations").await.body[0]["unread"],
        false
    );

    ana.json(
        Method::DELETE,
        &format!("/api/v1/conversations/{thread}"),
        json!({}),
    )
    .await;
    assert_eq!(
        ana.get("/api/v1/conversations")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    dm(&bea, "@ana see you then", Some(answer_id)).await;
    let back = ana.get("/api/v1/conversations").await;
    assert_eq!(
        back.body.as_array().unwrap().len(),
        2,
        "a new post brings it back"
    );
    assert_eq!(back.body[0]["unread"], true);
    let missing = cem
        .post(&format!("/api/v1/conversations/{thread}/read"))
        .await;
    assert_eq!(missing.status, reqwest::StatusCode::NOT_FOUND);
    net.shutdown().await;
}

#[tokio::test]
async fn several_statuses_come_in_order_without_what_the_viewer_may_not_see() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, _) = a.three_members().await;
    let public = ana.status("Open call for trainers").await;
    let private = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "Followers only: budget draft", "visibility": "private"}),
        )
        .await;
    let later = ana.status("Second open call").await;
    let ids =
        [&later["id"], &private.body["id"], &public["id"]].map(|v| v.as_str().unwrap().to_owned());
    let query = format!(
        "/api/v1/statuses?id[]={}&id[]={}&id[]={}&id[]=999&id[]=x",
        ids[0], ids[1], ids[2]
    );
    let seen_by_bea = bea.get(&query).await;
    let got: Vec<&str> = seen_by_bea
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        [ids[0].as_str(), ids[2].as_str()],
        "{}",
        seen_by_bea.text
    );
    let seen_by_ana = ana.get(&query).await;
    assert_eq!(seen_by_ana.body.as_array().unwrap().len(), 3);
    net.shutdown().await;
}
