//! Federation moderation across real instances: domain blocks and allow-list mode, set
//! through Mastodon's admin API, enforced at the inbox, at delivery and on follows, and
//! written to the audit log.

use passage_core::{accounts, config::FederationMode, follows};
use reqwest::Method;
use serde_json::json;
use testkit::TestNetwork;

/// Checks that eve (on beta) and ana (on alpha) are cut off: no follow either way, and a
/// new Follow from eve is refused at alpha's inbox and stores nothing. `eve_here` is eve as
/// alpha knows her, `ana_on_beta` ana as beta knows her.
async fn cut_off(
    net: &TestNetwork,
    eve: &passage_core::Actor,
    eve_here: &passage_core::Actor,
    ana: &passage_core::Actor,
    ana_on_beta: &passage_core::Actor,
) {
    let (alpha, beta) = (net.get(0), net.get(1));
    assert_eq!(alpha.follow_state(eve_here, ana).await, None);
    assert_eq!(alpha.follow_state(ana, eve_here).await, None);
    follows::request(beta.ctx(), eve, ana_on_beta)
        .await
        .unwrap();
    net.deliver_all().await;
    assert_eq!(alpha.follow_state(eve_here, ana).await, None);
}

/// A domain block as a moderator posts it.
pub(crate) async fn block_domain(
    root: &testkit::client::Client,
    body: serde_json::Value,
) -> testkit::client::Answer {
    root.json(Method::POST, "/api/v1/admin/domain_blocks", body)
        .await
}

#[tokio::test]
async fn a_suspended_domain_is_cut_off_both_ways_and_the_block_is_audited() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    let ana = alpha.member("ana").await;
    let ana_client = alpha.login("ana").await;
    let eve = beta.member("eve").await;
    let ana_on_beta = net.follow(1, &eve, 0, &ana).await;
    let eve_here = net.follow(0, &ana, 1, &eve).await;
    assert_eq!(alpha.follow_state(&eve_here, &ana).await, Some(true));
    let domain = beta.domain();

    // Members cannot moderate.
    let refused = ana_client
        .json(
            Method::POST,
            "/api/v1/admin/domain_blocks",
            json!({"domain": domain}),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);

    // What a suspension would sever, before doing it.
    let preview = root
        .get(&format!(
            "/api/passage/v1/admin/domain_blocks/preview?domain={domain}"
        ))
        .await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert_eq!(preview.body["followers"], 1);
    assert_eq!(preview.body["following"], 1);
    assert!(preview.body["accounts"].as_u64().unwrap() >= 1);

    let block = block_domain(
        &root,
        json!({"domain": domain, "severity": "suspend", "reject_media": true,
                   "private_comment": "harassment wave", "public_comment": "harassment"}),
    )
    .await;
    assert_eq!(block.status, 200, "{}", block.text);
    assert_eq!(block.body["severity"], "suspend");
    assert_eq!(block.body["domain"], domain.as_str());
    assert_eq!(block.body["digest"].as_str().unwrap().len(), 64);
    let block_id = block.body["id"].as_str().unwrap().to_owned();

    // Follows both ways are severed at once, and a new Follow from beta is refused.
    cut_off(&net, &eve, &eve_here, &ana, &ana_on_beta).await;

    // Nothing from alpha goes out: a mention of eve is not delivered.
    let post = ana_client
        .status(&format!("@eve@{domain} are you there?"))
        .await;
    net.deliver_all().await;
    let sent = passage_core::posts::by_ap_id(alpha.ctx(), post["uri"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(beta.copy_of(&sent).await.is_none());

    // The block is in the audit log with who, what and why.
    let (log, actions) = audit_log(&root).await;
    assert_eq!(actions, ["domain_block.create"]);
    let entry = &log[0];
    assert_eq!(entry["target"], domain.as_str());
    assert_eq!(entry["reason"], "harassment wave");
    assert_eq!(entry["detail"]["follows_severed"], 2);
    assert_eq!(entry["detail"]["reject_media"], true);

    // Lifted: beta federates again, and a new follow goes through (eve's refused one stays
    // pending on beta, as it would on Mastodon).
    let lifted = root
        .json(
            Method::DELETE,
            &format!("/api/v1/admin/domain_blocks/{block_id}"),
            json!({}),
        )
        .await;
    assert_eq!(lifted.status, 200, "{}", lifted.text);
    let blocks = root.get("/api/v1/admin/domain_blocks").await;
    assert_eq!(blocks.body, json!([]));
    let fay = beta.person("fay").await;
    net.follow(1, &fay, 0, &ana).await;
    let fay_here = alpha.known(&fay).await;
    assert_eq!(alpha.follow_state(&fay_here, &ana).await, Some(true));
    let (_, actions) = audit_log(&root).await;
    assert_eq!(actions[0], "domain_block.destroy");
    net.shutdown().await;
}

#[tokio::test]
async fn allowlist_mode_federates_with_allowed_instances_only() {
    let mut net = TestNetwork::start(3).await;
    {
        let alpha = &mut net.instances[0];
        alpha.stop().await;
        alpha.config.federation.mode = FederationMode::Allowlist;
        alpha.start().await;
    }
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    let root = alpha.admin("root").await;
    let ana = alpha.member("ana").await;
    let bob = beta.person("bob").await;
    let cara = gamma.person("cara").await;

    // Bad input is refused with the field named.
    for (body, field) in [
        (json!({"domain": ""}), "domain"),
        (json!({"domain": alpha.domain()}), "domain"),
        (json!({"domain": "https://x.example/"}), "domain"),
        (
            json!({"domain": "x.example", "severity": "ban"}),
            "severity",
        ),
        (
            json!({"domain": "x.example", "expires_in": -5}),
            "expires_in",
        ),
    ] {
        let refused = root
            .json(Method::POST, "/api/v1/admin/domain_blocks", body.clone())
            .await;
        assert_eq!(refused.status, 422, "{body}: {}", refused.text);
        assert!(
            refused.body["error"].as_str().unwrap().contains(field),
            "{}",
            refused.text
        );
    }

    let allowed = root
        .json(
            Method::POST,
            "/api/v1/admin/domain_allows",
            json!({"domain": beta.domain()}),
        )
        .await;
    assert_eq!(allowed.status, 200, "{}", allowed.text);
    assert_eq!(allowed.body["domain"], beta.domain().as_str());

    // beta is allowed: bob's follow goes through.
    net.follow(1, &bob, 0, &ana).await;
    let bob_on_alpha = alpha.known(&bob).await;
    assert_eq!(alpha.follow_state(&bob_on_alpha, &ana).await, Some(true));

    // gamma is not: its Follow is refused at the inbox and nothing of cara is stored.
    net.follow(2, &cara, 0, &ana).await;
    assert!(
        accounts::by_ap_id(alpha.ctx(), &cara.ap_id)
            .await
            .unwrap()
            .is_none()
    );

    // In allow-list mode a block beats an allow: suspending beta severs bob's follow.
    let block = block_domain(
        &root,
        json!({"domain": beta.domain(), "severity": "suspend"}),
    )
    .await;
    assert_eq!(block.status, 200, "{}", block.text);
    assert_eq!(alpha.follow_state(&bob_on_alpha, &ana).await, None);
    let again = block_domain(&root, json!({"domain": beta.domain()})).await;
    assert_eq!(again.status, 422, "one block per domain: {}", again.text);
    net.shutdown().await;
}

/// A small JPEG picture.
fn jpeg() -> Vec<u8> {
    let picture =
        image::RgbImage::from_fn(32, 24, |x, y| image::Rgb([x as u8 * 8, y as u8 * 9, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .unwrap();
    bytes.into_inner()
}

/// Posts `text` with a picture as `who`; returns the status.
async fn post_with_picture(who: &testkit::client::Client, text: &str) -> serde_json::Value {
    let part = reqwest::multipart::Part::bytes(jpeg())
        .file_name("p.jpg")
        .mime_str("image/jpeg")
        .unwrap();
    let media = who
        .multipart(
            "/api/v2/media",
            reqwest::multipart::Form::new().part("file", part),
        )
        .await;
    assert!(media.status.is_success(), "{}", media.text);
    let posted = who
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": text, "media_ids": [media.body["id"]]}),
        )
        .await;
    assert_eq!(posted.status, 200, "{}", posted.text);
    posted.body
}

/// The uris of a timeline's statuses, with how many attachments each has.
async fn timeline(who: &testkit::client::Client, path: &str) -> Vec<(String, usize)> {
    let answer = who.get(path).await;
    answer
        .body
        .as_array()
        .unwrap_or_else(|| panic!("{}", answer.text))
        .iter()
        .map(|s| {
            (
                s["uri"].as_str().unwrap().to_owned(),
                s["media_attachments"].as_array().unwrap().len(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_limited_domain_leaves_public_timelines_and_its_rejected_media_is_not_stored() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    let ana = alpha.member("ana").await;
    let ana_client = alpha.login("ana").await;
    let eve = beta.member("eve").await;
    let eve_client = beta.login("eve").await;
    net.follow(0, &ana, 1, &eve).await;
    let first = post_with_picture(&eve_client, "First picture").await;
    net.deliver_all().await;
    let first_uri = first["uri"].as_str().unwrap().to_owned();
    let public = timeline(&ana_client, "/api/v1/timelines/public").await;
    assert!(public.contains(&(first_uri.clone(), 1)), "{public:?}");

    let block = block_domain(
        &root,
        json!({"domain": beta.domain(), "severity": "silence", "reject_media": true,
                   "strip_avatars": true}),
    )
    .await;
    assert_eq!(block.status, 200, "{}", block.text);
    assert_eq!(block.body["severity"], "silence");
    assert_eq!(block.body["policy_severity"], "limit");

    // Off the public timelines; still at home for those who follow.
    let public = timeline(&ana_client, "/api/v1/timelines/public").await;
    assert!(
        !public.iter().any(|(uri, _)| *uri == first_uri),
        "{public:?}"
    );
    let home = timeline(&ana_client, "/api/v1/timelines/home").await;
    assert!(home.iter().any(|(uri, _)| *uri == first_uri), "{home:?}");

    // A limit still federates, but the domain's pictures are no longer stored.
    let second = post_with_picture(&eve_client, "Second picture").await;
    net.deliver_all().await;
    let home = timeline(&ana_client, "/api/v1/timelines/home").await;
    let second_uri = second["uri"].as_str().unwrap().to_owned();
    assert!(home.contains(&(second_uri, 0)), "{home:?}");

    // Changed to keep the domain's posts to followers: a public post arrives followers-only.
    let changed = root
        .json(
            Method::PUT,
            &format!(
                "/api/v1/admin/domain_blocks/{}",
                block.body["id"].as_str().unwrap()
            ),
            json!({"followers_only": true}),
        )
        .await;
    assert_eq!(changed.body["followers_only"], true, "{}", changed.text);
    assert_eq!(
        changed.body["reject_media"], true,
        "what was not sent stays"
    );
    let third = eve_client.status("Third, public").await;
    assert_eq!(third["visibility"], "public");
    net.deliver_all().await;
    let home = ana_client.get("/api/v1/timelines/home").await;
    let copy = home
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["uri"] == third["uri"])
        .unwrap_or_else(|| panic!("{}", home.text));
    assert_eq!(copy["visibility"], "private");
    net.shutdown().await;
}

#[tokio::test]
async fn a_moderator_handles_a_report_and_forwards_it_anonymously() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    let boss = beta.admin("boss").await;
    let ana = alpha.member("ana").await;
    let ana_client = alpha.login("ana").await;
    let eve = beta.member("eve").await;
    let eve_client = beta.login("eve").await;
    let eve_here = net.follow(0, &ana, 1, &eve).await;
    let post = eve_client.status("Something hurtful").await;
    net.deliver_all().await;
    let copy = passage_core::posts::by_ap_id(alpha.ctx(), post["uri"].as_str().unwrap())
        .await
        .unwrap()
        .expect("delivered");

    let filed = ana_client
        .json(
            Method::POST,
            "/api/v1/reports",
            json!({"account_id": eve_here.id.to_string(), "status_ids": [copy.id.to_string()],
                   "comment": "Targets our members", "forward": true, "category": "other"}),
        )
        .await;
    assert_eq!(filed.status, 200, "{}", filed.text);
    let refused = ana_client.get("/api/v1/admin/reports").await;
    assert_eq!(refused.status, 403, "{}", refused.text);

    let open = root.get("/api/v1/admin/reports").await;
    assert_eq!(open.status, 200, "{}", open.text);
    let report = &open.body[0];
    assert_eq!(report["target_account"]["username"], "eve");
    assert_eq!(report["account"]["username"], "ana");
    assert_eq!(report["forward_requested"], true);
    assert_eq!(report["forwarded"], false);
    assert_eq!(report["statuses"][0]["uri"], post["uri"]);
    let id = report["id"].as_str().unwrap().to_owned();

    let taken = root
        .post(&format!("/api/v1/admin/reports/{id}/assign_to_self"))
        .await;
    assert_eq!(
        taken.body["assigned_account"]["username"], "root",
        "{}",
        taken.text
    );
    let noted = root
        .json(
            Method::POST,
            &format!("/api/passage/v1/admin/reports/{id}/notes"),
            json!({"text": "Third report on this account this month"}),
        )
        .await;
    assert_eq!(noted.status, 200, "{}", noted.text);
    assert_eq!(
        noted.body["notes"][0]["text"],
        "Third report on this account this month"
    );
    assert_eq!(noted.body["notes"][0]["account"]["username"], "root");
    let empty = root
        .json(
            Method::POST,
            &format!("/api/passage/v1/admin/reports/{id}/notes"),
            json!({"text": "  "}),
        )
        .await;
    assert_eq!(empty.status, 422, "{}", empty.text);

    // Forwarded by the moderator: beta receives a Flag from alpha's instance actor, and its
    // own moderators see the report, without the name of the member who reported.
    let sent = root
        .post(&format!("/api/passage/v1/admin/reports/{id}/forward"))
        .await;
    assert_eq!(sent.body["forwarded"], true, "{}", sent.text);
    net.deliver_all().await;
    let there = boss.get("/api/v1/admin/reports").await;
    let theirs = &there.body[0];
    assert_eq!(
        theirs["target_account"]["username"], "eve",
        "{}",
        there.text
    );
    assert_eq!(theirs["account"]["domain"], alpha.domain().as_str());
    assert_ne!(theirs["account"]["username"], "ana");
    assert_eq!(theirs["comment"], "Targets our members");
    assert_eq!(theirs["statuses"][0]["uri"], post["uri"]);
    let twice = root
        .post(&format!("/api/passage/v1/admin/reports/{id}/forward"))
        .await;
    assert_eq!(twice.status, 422, "{}", twice.text);

    // Resolved: it leaves the open list for the resolved one, and the log has every step.
    let done = root
        .post(&format!("/api/v1/admin/reports/{id}/resolve"))
        .await;
    assert_eq!(done.body["action_taken"], true, "{}", done.text);
    assert_eq!(done.body["action_taken_by_account"]["username"], "root");
    assert_eq!(root.get("/api/v1/admin/reports").await.body, json!([]));
    let resolved = root.get("/api/v1/admin/reports?resolved=true").await;
    assert_eq!(resolved.body[0]["id"], id.as_str());
    let (_, actions) = audit_log(&root).await;
    assert_eq!(
        actions,
        [
            "report.resolve",
            "report.forward",
            "report.note",
            "report.assign"
        ]
    );
    net.shutdown().await;
}

#[tokio::test]
async fn the_rules_are_shown_to_apps_and_on_the_about_page_and_reports_name_them() {
    let mut net = TestNetwork::start(1).await;
    {
        let alpha = &mut net.instances[0];
        alpha.stop().await;
        alpha.config.instance.rules = vec![
            "Respect each other's languages and origins.".into(),
            "No sharing of members' personal details.".into(),
        ];
        alpha.start().await;
    }
    let alpha = net.get(0);
    alpha.admin("root").await;
    alpha.member("ana").await;
    alpha.person("eve").await;
    let ana = alpha.login("ana").await;
    let eve = alpha.lookup(&format!("eve@{}", alpha.domain())).await;

    let rules = ana.get("/api/v1/instance/rules").await;
    assert_eq!(rules.body[1]["id"], "2", "{}", rules.text);
    assert_eq!(
        rules.body[1]["text"],
        "No sharing of members' personal details."
    );
    let v2 = ana.get("/api/v2/instance").await;
    assert_eq!(v2.body["rules"], rules.body);

    let page = testkit::client::http()
        .get(format!("{}/about?lang=nl", alpha.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "<h2>Regels</h2>",
        "<li>Respect each other&#39;s languages and origins.</li>",
        "<h2>Moderatoren</h2>",
        "@root@",
    ] {
        assert!(page.contains(expected), "{expected:?} missing from {page}");
    }
    assert!(
        !page.contains("@ana@"),
        "members are not listed as moderators"
    );

    let report = |rule: i64| json!({"account_id": eve.id.to_string(), "rule_ids": [rule], "category": "violation"});
    let refused = ana.json(Method::POST, "/api/v1/reports", report(3)).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("rule_ids"), "{}", refused.text);
    let filed = ana.json(Method::POST, "/api/v1/reports", report(2)).await;
    assert_eq!(filed.status, 200, "{}", filed.text);
    assert_eq!(filed.body["rule_ids"], json!(["2"]));
    net.shutdown().await;
}

/// The audit log as a moderator reads it, and its actions, newest first.
pub(crate) async fn audit_log(root: &testkit::client::Client) -> (serde_json::Value, Vec<String>) {
    let log = root.get("/api/passage/v1/admin/audit_log").await;
    let actions = log
        .body
        .as_array()
        .unwrap_or_else(|| panic!("{}", log.text))
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    (log.body, actions)
}

/// The public timeline's text as `who` reads it.
async fn public(who: &testkit::client::Client) -> String {
    who.get("/api/v1/timelines/public").await.text
}

/// A moderator's action of `kind` on the account `target`.
async fn action(
    root: &testkit::client::Client,
    target: i64,
    kind: &str,
) -> testkit::client::Answer {
    root.json(
        Method::POST,
        &format!("/api/v1/admin/accounts/{target}/action"),
        json!({"type": kind, "text": "repeated insults"}),
    )
    .await
}

#[tokio::test]
async fn accounts_are_limited_and_suspended_one_by_one_and_it_can_be_undone() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    alpha.admin("sam").await;
    let sam_actor = alpha.lookup(&format!("sam@{}", alpha.domain())).await;
    let ana = alpha.member("ana").await;
    let ana_client = alpha.login("ana").await;
    let dan = alpha.member("dan").await;
    let dan_client = alpha.login("dan").await;
    let eve = beta.member("eve").await;
    let eve_client = beta.login("eve").await;
    let ana_on_beta = net.follow(1, &eve, 0, &ana).await;
    let eve_here = net.follow(0, &ana, 1, &eve).await;
    eve_client.status("A remote voice").await;
    net.deliver_all().await;
    dan_client.status("A local voice").await;
    let seen = public(&ana_client).await;
    assert!(
        seen.contains("A remote voice") && seen.contains("A local voice"),
        "{seen}"
    );

    // Refusals: a member, one's own account, the instance's staff, an unknown type.
    let by_member = ana_client
        .json(
            Method::POST,
            &format!("/api/v1/admin/accounts/{}/action", eve_here.id),
            json!({"type": "suspend"}),
        )
        .await;
    assert_eq!(by_member.status, 403, "{}", by_member.text);
    let root_id = alpha.lookup(&format!("root@{}", alpha.domain())).await.id;
    assert_eq!(action(&root, root_id, "suspend").await.status, 422);
    assert_eq!(action(&root, sam_actor.id, "suspend").await.status, 403);
    assert_eq!(action(&root, eve_here.id, "explode").await.status, 422);

    // Limited: off the public timeline, still at home for followers.
    assert_eq!(action(&root, eve_here.id, "silence").await.status, 200);
    let seen = public(&ana_client).await;
    assert!(
        !seen.contains("A remote voice") && seen.contains("A local voice"),
        "{seen}"
    );
    let home = ana_client.get("/api/v1/timelines/home").await.text;
    assert!(home.contains("A remote voice"), "{home}");
    let shown = root
        .get(&format!("/api/v1/admin/accounts/{}", eve_here.id))
        .await;
    assert_eq!(shown.body["silenced"], true, "{}", shown.text);

    // Suspended: follows end both ways and its activities are refused at the inbox.
    assert_eq!(action(&root, eve_here.id, "suspend").await.status, 200);
    cut_off(&net, &eve, &eve_here, &ana, &ana_on_beta).await;

    // A local suspension: no more logging in, nothing on the public timeline; then undone.
    assert_eq!(action(&root, dan.id, "suspend").await.status, 200);
    let refused = dan_client.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    assert!(!public(&ana_client).await.contains("A local voice"));
    let lifted = root
        .post(&format!("/api/v1/admin/accounts/{}/unsuspend", dan.id))
        .await;
    assert_eq!(lifted.body["suspended"], false, "{}", lifted.text);
    let back = dan_client.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert!(public(&ana_client).await.contains("A local voice"));

    let (log, actions) = audit_log(&root).await;
    assert_eq!(
        actions,
        [
            "account.unsuspend",
            "account.suspend",
            "account.suspend",
            "account.silence"
        ]
    );
    assert_eq!(log[3]["reason"], "repeated insults");
    assert_eq!(log[2]["detail"]["follows_severed"], 2);
    net.shutdown().await;
}
