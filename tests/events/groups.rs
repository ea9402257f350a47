//! FEP-1b12 group sharing: an organisation shares its members' public posts addressed to it
//! with its followers (one Announce, a boost for Mastodon), and never a non-member's, here or
//! on another instance.

use passage_core::{accounts::Role, organisations};
use reqwest::Method;
use serde_json::{Value, json};
use testkit::{
    TestNetwork,
    client::{Client, fetch_ap},
};

/// Who boosted what in `who`'s home timeline: (booster, original author, text).
async fn boosts(who: &Client) -> Vec<(String, String, String)> {
    let home = who.get("/api/v1/timelines/home").await;
    home.body
        .as_array()
        .unwrap_or_else(|| panic!("{}", home.text))
        .iter()
        .filter(|s| !s["reblog"].is_null())
        .map(|s| {
            (
                s["account"]["username"].as_str().unwrap().to_owned(),
                s["reblog"]["account"]["username"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                s["reblog"]["content"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_organisation_shares_what_its_members_address_to_it_and_nothing_else() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    let ana_actor = a.member("ana").await;
    a.member("sam").await;
    let mile = a
        .organisation_with("mile", "MILE network", &[(&ana_actor, Role::Member)])
        .await;
    let (ana, sam) = (a.login("ana").await, a.login("sam").await);
    let (_, bea, cem) = b.three_members().await;
    let bea_actor = b.lookup(&format!("bea@{}", b.domain())).await;
    net.follow(1, &bea_actor, 0, &mile).await;

    ana.status("@mile The consultation on housing opens on Monday.")
        .await;
    sam.status("@mile Buy cheap watches!").await;
    let reply_to = ana.status("A thread").await;
    let reply = ana
        .form(
            Method::POST,
            "/api/v1/statuses",
            &[
                ("status", "@mile a reply stays in its thread"),
                ("in_reply_to_id", reply_to["id"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let private = ana
        .form(
            Method::POST,
            "/api/v1/statuses",
            &[
                ("status", "@mile for followers only"),
                ("visibility", "private"),
            ],
        )
        .await;
    assert_eq!(private.status, 200, "{}", private.text);
    cem.status(&format!("@mile@{} Follow me for deals!", a.domain()))
        .await;
    net.deliver_all().await;
    net.deliver_all().await;

    let shared = boosts(&bea).await;
    let pairs: Vec<(&str, &str)> = shared
        .iter()
        .map(|(by, of, _)| (by.as_str(), of.as_str()))
        .collect();
    assert_eq!(pairs, [("mile", "ana")], "{shared:?}");
    assert!(shared[0].2.contains("consultation on housing"));
    // Shared once, however often it is delivered or seen.
    net.deliver_all().await;
    assert_eq!(boosts(&bea).await.len(), 1);
    net.shutdown().await;
}

async fn ap(url: &str) -> Value {
    let (status, doc) = fetch_ap(url).await;
    assert_eq!(status, 200, "{url}");
    doc
}

#[tokio::test]
async fn an_organisation_serves_its_collections_and_lists_people_only_if_it_chose_to() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let ana_actor = a.member("ana").await;
    let ole_actor = a.member("ole").await;
    let mile = a
        .organisation_with(
            "mile",
            "MILE network",
            &[(&ana_actor, Role::Admin), (&ole_actor, Role::Member)],
        )
        .await;
    let ana = a.login("ana").await;
    let event = ana
        .json(
            Method::POST,
            "/api/passage/v1/events",
            json!({"host": "mile", "name": "Open day", "starts_at": "2031-05-01T10:00", "timezone": "Europe/Madrid"}),
        )
        .await;
    assert_eq!(event.status, 200, "{}", event.text);

    let actor = ap(&mile.ap_id).await;
    assert_eq!(actor["type"], "Group");
    assert_eq!(actor["attributedTo"], format!("{}/moderators", mile.ap_id));
    let upcoming = ap(actor["upcomingEvents"].as_str().unwrap()).await;
    assert_eq!(upcoming["orderedItems"], json!([event.body["uri"]]));
    let members = ap(actor["members"].as_str().unwrap()).await;
    assert_eq!(members["totalItems"], 2);
    assert!(
        members.get("orderedItems").is_none(),
        "not public: {members}"
    );
    let moderators = ap(actor["attributedTo"].as_str().unwrap()).await;
    assert_eq!(moderators["totalItems"], 1);
    assert!(moderators.get("orderedItems").is_none());
    let resources = ap(actor["resources"].as_str().unwrap()).await;
    assert_eq!(resources["totalItems"], 0);

    organisations::set_members_public(a.ctx(), Some(&ana_actor), &mile, true)
        .await
        .unwrap();
    let moderators = ap(actor["attributedTo"].as_str().unwrap()).await;
    assert_eq!(moderators["orderedItems"], json!([ana_actor.ap_id]));
    let members = ap(actor["members"].as_str().unwrap()).await;
    assert_eq!(members["orderedItems"].as_array().unwrap().len(), 2);
    net.shutdown().await;
}
