//! Hostile input at the inbox: refused with the right status, and nothing stored.

use passage_core::{Actor, keys::parse_private_pem};
use passage_federation::signatures;
use serde_json::json;
use testkit::{TestInstance, TestNetwork};

/// POSTs `body` to `inbox`, signed with the key of `key_of` under the keyId of `signer`.
async fn post_signed(
    target: &TestInstance,
    inbox: &str,
    body: &[u8],
    signer: &Actor,
    key_of: &Actor,
) -> reqwest::StatusCode {
    post_signed_over(target, inbox, body, body, signer, key_of).await
}

/// Like [`post_signed`], but the signature (and its Digest) covers `signed` while `sent` is
/// what goes over the wire.
async fn post_signed_over(
    target: &TestInstance,
    inbox: &str,
    signed: &[u8],
    sent: &[u8],
    signer: &Actor,
    key_of: &Actor,
) -> reqwest::StatusCode {
    let key = parse_private_pem(key_of.private_key_pem.as_deref().unwrap()).unwrap();
    let url = url::Url::parse(inbox).unwrap();
    let headers = signatures::sign(
        &key,
        &format!("{}#main-key", signer.ap_id),
        "POST",
        &target.domain(),
        url.path(),
        Some(signed),
        &[("content-type", "application/activity+json")],
    )
    .unwrap();
    let mut request = reqwest::Client::new()
        .post(inbox)
        .header("content-type", "application/activity+json")
        .body(sent.to_vec());
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.send().await.unwrap().status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_and_change_nothing() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let ana = alpha.person("ana").await;
    let eve = beta.person("eve").await;
    let mallory = beta.person("mallory").await;
    assert_ne!(
        eve.public_key_pem, mallory.public_key_pem,
        "the test needs distinct keys"
    );
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/forged", beta.base_url()),
        "type": "Follow",
        "actor": eve.ap_id,
        "object": ana.ap_id,
    })
    .to_string();
    let client = reqwest::Client::new();

    // Unsigned: 401.
    let unsigned = client
        .post(&ana.inbox_url)
        .header("content-type", "application/activity+json")
        .body(follow.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    assert_eq!(
        unsigned.json::<serde_json::Value>().await.unwrap()["error"]
            .as_str()
            .map(|s| !s.is_empty()),
        Some(true)
    );

    // Larger than http.max_body_bytes: 413.
    let huge = vec![b' '; alpha.config.http.max_body_bytes + 1];
    let status = post_signed(alpha, &ana.inbox_url, &huge, &eve, &eve).await;
    assert_eq!(status, 413);

    // Malformed JSON, signed: 400.
    let status = post_signed(alpha, &ana.inbox_url, b"{\"type\": \"Follow\",", &eve, &eve).await;
    assert_eq!(status, 400);

    // Signed by mallory's key (and keyId) but claiming to be eve: 403.
    let status = post_signed(alpha, &ana.inbox_url, follow.as_bytes(), &mallory, &mallory).await;
    assert_eq!(status, 403);

    // keyId says eve, signature made with mallory's key: 401.
    let status = post_signed(alpha, &ana.inbox_url, follow.as_bytes(), &eve, &mallory).await;
    assert_eq!(status, 401);

    // Body changed after signing: the digest no longer matches, 401.
    let tampered = follow.replace("forged", "forged2");
    let status = post_signed_over(
        alpha,
        &ana.inbox_url,
        follow.as_bytes(),
        tampered.as_bytes(),
        &eve,
        &eve,
    )
    .await;
    assert_eq!(status, 401);

    // Nothing was stored: ana has no follower, not even a pending one.
    for actor in [&eve, &mallory] {
        if let Some(known) = passage_core::accounts::by_ap_id(alpha.ctx(), &actor.ap_id)
            .await
            .unwrap()
        {
            assert_eq!(alpha.follow_state(&known, &ana).await, None);
        }
    }

    // The same Follow, properly signed by eve, is accepted: the refusals above were about
    // the signatures, not the activity.
    let status = post_signed(alpha, &ana.inbox_url, follow.as_bytes(), &eve, &eve).await;
    assert_eq!(status, 202);
    assert!(
        alpha
            .follow_state(&alpha.known(&eve).await, &ana)
            .await
            .is_some()
    );
    net.shutdown().await;
}

/// A remote account blocks one of our members, as Mastodon sends it: the follows both ways
/// end, no new follow may start, and an Undo lifts the block.
#[tokio::test]
async fn a_remote_block_ends_follows_until_undone() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let ana = alpha.person("ana").await;
    let eve = beta.person("eve").await;
    let eve_here = net.follow(0, &ana, 1, &eve).await;
    net.follow(1, &eve, 0, &ana).await;
    assert_eq!(alpha.follow_state(&ana, &eve_here).await, Some(true));
    assert_eq!(alpha.follow_state(&eve_here, &ana).await, Some(true));

    let block = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/blocks/1", beta.base_url()),
        "type": "Block",
        "actor": eve.ap_id,
        "object": ana.ap_id,
    });
    let body = block.to_string();
    let status = post_signed(alpha, &ana.inbox_url, body.as_bytes(), &eve, &eve).await;
    assert_eq!(status, 202);
    assert_eq!(alpha.follow_state(&ana, &eve_here).await, None);
    assert_eq!(alpha.follow_state(&eve_here, &ana).await, None);
    assert!(
        passage_core::blocks::between(alpha.ctx(), &ana, &eve_here)
            .await
            .unwrap()
    );
    assert!(
        passage_core::follows::request(alpha.ctx(), &ana, &eve_here)
            .await
            .is_err(),
        "no follow across a block"
    );

    let undo = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/blocks/1/undo", beta.base_url()),
        "type": "Undo",
        "actor": eve.ap_id,
        "object": block,
    })
    .to_string();
    let status = post_signed(alpha, &ana.inbox_url, undo.as_bytes(), &eve, &eve).await;
    assert_eq!(status, 202);
    assert!(
        !passage_core::blocks::between(alpha.ctx(), &ana, &eve_here)
            .await
            .unwrap()
    );
    net.shutdown().await;
}

/// A Mobilizon member asks to join one of our organisations (`Join{Group}`): the organisation
/// turns it down with a `Reject` naming that Join, and nobody becomes a member. The actor
/// says so beforehand with Mobilizon's `openness`.
#[tokio::test]
async fn a_remote_join_of_an_organisation_is_rejected() {
    use passage_db::entities::outgoing_activities;
    use sea_orm::EntityTrait;
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let city = alpha.organisation("riga", "City of Riga").await;
    let eve = beta.person("eve").await;
    let (_, actor) = testkit::client::fetch_ap(&city.ap_id).await;
    assert_eq!(actor["openness"], "invite_only", "{actor}");

    let join_id = format!("{}/join/group/1", beta.base_url());
    let join = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": join_id,
        "type": "Join",
        "actor": eve.ap_id,
        "object": city.ap_id,
    })
    .to_string();
    let status = post_signed(alpha, &city.inbox_url, join.as_bytes(), &eve, &eve).await;
    assert_eq!(status, 202);
    alpha.deliver_all().await;
    let sent = outgoing_activities::Entity::find()
        .all(&alpha.ctx().db)
        .await
        .unwrap();
    let reject: serde_json::Value = sent
        .iter()
        .map(|a| serde_json::from_str::<serde_json::Value>(&a.body).unwrap())
        .find(|a| a["type"] == "Reject")
        .expect("a Reject was sent");
    assert_eq!(reject["actor"], city.ap_id.as_str());
    assert_eq!(reject["to"], json!([eve.ap_id]));
    assert_eq!(reject["object"]["id"], join_id.as_str());
    assert_eq!(reject["object"]["object"], city.ap_id.as_str());
    let eve_here = alpha.known(&eve).await;
    let role = passage_core::organisations::role_of(alpha.ctx(), &city, &eve_here)
        .await
        .unwrap();
    assert_eq!(role, None);
    net.shutdown().await;
}

/// Another server reports one of our members (`Flag`, as Mastodon sends it): the report waits
/// for our moderators with the posts it names. Once the domain's reports are rejected, a
/// Flag is accepted and dropped.
#[tokio::test]
async fn a_remote_flag_becomes_a_report_unless_the_domains_reports_are_rejected() {
    use passage_db::entities::reports;
    use sea_orm::EntityTrait;
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    alpha.member("ana").await;
    let ana = alpha.login("ana").await;
    let ana_actor = alpha.lookup(&format!("ana@{}", alpha.domain())).await;
    let eve = beta.person("eve").await;
    let post = ana.status("Something eve did not like").await;
    let flag = |n: u32| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/flags/{n}", beta.base_url()),
            "type": "Flag",
            "actor": eve.ap_id,
            "content": "<p>Harassment of our members</p>",
            "object": [ana_actor.ap_id, post["uri"], "https://elsewhere.example/x"],
        })
        .to_string()
    };
    let inbox = format!("{}/inbox", alpha.base_url());
    let status = post_signed(alpha, &inbox, flag(1).as_bytes(), &eve, &eve).await;
    assert_eq!(status, 202);
    let stored = reports::Entity::find().all(&alpha.ctx().db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].target_id, ana_actor.id);
    assert_eq!(stored[0].comment, "Harassment of our members");
    assert_eq!(stored[0].status_ids, post["id"].as_str().unwrap());

    let block = root
        .json(
            reqwest::Method::POST,
            "/api/v1/admin/domain_blocks",
            json!({"domain": beta.domain(), "severity": "noop", "reject_reports": true}),
        )
        .await;
    assert_eq!(block.status, 200, "{}", block.text);
    let status = post_signed(alpha, &inbox, flag(2).as_bytes(), &eve, &eve).await;
    assert_eq!(status, 202);
    let stored = reports::Entity::find().all(&alpha.ctx().db).await.unwrap();
    assert_eq!(stored.len(), 1, "the second report was dropped");
    net.shutdown().await;
}

#[tokio::test]
async fn an_unasked_post_from_a_probation_domain_waits_and_its_edit_replaces_it() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let root = alpha.admin("root").await;
    let eve = beta.person("eve").await;
    let probation = root
        .json(
            reqwest::Method::POST,
            "/api/v1/admin/domain_blocks",
            json!({"domain": beta.domain(), "severity": "probation"}),
        )
        .await;
    assert_eq!(probation.status, 200, "{}", probation.text);
    let note_id = format!("{}/notes/relayed-1", beta.base_url());
    let activity = |kind: &str, n: u32, text: &str| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/{n}", beta.base_url()),
            "type": kind,
            "actor": eve.ap_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {
                "id": note_id, "type": "Note", "attributedTo": eve.ap_id,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "content": format!("<p>{text}</p>"), "published": "2026-11-20T10:00:00Z",
            },
        })
        .to_string()
    };
    let inbox = format!("{}/inbox", alpha.base_url());
    // Nobody here follows eve, and the post mentions no one: it is unasked.
    let status = post_signed(
        alpha,
        &inbox,
        activity("Create", 1, "Cheap watches").as_bytes(),
        &eve,
        &eve,
    )
    .await;
    assert_eq!(status, 202);
    assert!(
        passage_core::posts::by_ap_id(alpha.ctx(), &note_id)
            .await
            .unwrap()
            .is_none()
    );
    let queue = root.get("/api/passage/v1/admin/held_posts").await;
    assert_eq!(queue.body[0]["reason"], "not_followed", "{}", queue.text);

    // Its edit waits in its place; letting it in stores the edited version.
    let status = post_signed(
        alpha,
        &inbox,
        activity("Update", 2, "Cheap watches, edited").as_bytes(),
        &eve,
        &eve,
    )
    .await;
    assert_eq!(status, 202);
    let queue = root.get("/api/passage/v1/admin/held_posts").await;
    assert_eq!(queue.body.as_array().unwrap().len(), 1);
    assert!(
        queue.body[0]["content"]
            .as_str()
            .unwrap()
            .contains("edited")
    );
    let let_in = root
        .post(&format!(
            "/api/passage/v1/admin/held_posts/{}/approve",
            queue.body[0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(let_in.status, 200, "{}", let_in.text);
    let stored = passage_core::posts::by_ap_id(alpha.ctx(), &note_id)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.content.contains("edited"));
    net.shutdown().await;
}

#[tokio::test]
async fn a_server_over_its_rate_is_told_to_retry_later_and_others_are_not() {
    let mut net = TestNetwork::start(3).await;
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.limits.inbox_per_domain_per_minute = 2;
    a.start().await;
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    alpha.member("ana").await;
    let ana = alpha.lookup(&format!("ana@{}", alpha.domain())).await;
    let eve = beta.person("eve").await;
    let gil = gamma.person("gil").await;
    let flag = |from: &TestInstance, who: &Actor, n: u32| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/flags/{n}", from.base_url()),
            "type": "Flag",
            "actor": who.ap_id,
            "content": "<p>report</p>",
            "object": [ana.ap_id],
        })
        .to_string()
    };
    let inbox = format!("{}/inbox", alpha.base_url());
    for n in 1..=2 {
        let status = post_signed(alpha, &inbox, flag(beta, &eve, n).as_bytes(), &eve, &eve).await;
        assert_eq!(status, 202);
    }
    let over = post_signed(alpha, &inbox, flag(beta, &eve, 3).as_bytes(), &eve, &eve).await;
    assert_eq!(over, 429);
    // Another server is not slowed by beta's burst.
    let other = post_signed(alpha, &inbox, flag(gamma, &gil, 1).as_bytes(), &gil, &gil).await;
    assert_eq!(other, 202);
    net.shutdown().await;
}

#[tokio::test]
async fn a_followers_only_post_does_not_leak_through_fetches_or_boosts() {
    use passage_core::{posts, visibility::Visibility};
    let net = TestNetwork::start(3).await;
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    let ana = alpha.member("ana").await;
    let bob = beta.person("bob").await;
    net.follow(1, &bob, 0, &ana).await;
    let carol = gamma.person("carol").await;
    let mut draft = posts::NewPost::public("Draft minutes for followers");
    draft.visibility = Visibility::Private;
    let post = posts::create(alpha.ctx(), &ana, draft).await.unwrap();
    net.deliver_all().await;
    assert!(
        beta.copy_of(&post).await.is_some(),
        "the follower's server has it"
    );

    // A server with no follower asks for it (signed, as every fetch is): not found, and
    // nothing is stored there.
    let url = url::Url::parse(&post.ap_id).unwrap();
    let fetched =
        passage_federation::objects::note::resolve(&url, &gamma.running().federation_data()).await;
    assert!(fetched.is_err(), "{fetched:?}");
    assert!(gamma.copy_of(&post).await.is_none());

    // Someone who cannot see it announces it: no boost is stored, ana is not told.
    let announce = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/announces/1", gamma.base_url()),
        "type": "Announce",
        "actor": carol.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": post.ap_id,
    })
    .to_string();
    let inbox = format!("{}/inbox", alpha.base_url());
    let status = post_signed(alpha, &inbox, announce.as_bytes(), &carol, &carol).await;
    assert_eq!(status, 403);
    let carol_here = passage_core::accounts::by_ap_id(alpha.ctx(), &carol.ap_id)
        .await
        .unwrap()
        .expect("carol is known once her signature was checked");
    let boost = passage_db::queries::posts::reblog_by(&alpha.ctx().db, carol_here.id, post.id)
        .await
        .unwrap();
    assert!(
        boost.is_none(),
        "a boost of a followers-only post was stored"
    );

    // A member here who follows ana cannot boost it either (Mastodon refuses the same).
    alpha.member("cem").await;
    let cem = alpha.login("cem").await;
    let cem_actor = alpha.lookup(&format!("cem@{}", alpha.domain())).await;
    passage_core::follows::request(alpha.ctx(), &cem_actor, &ana)
        .await
        .unwrap();
    let boost = cem
        .post(&format!("/api/v1/statuses/{}/reblog", post.id))
        .await;
    assert!(
        boost.status.is_client_error(),
        "{} {}",
        boost.status,
        boost.text
    );
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_that_overtakes_its_create_wins() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let eve = beta.person("eve").await;
    alpha.lookup(&format!("eve@{}", beta.domain())).await;
    let note_id = format!("{}/notes/overtaken", beta.base_url());
    let note = json!({
        "id": note_id, "type": "Note", "attributedTo": eve.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "content": "<p>Posted by mistake</p>", "published": "2026-11-20T10:00:00Z",
    });
    let activity = |kind: &str, n: u32, object: serde_json::Value| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/late-{n}", beta.base_url()),
            "type": kind, "actor": eve.ap_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "object": object,
        })
        .to_string()
    };
    let inbox = format!("{}/inbox", alpha.base_url());
    let tombstone = json!({"id": note_id, "type": "Tombstone"});
    let delete = activity("Delete", 1, tombstone);
    assert_eq!(
        post_signed(alpha, &inbox, delete.as_bytes(), &eve, &eve).await,
        202
    );
    // The Create and an Update arrive after the Delete: neither brings the post back.
    for (n, kind) in [(2, "Create"), (3, "Update")] {
        let late = activity(kind, n, note.clone());
        assert_eq!(
            post_signed(alpha, &inbox, late.as_bytes(), &eve, &eve).await,
            202
        );
        let stored = passage_core::posts::by_ap_id(alpha.ctx(), &note_id)
            .await
            .unwrap()
            .expect("a tombstone");
        assert!(
            stored.deleted_at.is_some(),
            "a late {kind} revived the post"
        );
        assert!(
            stored.content.is_empty(),
            "a late {kind} stored its content"
        );
    }
    // A Delete of another server's post id is refused (ids belong to their origin).
    let foreign = activity("Delete", 4, json!(format!("{}/posts/1", alpha.base_url())));
    assert_eq!(
        post_signed(alpha, &inbox, foreign.as_bytes(), &eve, &eve).await,
        403
    );
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_the_new_account_does_not_confirm_is_refused() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let bob = alpha.person("bob").await;
    let eve = beta.person("eve").await;
    let mallory = beta.person("mallory").await;
    let eve_at_alpha = net.follow(0, &bob, 1, &eve).await;
    let inbox = format!("{}/inbox", alpha.base_url());
    let move_of = |object: &str| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/move-{}", beta.base_url(), object.len()),
            "type": "Move", "actor": eve.ap_id, "object": object, "target": mallory.ap_id,
        })
        .to_string()
    };

    // mallory never named eve as an alias: eve cannot carry bob over to her.
    let unconfirmed = move_of(&eve.ap_id);
    let status = post_signed(alpha, &inbox, unconfirmed.as_bytes(), &eve, &eve).await;
    assert_eq!(status, 403, "a Move without the alias is refused");
    // Nor can eve move someone else's account.
    let other = move_of(&bob.ap_id);
    let status = post_signed(alpha, &inbox, other.as_bytes(), &eve, &eve).await;
    assert_eq!(status, 403, "a Move of another account is refused");

    assert_eq!(alpha.follow_state(&bob, &eve_at_alpha).await, Some(true));
    let mallory_known = passage_core::accounts::by_ap_id(alpha.ctx(), &mallory.ap_id)
        .await
        .unwrap();
    if let Some(mallory_at_alpha) = mallory_known {
        assert_eq!(alpha.follow_state(&bob, &mallory_at_alpha).await, None);
    }
    assert_eq!(alpha.reload(&eve_at_alpha).await.moved_to, None);
    net.shutdown().await;
}
