//! A member on one instance finds, follows and reads an organisation on another, all through
//! the client API.

use testkit::TestNetwork;

#[tokio::test]
async fn a_member_searches_follows_and_reads_a_remote_organisation() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    a.member("ana").await;
    b.organisation("cityhall", "City Hall").await;
    b.member("cityhall_editor").await;
    let ana = a.login("ana").await;

    let handle = format!("cityhall@{}", b.domain());
    let unresolved = ana
        .get(&format!("/api/v2/search?q=@{handle}&type=accounts"))
        .await;
    assert_eq!(unresolved.body["accounts"], serde_json::json!([]));
    let found = ana
        .get(&format!(
            "/api/v2/search?q=@{handle}&type=accounts&resolve=true"
        ))
        .await;
    assert_eq!(
        found.body["accounts"][0]["acct"],
        handle.as_str(),
        "{}",
        found.text
    );
    assert_eq!(found.body["accounts"][0]["group"], true);
    let org_id = found.body["accounts"][0]["id"].as_str().unwrap().to_owned();
    let looked_up = ana
        .get(&format!("/api/v1/accounts/lookup?acct={handle}"))
        .await;
    assert_eq!(looked_up.body["id"], org_id.as_str());

    let rel = ana.post(&format!("/api/v1/accounts/{org_id}/follow")).await;
    assert_eq!(rel.body["requested"], true, "{}", rel.text);
    net.deliver_all().await;
    let rel = ana
        .get(&format!("/api/v1/accounts/relationships?id[]={org_id}"))
        .await;
    assert_eq!(rel.body[0]["following"], true);

    // The organisation posts (through the admin path, as organisations do for now).
    let org = b.lookup(&format!("cityhall@{}", b.domain())).await;
    passage_core::posts::create(
        b.ctx(),
        &org,
        passage_core::posts::NewPost::public("Consultation on the new inclusion plan, 2 December"),
    )
    .await
    .unwrap();
    net.deliver_all().await;
    let home = ana.get("/api/v1/timelines/home").await;
    assert_eq!(
        home.body[0]["account"]["acct"],
        handle.as_str(),
        "{}",
        home.text
    );
    assert!(
        home.body[0]["content"]
            .as_str()
            .unwrap()
            .contains("inclusion plan")
    );
    assert_eq!(home.body[0]["account"]["id"], org_id.as_str());
    net.shutdown().await;
}
