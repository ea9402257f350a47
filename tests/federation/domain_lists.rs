//! Shared lists: a 10,000-line blocklist imported as drafts and accepted in one step, and
//! subscriptions to lists served over HTTP, with priorities, exclusions and retractions;
//! blocks that expire lift by themselves.

use passage_db::entities::domain_blocks;
use reqwest::{
    Method,
    multipart::{Form, Part},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use testkit::{TestNetwork, client::Client};

/// The blocks an instance has, as `(domain, policy_severity)`, sorted.
async fn blocks(root: &Client) -> Vec<(String, String)> {
    let answer = root.get("/api/v1/admin/domain_blocks").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let mut out: Vec<(String, String)> = answer
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["domain"].as_str().unwrap().to_owned(),
                b["policy_severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(d, s)| ((*d).to_owned(), (*s).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_ten_thousand_line_list_is_drafted_then_accepted_in_one_step() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    let excluded = root
        .json(
            Method::POST,
            "/api/v1/admin/domain_permission_excludes",
            json!({"domain": "partner.example", "private_comment": "our partner city"}),
        )
        .await;
    assert_eq!(excluded.status, 200, "{}", excluded.text);

    // 10,000 lines: beta limited, a partner's subdomain (excluded), two bad lines.
    let mut csv = String::from(
        "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n",
    );
    csv.push_str(&format!(
        "{},silence,false,false,noisy,false\n",
        beta.domain()
    ));
    csv.push_str("social.partner.example,suspend,false,false,,false\n");
    for n in 3..=10_000 {
        match n {
            500 => csv.push_str("sp*m.example,suspend,false,false,,true\n"),
            7_000 => csv.push_str("odd.example,ban,false,false,,false\n"),
            _ => csv.push_str(&format!("spam{n}.example,suspend,true,false,spam,false\n")),
        }
    }
    let form = Form::new()
        .text("permission_type", "block")
        .part("file", Part::text(csv).file_name("blocklist.csv"));
    let imported = root
        .multipart("/api/passage/v1/admin/domain_permissions/import", form)
        .await;
    assert_eq!(imported.status, 200, "{}", imported.text);
    assert_eq!(imported.body["drafted"], 9_997);
    assert_eq!(imported.body["excluded"], 1);
    let bad: Vec<u64> = imported.body["bad_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["line"].as_u64().unwrap())
        .collect();
    assert_eq!(bad, [501, 7001], "{}", imported.body["bad_lines"]);

    // Drafts change nothing yet; the admin drops one, then accepts the rest in one step.
    assert!(blocks(&root).await.is_empty());
    let first = root
        .get("/api/v1/admin/domain_permission_drafts?limit=2")
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body[0]["domain"], beta.domain().as_str());
    assert_eq!(first.body[0]["policy_severity"], "limit");
    let dropped = first.body[1]["domain"].as_str().unwrap().to_owned();
    let removed = root
        .post(&format!(
            "/api/v1/admin/domain_permission_drafts/{}/remove",
            first.body[1]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    let accepted = root
        .json(
            Method::POST,
            "/api/passage/v1/admin/domain_permission_drafts/accept",
            json!({"permission_type": "block"}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(accepted.body["created"], 9_996);
    let now = blocks(&root).await;
    assert_eq!(now.len(), 9_996);
    assert!(
        now.iter()
            .all(|(d, _)| *d != dropped && !d.ends_with("partner.example"))
    );
    let drafts = root.get("/api/v1/admin/domain_permission_drafts").await;
    assert_eq!(drafts.body, json!([]));

    // The policy took it in at once: beta is limited, not cut off.
    let verdict = passage_core::moderation::verdict(alpha.ctx(), &beta.domain())
        .await
        .unwrap();
    assert!(verdict.federates && verdict.limited);
    let log = root.get("/api/passage/v1/admin/audit_log?limit=1").await;
    assert_eq!(log.body[0]["action"], "domain_block.create");
    assert_eq!(log.body[0]["reason"], "draft accepted");
    net.shutdown().await;
}

/// A list served over HTTP whose answer a test changes: `(status, body)`.
#[derive(Clone)]
struct ListHost(Arc<Mutex<(u16, String)>>);

impl ListHost {
    async fn start() -> (Self, String) {
        let host = Self(Arc::new(Mutex::new((200, String::new()))));
        let served = host.clone();
        let app = axum::Router::new().route(
            "/list",
            axum::routing::get(move || {
                let (status, body) = served.0.lock().unwrap().clone();
                async move {
                    (
                        axum::http::StatusCode::from_u16(status).unwrap(),
                        [("content-type", "text/csv")],
                        body,
                    )
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/list", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (host, url)
    }

    fn serve(&self, status: u16, body: &str) {
        *self.0.lock().unwrap() = (status, body.to_owned());
    }
}

async fn subscribe(root: &Client, body: Value) -> String {
    let made = root
        .json(
            Method::POST,
            "/api/v1/admin/domain_permission_subscriptions",
            body,
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.text);
    made.body["id"].as_str().unwrap().to_owned()
}

async fn refresh(root: &Client, id: &str) -> Value {
    let done = root
        .post(&format!(
            "/api/passage/v1/admin/domain_permission_subscriptions/{id}/refresh"
        ))
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    done.body
}

#[tokio::test]
async fn subscriptions_keep_every_severity_and_follow_priority_exclusions_and_retractions() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let root = alpha.admin("root").await;
    let (shared, shared_url) = ListHost::start().await;
    let (strict, strict_url) = ListHost::start().await;
    let header = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n";
    shared.serve(
        200,
        &format!(
            "{header}spam.example,suspend,true,true,spam,false\n\
             noisy.example,silence,false,false,,false\n\
             friend.example,suspend,false,false,,false\n\
             manual.example,silence,false,false,,false\n"
        ),
    );
    strict.serve(
        200,
        &format!("{header}noisy.example,suspend,false,false,,false\n"),
    );
    // Decided here: friend.example is excluded, manual.example blocked by hand.
    root.json(
        Method::POST,
        "/api/v1/admin/domain_permission_excludes",
        json!({"domain": "friend.example"}),
    )
    .await;
    root.json(
        Method::POST,
        "/api/v1/admin/domain_blocks",
        json!({"domain": "manual.example", "severity": "suspend"}),
    )
    .await;

    // A list applied at once keeps each line's severity; it leaves alone what is excluded
    // and what was blocked by hand.
    let shared_id = subscribe(
        &root,
        json!({"uri": shared_url, "permission_type": "block", "as_draft": false,
               "priority": 10, "title": "Network blocklist"}),
    )
    .await;
    let done = refresh(&root, &shared_id).await;
    assert_eq!(done["listed"], 4);
    assert_eq!(done["applied"]["created"], 2, "{done}");
    assert_eq!(
        blocks(&root).await,
        pairs(&[
            ("manual.example", "suspend"),
            ("noisy.example", "limit"),
            ("spam.example", "suspend")
        ])
    );

    // A list of higher priority takes a domain over; the lower one cannot take it back.
    let strict_id = subscribe(
        &root,
        json!({"uri": strict_url, "permission_type": "block", "as_draft": false,
               "priority": 200}),
    )
    .await;
    refresh(&root, &strict_id).await;
    refresh(&root, &shared_id).await;
    assert!(
        blocks(&root)
            .await
            .contains(&("noisy.example".into(), "suspend".into()))
    );

    // The shared list drops spam.example: the block stays, owned by nobody (a lost line
    // never lifts a block by itself); the log says so.
    shared.serve(
        200,
        &format!("{header}noisy.example,silence,false,false,,false\n"),
    );
    let done = refresh(&root, &shared_id).await;
    assert_eq!(done["retracted"], 1);
    assert!(
        blocks(&root)
            .await
            .contains(&("spam.example".into(), "suspend".into()))
    );
    let log = root.get("/api/passage/v1/admin/audit_log?limit=1").await;
    assert_eq!(log.body[0]["action"], "domain_subscription.orphan");
    assert_eq!(log.body[0]["target"], "spam.example");

    // A failed fetch is shown on the subscription and changes nothing.
    shared.serve(503, "down for maintenance");
    let done = refresh(&root, &shared_id).await;
    assert!(
        done["subscription"]["error"]
            .as_str()
            .unwrap()
            .contains("503")
    );
    assert_eq!(blocks(&root).await.len(), 3);

    // A drafting allow-list subscription (the default), fetched by the daily chore.
    let (allowed, allowed_url) = ListHost::start().await;
    allowed.serve(
        200,
        "# the network's partners\npartner-a.example\npartner-b.example\n",
    );
    let allow_id = subscribe(
        &root,
        json!({"uri": allowed_url, "permission_type": "allow", "content_type": "text/plain"}),
    )
    .await;
    alpha.running().run_chores().await.unwrap();
    let drafts = root
        .get(&format!(
            "/api/v1/admin/domain_permission_drafts?subscription_id={allow_id}"
        ))
        .await;
    assert_eq!(drafts.body.as_array().unwrap().len(), 2, "{}", drafts.text);
    assert_eq!(drafts.body[0]["permission_type"], "allow");
    let accepted = root
        .json(
            Method::POST,
            "/api/passage/v1/admin/domain_permission_drafts/accept",
            json!({"subscription_id": allow_id}),
        )
        .await;
    assert_eq!(accepted.body["created"], 2, "{}", accepted.text);
    let allows = root.get("/api/v1/admin/domain_allows").await;
    assert_eq!(allows.body.as_array().unwrap().len(), 2);

    // Ending a subscription with its children removes what it made.
    let gone = root
        .json(
            Method::DELETE,
            &format!(
                "/api/v1/admin/domain_permission_subscriptions/{strict_id}?remove_children=true"
            ),
            json!({}),
        )
        .await;
    assert_eq!(gone.status, 200, "{}", gone.text);
    assert!(
        !blocks(&root)
            .await
            .iter()
            .any(|(d, _)| d == "noisy.example")
    );

    // Bad input is named.
    let bad = root
        .json(
            Method::POST,
            "/api/v1/admin/domain_permission_subscriptions",
            json!({"uri": "ftp://lists.example/x", "permission_type": "block"}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.body["error"].as_str().unwrap().contains("uri"));
    net.shutdown().await;
}

#[tokio::test]
async fn an_expired_block_lifts_by_itself() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    let ana = alpha.member("ana").await;
    let eve = beta.member("eve").await;
    let ana_on_beta = beta.lookup(&format!("ana@{}", alpha.domain())).await;
    let made = root
        .json(
            Method::POST,
            "/api/v1/admin/domain_blocks",
            json!({"domain": beta.domain(), "severity": "suspend", "expires_in": 3600}),
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.text);
    assert!(made.body["expires_at"].is_string());
    passage_core::follows::request(beta.ctx(), &eve, &ana_on_beta)
        .await
        .unwrap();
    net.deliver_all().await;
    let eve_here = passage_core::accounts::by_ap_id(alpha.ctx(), &eve.ap_id)
        .await
        .unwrap();
    assert!(eve_here.is_none(), "a suspended domain's follow got in");

    // An hour later (the clock moved by the database): the chore lifts it, audited as the
    // system's, and beta federates again.
    let id: i64 = made.body["id"].as_str().unwrap().parse().unwrap();
    let mut row: domain_blocks::ActiveModel = domain_blocks::Entity::find_by_id(id)
        .one(&alpha.ctx().db)
        .await
        .unwrap()
        .unwrap()
        .into();
    row.expires_at = Set(Some(passage_db::now() - chrono::Duration::seconds(1)));
    row.update(&alpha.ctx().db).await.unwrap();
    assert!(alpha.running().run_chores().await.unwrap() >= 1);
    assert!(blocks(&root).await.is_empty());
    let log = root.get("/api/passage/v1/admin/audit_log?limit=1").await;
    assert_eq!(log.body[0]["action"], "domain_block.expire");
    assert!(log.body[0]["moderator_id"].is_null());
    let fay = beta.member("fay").await;
    net.follow(1, &fay, 0, &ana).await;
    let fay_here = alpha.known(&fay).await;
    assert_eq!(alpha.follow_state(&fay_here, &ana).await, Some(true));
    net.shutdown().await;
}
