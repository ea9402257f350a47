//! FEP-1b12 group sharing: an organisation shares its members' public posts addressed to it
//! with its followers (one Announce, a boost for Mastodon), and never a non-member's, here or
//! on another instance.

use testkit::{TestNetwork, client::Client};

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
                s["reblog"]["account"]["username"].as_str().unwrap().to_owned(),
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
    let mile = a.organisation("mile", "MILE network").await;
    let member = passage_core::accounts::Role::Member;
    passage_core::organisations::set_member(a.ctx(), None, &mile, &ana_actor, member)
        .await
        .unwrap();
    let (ana, sam) = (a.login("ana").await, a.login("sam").await);
    let (_, bea, cem) = b.three_members().await;
    let bea_actor = b.lookup(&format!("bea@{}", b.domain())).await;
    net.follow(1, &bea_actor, 0, &mile).await;

    ana.status("@mile The consultation on housing opens on Monday.").await;
    sam.status("@mile Buy cheap watches!").await;
    let reply_to = ana.status("A thread").await;
    let reply = ana
        .form(
            reqwest::Method::POST,
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
            reqwest::Method::POST,
            "/api/v1/statuses",
            &[("status", "@mile for followers only"), ("visibility", "private")],
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
