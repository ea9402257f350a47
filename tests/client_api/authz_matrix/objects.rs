//! Every kind of object through every read path, as every kind of viewer, against what
//! Passage promises (README, Security):
//! - a public or unlisted post: everyone, but those its author blocks;
//! - a followers-only post: its author, her accepted followers, those it mentions;
//! - a direct post: its author and those it mentions;
//! - a members-only resource and a private member list: the organisation's members;
//! - who follows a member: the member herself (she may choose to show it);
//! - a token without the read scope, or a frozen login: nothing (403).

use passage_core::accounts::Role;
use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestNetwork, client::Client};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Viewer {
    Anonymous,
    Author,
    Stranger,
    Pending,
    Follower,
    Removed,
    Blocked,
    Mentioned,
    Narrow,
    Frozen,
}

const VIEWERS: [(Viewer, &str); 10] = [
    (Viewer::Anonymous, ""),
    (Viewer::Author, "bea"),
    (Viewer::Stranger, "cem"),
    (Viewer::Pending, "dan"),
    (Viewer::Follower, "eve"),
    (Viewer::Removed, "fay"),
    (Viewer::Blocked, "gus"),
    (Viewer::Mentioned, "hal"),
    (Viewer::Narrow, "bea"),
    (Viewer::Frozen, "ivy"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Public,
    Unlisted,
    Private,
    Direct,
}

/// What a viewer is promised for a post: Some(may read), None for a refused token.
fn promise(viewer: Viewer, kind: Kind) -> Option<bool> {
    use Viewer::*;
    Some(match (viewer, kind) {
        (Narrow | Frozen, _) => return None,
        (Blocked, _) => false,
        (_, Kind::Public | Kind::Unlisted) => true,
        (Author | Mentioned, _) => true,
        (Follower, Kind::Private) => true,
        _ => false,
    })
}

/// Whether the post belongs on the viewer's home timeline, given she may read it.
fn at_home(viewer: Viewer, kind: Kind) -> bool {
    match viewer {
        Viewer::Author | Viewer::Follower => true,
        Viewer::Mentioned => matches!(kind, Kind::Private | Kind::Direct),
        _ => false,
    }
}

/// Whether the post shows on the author's profile to this viewer, given she may read it.
fn on_profile(viewer: Viewer, kind: Kind) -> bool {
    match kind {
        Kind::Public | Kind::Unlisted => true,
        Kind::Private => matches!(viewer, Viewer::Author | Viewer::Follower),
        Kind::Direct => viewer == Viewer::Author,
    }
}

fn ids(answer: &testkit::client::Answer, at: &str) -> Vec<String> {
    let list = if at.is_empty() {
        &answer.body
    } else {
        &answer.body[at]
    };
    list.as_array()
        .map(|l| {
            l.iter()
                .filter_map(|s| s["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

struct Checks {
    cases: usize,
    wrong: Vec<String>,
}

impl Checks {
    fn check(&mut self, what: String, ok: bool) {
        self.cases += 1;
        if !ok {
            self.wrong.push(what);
        }
    }

    /// A read that answers the object itself: 200, 404 when hidden, 403 for a refused token.
    fn answer(&mut self, what: String, status: u16, promised: Option<bool>) {
        let want = match promised {
            Some(true) => 200,
            Some(false) => 404,
            None => 403,
        };
        self.check(format!("{what}: {status}, expected {want}"), status == want);
    }

    /// A read that lists: the object is in it exactly when promised; a refused token is 403.
    fn listed(
        &mut self,
        what: String,
        answer: &testkit::client::Answer,
        at: &str,
        id: &str,
        promised: Option<bool>,
    ) {
        match promised {
            None => self.check(format!("{what}: {}", answer.status), answer.status == 403),
            Some(shown) => {
                let found = ids(answer, at).iter().any(|i| i == id);
                self.check(
                    format!("{what}: listed {found}, expected {shown}"),
                    found == shown,
                );
            }
        }
    }
}

async fn setup_author(a: &testkit::TestInstance, c: &std::collections::HashMap<&str, Client>) {
    let bea = &c["bea"];
    let locked = bea
        .form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &[("locked", "true")],
        )
        .await;
    assert_eq!(locked.status, 200);
    let bea_id = a.member_id("bea").await;
    for name in ["dan", "eve", "fay", "gus", "ivy"] {
        c[name]
            .post(&format!("/api/v1/accounts/{bea_id}/follow"))
            .await;
        if name != "dan" {
            let id = a.member_id(name).await;
            let ok = bea
                .post(&format!("/api/v1/follow_requests/{id}/authorize"))
                .await;
            assert_eq!(ok.status, 200, "{}", ok.text);
        }
    }
    let fay = a.member_id("fay").await;
    bea.post(&format!("/api/v1/accounts/{fay}/remove_from_followers"))
        .await;
    let gus = a.member_id("gus").await;
    assert_eq!(
        bea.post(&format!("/api/v1/accounts/{gus}/block"))
            .await
            .status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_viewer_reads_exactly_what_is_promised() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let base = a.base_url();
    let mut c = std::collections::HashMap::new();
    for name in ["bea", "cem", "dan", "eve", "fay", "gus", "hal", "ivy"] {
        a.member(name).await;
        c.insert(name, a.login(name).await);
    }
    c.insert("", Client::anonymous(&base));
    let narrow = Client::login_with_scopes(&base, "bea", "write:media").await;
    let root = a.admin("root").await;
    setup_author(a, &c).await;
    let bea = &c["bea"];
    let mut posts = Vec::new();
    for (kind, visibility, text) in [
        (Kind::Public, "public", "Public notice"),
        (Kind::Unlisted, "unlisted", "Quiet notice"),
        (Kind::Private, "private", "@hal for followers"),
        (Kind::Direct, "direct", "@hal just you"),
    ] {
        let made = bea
            .json(
                Method::POST,
                "/api/v1/statuses",
                json!({"status": text, "visibility": visibility}),
            )
            .await;
        assert_eq!(made.status, 200, "{}", made.text);
        posts.push((kind, made.body));
    }
    let ivy = a.member_id("ivy").await;
    let froze = root
        .json(
            Method::POST,
            &format!("/api/v1/admin/accounts/{ivy}/action"),
            json!({"type": "disable"}),
        )
        .await;
    assert_eq!(froze.status, 200);
    let bea_id = a.member_id("bea").await;

    let mut checks = Checks {
        cases: 0,
        wrong: Vec::new(),
    };
    for (viewer, name) in VIEWERS {
        let who = if viewer == Viewer::Narrow {
            &narrow
        } else {
            &c[name]
        };
        let home = who.get("/api/v1/timelines/home").await;
        let public = who.get("/api/v1/timelines/public").await;
        let profile = who
            .get(&format!("/api/v1/accounts/{bea_id}/statuses"))
            .await;
        for (kind, post) in &posts {
            let id = post["id"].as_str().unwrap();
            let promised = promise(viewer, *kind);
            let tag = format!("{viewer:?} × {kind:?}");
            let status = who
                .get(&format!("/api/v1/statuses/{id}"))
                .await
                .status
                .as_u16();
            checks.answer(format!("{tag}: GET status"), status, promised);
            let context = who.get(&format!("/api/v1/statuses/{id}/context")).await;
            checks.answer(format!("{tag}: context"), context.status.as_u16(), promised);
            let uri = post["uri"].as_str().unwrap();
            let found = who
                .get(&format!("/api/v2/search?type=statuses&q={uri}"))
                .await;
            checks.listed(
                format!("{tag}: search by address"),
                &found,
                "statuses",
                id,
                promised,
            );
            let on_profile = promised.map(|p| p && on_profile(viewer, *kind));
            checks.listed(format!("{tag}: profile"), &profile, "", id, on_profile);
            if viewer != Viewer::Anonymous {
                let home_p = promised.map(|p| p && at_home(viewer, *kind));
                checks.listed(format!("{tag}: home"), &home, "", id, home_p);
            }
            let public_p = promised.map(|p| p && *kind == Kind::Public);
            checks.listed(format!("{tag}: public timeline"), &public, "", id, public_p);
        }
        // Who follows bea: hers alone.
        let followers = who
            .get(&format!("/api/v1/accounts/{bea_id}/followers"))
            .await;
        let shown = match viewer {
            Viewer::Narrow | Viewer::Frozen => None,
            Viewer::Author => Some(true),
            _ => Some(false),
        };
        let eve = a.member_id("eve").await.to_string();
        checks.listed(
            format!("{viewer:?}: bea's followers"),
            &followers,
            "",
            &eve,
            shown,
        );
    }
    // Pages and documents have no viewer: what is public or unlisted only.
    for (kind, post) in &posts {
        let open = matches!(kind, Kind::Public | Kind::Unlisted);
        let page = reqwest::get(post["url"].as_str().unwrap())
            .await
            .unwrap()
            .status();
        checks.answer(format!("{kind:?}: page"), page.as_u16(), Some(open));
        let (doc, _) = testkit::client::fetch_ap(post["uri"].as_str().unwrap()).await;
        checks.answer(format!("{kind:?}: unsigned document"), doc, Some(open));
    }
    organisation_objects(a, &root, &mut checks).await;
    assert!(
        checks.wrong.is_empty(),
        "{} of {} promises broken:\n{}",
        checks.wrong.len(),
        checks.cases,
        checks.wrong.join("\n")
    );
    println!(
        "authorisation matrix: {} object × viewer × path cases",
        checks.cases
    );
    net.shutdown().await;
}

/// A members-only resource and a private member list, read by the organisation's admin,
/// moderator and member, a stranger, the instance's admin and nobody.
async fn organisation_objects(a: &testkit::TestInstance, root: &Client, checks: &mut Checks) {
    let mut people = Vec::new();
    for name in ["ona", "mo", "mel"] {
        people.push(a.member(name).await);
    }
    a.organisation_with(
        "mile",
        "MILE",
        &[
            (&people[0], Role::Admin),
            (&people[1], Role::Moderator),
            (&people[2], Role::Member),
        ],
    )
    .await;
    let ona = a.login("ona").await;
    let pdf =
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(pdf.to_vec()).file_name("m.pdf"),
    );
    let file = ona.multipart("/api/v2/media", form).await;
    assert_eq!(file.status, 200, "{}", file.text);
    let made = ona
        .json(
            Method::POST,
            "/api/passage/v1/resources",
            json!({"host": "mile", "title": "Board minutes", "media_ids": [file.body["id"]],
                   "visibility": "members"}),
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.text);
    let id = made.body["id"].as_str().unwrap().to_owned();
    // Its file is not at its `/media` address, for anyone.
    let stored = reqwest::get(file.body["url"].as_str().unwrap())
        .await
        .unwrap();
    let status = stored.status().as_u16();
    checks.answer("members-only file at /media".into(), status, Some(false));
    let api_file = made.body["media_attachments"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let readers: Vec<(&str, Client, bool)> = vec![
        ("organisation admin", ona, true),
        ("organisation moderator", a.login("mo").await, true),
        ("organisation member", a.login("mel").await, true),
        ("stranger", a.login("cem").await, false),
        ("instance admin", root.clone(), false),
        ("anonymous", Client::anonymous(&a.base_url()), false),
    ];
    for (who, client, member) in &readers {
        let got = client.get(&format!("/api/passage/v1/resources/{id}")).await;
        checks.answer(
            format!("{who}: members-only resource"),
            got.status.as_u16(),
            Some(*member),
        );
        let path = api_file.trim_start_matches(&a.base_url()).to_owned();
        let read = client.get(&path).await;
        let status = read.status.as_u16();
        checks.answer(format!("{who}: members-only file"), status, Some(*member));
        let list = client
            .get("/api/passage/v1/organisations/mile/members")
            .await;
        let names: Vec<Value> = list.body.as_array().cloned().unwrap_or_default();
        let sees = list.status == 200 && !names.is_empty();
        checks.check(
            format!("{who}: private member list: {}", list.status),
            sees == *member,
        );
    }
    let (doc, _) = testkit::client::fetch_ap(made.body["uri"].as_str().unwrap()).await;
    checks.answer(
        "members-only resource: unsigned document".into(),
        doc,
        Some(false),
    );
}
