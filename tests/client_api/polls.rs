//! Polls: created with a status, voted on here and from another server (as a federated
//! `Question` and vote `Note`s), counted, hidden while the author asks, and ended with a
//! notification to the voters and the author.

use passage_db::entities::polls;
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::json;
use testkit::{TestInstance, TestNetwork};

/// Moves a poll's end into the past, as time would.
async fn end_now(instance: &TestInstance, poll_id: &str) {
    let row = polls::Entity::find_by_id(poll_id.parse::<i64>().unwrap())
        .one(&instance.ctx().db)
        .await
        .unwrap()
        .unwrap();
    let mut row: polls::ActiveModel = row.into();
    row.expires_at = Set(Some(passage_db::now() - std::time::Duration::from_secs(1)));
    row.update(&instance.ctx().db).await.unwrap();
}

#[tokio::test]
async fn members_vote_once_and_hear_when_the_poll_ends() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    let (ana, bea, cem) = a.three_members().await;

    // Form-encoded, nested as Rails reads it (toot, Tusky).
    let made = ana
        .form(
            Method::POST,
            "/api/v1/statuses",
            &[
                ("status", "Which evening suits the training?"),
                ("poll[options][]", "Tuesday"),
                ("poll[options][]", "Thursday"),
                ("poll[expires_in]", "3600"),
                ("poll[hide_totals]", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let poll = &made.body["poll"];
    let poll_id = poll["id"].as_str().unwrap().to_owned();
    assert_eq!(poll["options"][1]["title"], "Thursday");
    assert_eq!(poll["multiple"], false);
    assert_eq!(poll["expired"], false);
    assert!(poll["expires_at"].as_str().unwrap().ends_with('Z'));

    let voted = bea
        .form(
            Method::POST,
            &format!("/api/v1/polls/{poll_id}/votes"),
            &[("choices[]", "1")],
        )
        .await;
    assert_eq!(voted.status, StatusCode::OK, "{}", voted.text);
    assert_eq!(voted.body["voted"], true);
    assert_eq!(voted.body["own_votes"], json!([1]));
    assert!(
        voted.body["options"][1]["votes_count"].is_null(),
        "totals hidden until the end: {}",
        voted.text
    );
    let refusals = [
        (&bea, json!({"choices": ["0"]}), "already voted"),
        (&ana, json!({"choices": ["0"]}), "own poll"),
        (&cem, json!({"choices": ["0", "1"]}), "one choice"),
        (&cem, json!({"choices": ["7"]}), "choices must be"),
        (&cem, json!({"choices": ["x"]}), "choices"),
    ];
    for (client, body, error) in refusals {
        let refused = client
            .json(
                Method::POST,
                &format!("/api/v1/polls/{poll_id}/votes"),
                body,
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text
        );
        assert!(
            refused.body["error"].as_str().unwrap().contains(error),
            "{}",
            refused.text
        );
    }
    let missing = cem
        .json(
            Method::POST,
            "/api/v1/polls/42/votes",
            json!({"choices": [0]}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // The author sees the counts; the poll is part of the status everywhere.
    let own = ana.get(&format!("/api/v1/polls/{poll_id}")).await;
    assert_eq!(own.body["options"][1]["votes_count"], 1, "{}", own.text);
    assert_eq!(own.body["voters_count"], 1);
    let seen = bea.get(&format!("/api/v1/statuses/{poll_id}")).await;
    assert_eq!(seen.body["poll"]["own_votes"], json!([1]));

    end_now(a, &poll_id).await;
    assert_eq!(a.running().run_chores().await.unwrap(), 1);
    assert_eq!(
        a.running().run_chores().await.unwrap(),
        0,
        "a poll ends once"
    );
    for client in [&ana, &bea] {
        let notes = client.get("/api/v1/notifications?types[]=poll").await;
        assert_eq!(notes.body.as_array().unwrap().len(), 1, "{}", notes.text);
        assert_eq!(notes.body[0]["status"]["poll"]["expired"], true);
        assert_eq!(
            notes.body[0]["status"]["poll"]["options"][1]["votes_count"],
            1
        );
    }
    let quiet = cem.get("/api/v1/notifications?types[]=poll").await;
    assert_eq!(quiet.body, json!([]), "cem did not vote");
    let late = cem
        .json(
            Method::POST,
            &format!("/api/v1/polls/{poll_id}/votes"),
            json!({"choices": [0]}),
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Bad polls are refused with the field named, and nothing is posted.
    for poll in [
        json!({"options": ["only"], "expires_in": 600}),
        json!({"options": ["a", "b"], "expires_in": 10}),
    ] {
        let bad = ana
            .json(
                Method::POST,
                "/api/v1/statuses",
                json!({"status": "?", "poll": poll}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
        assert!(bad.body["error"].as_str().unwrap().contains("poll"));
    }
    let statuses = ana.get("/api/v1/timelines/home").await;
    assert_eq!(statuses.body.as_array().unwrap().len(), 1);
    net.shutdown().await;
}

#[tokio::test]
async fn a_poll_is_answered_from_another_server() {
    let net = TestNetwork::start(2).await;
    let (a, b) = (net.get(0), net.get(1));
    let ana_actor = a.member("ana").await;
    let cem_actor = b.member("cem").await;
    net.follow(1, &cem_actor, 0, &ana_actor).await;
    let (ana, cem) = (a.login("ana").await, b.login("cem").await);

    // JSON, as Mastodon.py sends a poll.
    let made = ana
        .json(
            Method::POST,
            "/api/v1/statuses",
            json!({"status": "Which toolkits do you use?",
                   "poll": {"options": ["Guide", "Templates", "Checklist"], "expires_in": 600,
                            "multiple": true}}),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let poll_id = made.body["poll"]["id"].as_str().unwrap().to_owned();
    net.deliver_all().await;

    let home = cem.get("/api/v1/timelines/home").await;
    let remote = &home.body[0]["poll"];
    assert_eq!(remote["multiple"], true, "{}", home.text);
    assert_eq!(remote["options"][2]["title"], "Checklist");
    assert_eq!(remote["votes_count"], 0);
    let remote_id = remote["id"].as_str().unwrap().to_owned();

    let voted = cem
        .json(
            Method::POST,
            &format!("/api/v1/polls/{remote_id}/votes"),
            json!({"choices": [0, 2]}),
        )
        .await;
    assert_eq!(voted.status, StatusCode::OK, "{}", voted.text);
    assert_eq!(voted.body["own_votes"], json!([0, 2]));
    net.deliver_all().await;

    // The author's server counted the votes, and sent the tallies back.
    let counted = ana.get(&format!("/api/v1/polls/{poll_id}")).await;
    let counts: Vec<i64> = counted.body["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["votes_count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [1, 0, 1], "{}", counted.text);
    assert_eq!(counted.body["voters_count"], 1);
    let back = cem.get(&format!("/api/v1/polls/{remote_id}")).await;
    assert_eq!(back.body["options"][2]["votes_count"], 1, "{}", back.text);
    assert_eq!(back.body["voters_count"], 1);
    assert_eq!(
        back.body["own_votes"],
        json!([0, 2]),
        "our own votes are kept"
    );
    let history = cem
        .get(&format!("/api/v1/statuses/{remote_id}/history"))
        .await;
    assert_eq!(
        history.body.as_array().unwrap().len(),
        1,
        "new tallies are not an edit: {}",
        history.text
    );

    // The end reaches the voter on the other server too.
    end_now(a, &poll_id).await;
    end_now(b, &remote_id).await;
    a.running().run_chores().await.unwrap();
    b.running().run_chores().await.unwrap();
    net.deliver_all().await;
    let notes = cem.get("/api/v1/notifications?types[]=poll").await;
    assert_eq!(notes.body.as_array().unwrap().len(), 1, "{}", notes.text);
    assert_eq!(notes.body[0]["status"]["poll"]["expired"], true);
    net.shutdown().await;
}
