//! The hostile-peer suite, signatures and redirects: a fake server on loopback publishes
//! actors whose private keys the test holds, then signs the way an attacker would. Signatures
//! are made here by hand (draft-cavage) or with our RFC 9421 signer, never by a real
//! instance, so the verifier is tested against a second implementation.
//!
//! Every attack is a `Follow` of eve: refused means a 4xx and eve still has no follower.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::{
    rand::SystemRandom,
    rsa::KeyPair as RsaKeyPair,
    signature::{self, Ed25519KeyPair, KeyPair as _},
};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use passage_core::{Actor, follows, keys::parse_private_pem};
use passage_federation::signatures::rfc9421;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::{
    Arc, Mutex,
    atomic::{AtomicUsize, Ordering},
};
use testkit::{TestInstance, TestNetwork};

/// A fake server's actors: their documents can change (key rotation) and fetches are counted.
#[derive(Clone, Default)]
struct FakeActors {
    docs: Arc<Mutex<std::collections::HashMap<String, String>>>,
    fetches: Arc<AtomicUsize>,
}

impl FakeActors {
    fn publish(&self, id: &str, pem: &str) {
        self.publish_with(id, pem, |_| {});
    }

    /// Publishes an actor document changed by `edit` first.
    fn publish_with(&self, id: &str, pem: &str, edit: impl FnOnce(&mut serde_json::Value)) {
        let mut doc = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id, "type": "Person", "preferredUsername": id.rsplit('/').next().unwrap(),
            "inbox": format!("{id}/inbox"),
            "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": pem},
        });
        edit(&mut doc);
        let path = url::Url::parse(id).unwrap().path().to_owned();
        self.docs.lock().unwrap().insert(path, doc.to_string());
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

/// Serves the actors, and `/redirect/N` answers 302 to the N-th of `redirects`.
async fn fake_server(actors: FakeActors, redirects: Vec<String>) -> String {
    use axum::{extract::Path, http::StatusCode, response::IntoResponse};
    let serve = move |Path(name): Path<String>| {
        let actors = actors.clone();
        async move {
            actors.fetches.fetch_add(1, Ordering::SeqCst);
            let doc = actors
                .docs
                .lock()
                .unwrap()
                .get(&format!("/users/{name}"))
                .cloned();
            match doc {
                Some(doc) => ([("content-type", "application/activity+json")], doc).into_response(),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
    };
    let redirect = move |Path(n): Path<usize>| {
        let to = redirects[n].clone();
        async move { (StatusCode::FOUND, [("location", to)]).into_response() }
    };
    let app = axum::Router::new()
        .route("/users/{name}", axum::routing::get(serve))
        .route("/redirect/{n}", axum::routing::get(redirect));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// A draft-cavage signature made by hand: `(request-target) host date digest`, with the date
/// and the algorithm name the attacker chooses, signed by `sign`.
fn cavage(
    key_id: &str,
    algorithm: &str,
    host: &str,
    path: &str,
    date: &str,
    body: &[u8],
    sign: impl Fn(&[u8]) -> Vec<u8>,
) -> Vec<(&'static str, String)> {
    let digest = format!("SHA-256={}", B64.encode(Sha256::digest(body)));
    let text =
        format!("(request-target): post {path}\nhost: {host}\ndate: {date}\ndigest: {digest}");
    let signature = format!(
        "keyId=\"{key_id}\",algorithm=\"{algorithm}\",headers=\"(request-target) host date digest\",signature=\"{}\"",
        B64.encode(sign(text.as_bytes()))
    );
    vec![
        ("date", date.to_owned()),
        ("digest", digest),
        ("signature", signature),
    ]
}

/// [`cavage`] as most servers sign: `rsa-sha256` to the shared inbox.
fn rsa_cavage(
    key_id: &str,
    host: &str,
    date: &str,
    body: &[u8],
    key: &RsaKeyPair,
) -> Vec<(&'static str, String)> {
    cavage(
        key_id,
        "rsa-sha256",
        host,
        "/inbox",
        date,
        body,
        rsa_signer(key),
    )
}

/// Our RFC 9421 signer, as a peer speaking it would sign a POST of `body` to `url`.
fn rfc_sign(
    key: &RsaKeyPair,
    key_id: &str,
    url: &url::Url,
    body: &[u8],
) -> Vec<(&'static str, String)> {
    rfc9421::sign(
        key,
        key_id,
        "POST",
        url,
        Some(body),
        &[("content-type", "application/activity+json")],
    )
    .unwrap()
}

fn rsa_signer(key: &RsaKeyPair) -> impl Fn(&[u8]) -> Vec<u8> + '_ {
    |message| {
        let mut sig = vec![0; key.public_modulus_len()];
        key.sign(
            &signature::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            message,
            &mut sig,
        )
        .unwrap();
        sig
    }
}

fn now_date() -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now())
}

/// POSTs `body` to the shared inbox of `to` with `headers`; the status and error text.
async fn post(
    to: &TestInstance,
    body: &[u8],
    headers: Vec<(&'static str, String)>,
) -> (u16, String) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/inbox", to.base_url()))
        .header("content-type", "application/activity+json")
        .body(body.to_vec());
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn follow(actor: &str, object: &Actor, n: usize) -> Vec<u8> {
    json!({"@context": "https://www.w3.org/ns/activitystreams",
           "id": format!("{actor}/follows/{n}"), "type": "Follow",
           "actor": actor, "object": object.ap_id})
    .to_string()
    .into_bytes()
}

/// Keys of the shipped test pool, private half included.
fn pool_key(n: usize) -> (RsaKeyPair, String) {
    let pair = &testkit::key_pool_pairs()[n];
    (
        parse_private_pem(&pair.private_pem).unwrap(),
        pair.public_pem.clone(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_replayed_and_misdirected_signatures_are_refused() {
    let mut net = TestNetwork::start(2).await;
    // A short window, so that a captured signature can go stale within the test.
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.federation.signature_max_age_secs = 2;
    a.start().await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let eve = alpha.person("eve").await;
    let actors = FakeActors::default();
    let evil = fake_server(actors.clone(), vec![]).await;
    let mallory = format!("{evil}/users/mallory");
    let (key, pem) = pool_key(0);
    let (other_key, _) = pool_key(1);
    actors.publish(&mallory, &pem);
    let key_id = format!("{mallory}#main-key");
    let host = alpha.domain();
    let mut refused = Vec::new();
    let mut attack = async |what: &'static str, body: Vec<u8>, headers, expected: u16| {
        let (status, text) = post(alpha, &body, headers).await;
        assert_eq!(status, expected, "{what}: {text}");
        refused.push(what);
        text
    };

    // 1. Signed with a key that is not the one mallory publishes.
    let body = follow(&mallory, &eve, 1);
    let headers = rsa_cavage(&key_id, &host, &now_date(), &body, &other_key);
    attack("a signature by another key", body, headers, 401).await;

    // 2. A signature made for beta, replayed to alpha (the host is signed).
    let body = follow(&mallory, &eve, 2);
    let headers = rsa_cavage(&key_id, &beta.domain(), &now_date(), &body, &key);
    attack(
        "a draft-cavage signature replayed to another server",
        body,
        headers,
        401,
    )
    .await;

    // 3. The same with RFC 9421 (the target URI is signed).
    let body = follow(&mallory, &eve, 3);
    let for_beta = url::Url::parse(&format!("{}/inbox", beta.base_url())).unwrap();
    let headers = rfc_sign(&key, &key_id, &for_beta, &body);
    attack(
        "an RFC 9421 signature replayed to another server",
        body,
        headers,
        401,
    )
    .await;

    // 4. RFC 9421 with the body changed after signing.
    let body = follow(&mallory, &eve, 4);
    let for_alpha = url::Url::parse(&format!("{}/inbox", alpha.base_url())).unwrap();
    let headers = rfc_sign(&key, &key_id, &for_alpha, &body);
    let tampered = follow(&mallory, &eve, 44);
    let text = attack(
        "an RFC 9421 request whose body was changed",
        tampered,
        headers,
        401,
    )
    .await;
    assert!(text.contains("digest"), "{text}");

    // 5. RFC 9421 that does not cover the body at all.
    let body = follow(&mallory, &eve, 5);
    let headers: Vec<_> = rfc_sign(&key, &key_id, &for_alpha, &body)
        .into_iter()
        .map(|(name, value)| match name {
            "signature-input" => (name, value.replace(" \"content-digest\"", "")),
            _ => (name, value),
        })
        .collect();
    let text = attack(
        "an RFC 9421 signature that leaves the body out",
        body,
        headers,
        401,
    )
    .await;
    assert!(text.contains("content-digest"), "{text}");

    // 6. An RSA signature passed off as Ed25519 (algorithm confusion).
    let body = follow(&mallory, &eve, 6);
    let headers = cavage(
        &key_id,
        "ed25519",
        &host,
        "/inbox",
        &now_date(),
        &body,
        rsa_signer(&key),
    );
    attack("an RSA signature labelled Ed25519", body, headers, 401).await;

    // 7. A signature dated in the future (pre-signed for later replay).
    let body = follow(&mallory, &eve, 7);
    let later = httpdate::fmt_http_date(
        std::time::SystemTime::now() + std::time::Duration::from_secs(3600),
    );
    let headers = rsa_cavage(&key_id, &host, &later, &body, &key);
    attack("a signature dated an hour ahead", body, headers, 401).await;

    // 8. A good signature, captured and replayed once its window has passed.
    let body = follow(&mallory, &eve, 8);
    let captured = rsa_cavage(&key_id, &host, &now_date(), &body, &key);
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    attack(
        "a valid signature replayed after its window",
        body,
        captured,
        401,
    )
    .await;

    // 9. Forged signatures cannot make alpha fetch the actor again and again: the key is
    // re-fetched at most once per window (key_refresh_secs), and mallory was just fetched.
    let before = actors.fetches();
    for n in 0..5 {
        let body = follow(&mallory, &eve, 90 + n);
        let headers = rsa_cavage(&key_id, &host, &now_date(), &body, &other_key);
        let (status, _) = post(alpha, &body, headers).await;
        assert_eq!(status, 401);
    }
    assert_eq!(
        actors.fetches(),
        before,
        "forged signatures made alpha re-fetch the key"
    );
    refused.push("forged signatures asking for key re-fetches");

    assert_eq!(
        follows::count(alpha.ctx(), &eve, true).await.unwrap(),
        0,
        "a follow got through"
    );
    println!(
        "{} signature attacks, {} refused",
        refused.len(),
        refused.len()
    );
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ed25519_keys_and_rotated_keys_are_accepted_once_checked() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let (fay, gus) = (alpha.person("fay").await, alpha.person("gus").await);
    let actors = FakeActors::default();
    let evil = fake_server(actors.clone(), vec![]).await;
    let host = alpha.domain();

    // An actor with an Ed25519 key, signing hs2019 (the key decides the algorithm).
    let ed = Ed25519KeyPair::generate().unwrap();
    let ed_pem = pem::encode(&pem::Pem::new(
        "PUBLIC KEY",
        ed.public_key().as_der().unwrap().as_ref().to_vec(),
    ));
    let edna = format!("{evil}/users/edna");
    actors.publish(&edna, &ed_pem);
    let body = follow(&edna, &fay, 1);
    let headers = cavage(
        &format!("{edna}#main-key"),
        "hs2019",
        &host,
        "/inbox",
        &now_date(),
        &body,
        |m| ed.sign(m).as_ref().to_vec(),
    );
    let (status, text) = post(alpha, &body, headers).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(follows::count(alpha.ctx(), &fay, true).await.unwrap(), 1);

    // An actor rotates its key after alpha stored the old one.
    let rosa = format!("{evil}/users/rosa");
    let (old, old_pem) = pool_key(2);
    actors.publish(&rosa, &old_pem);
    let body = follow(&rosa, &gus, 1);
    let headers = rsa_cavage(&format!("{rosa}#main-key"), &host, &now_date(), &body, &old);
    assert_eq!(post(alpha, &body, headers).await.0, 202);
    assert_eq!(follows::count(alpha.ctx(), &gus, true).await.unwrap(), 1);
    let (new, new_pem) = pool_key(3);
    actors.publish(&rosa, &new_pem);
    let undo = |n: usize| {
        json!({"@context": "https://www.w3.org/ns/activitystreams",
               "id": format!("{rosa}/undo/{n}"), "type": "Undo", "actor": rosa,
               "object": {"id": format!("{rosa}/follows/1"), "type": "Follow",
                          "actor": rosa, "object": gus.ap_id}})
        .to_string()
        .into_bytes()
    };
    // Right after the fetch, the new key is not looked for: the window has not passed.
    let body = undo(1);
    let headers = rsa_cavage(&format!("{rosa}#main-key"), &host, &now_date(), &body, &new);
    let fetched = actors.fetches();
    assert_eq!(post(alpha, &body, headers).await.0, 401);
    assert_eq!(actors.fetches(), fetched);
    // Once the stored copy is older than the window, one failed check fetches it again.
    let stored = alpha.known_by_ap_id(&rosa).await;
    backdate_fetch(alpha, &stored).await;
    let body = undo(2);
    let headers = rsa_cavage(&format!("{rosa}#main-key"), &host, &now_date(), &body, &new);
    let (status, text) = post(alpha, &body, headers).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(actors.fetches(), fetched + 1, "one re-fetch");
    assert_eq!(
        follows::count(alpha.ctx(), &gus, true).await.unwrap(),
        0,
        "the Undo took effect"
    );
    assert_eq!(
        alpha.known_by_ap_id(&rosa).await.public_key_pem.trim(),
        new_pem.trim()
    );
    net.shutdown().await;
}

/// Makes alpha's copy of an actor look fetched long ago.
async fn backdate_fetch(instance: &TestInstance, actor: &Actor) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let mut row: passage_db::entities::actors::ActiveModel = actor.clone().into();
    let long_ago = passage_db::now() - chrono::Duration::hours(2);
    row.fetched_at = Set(Some(long_ago));
    row.updated_at = Set(long_ago);
    row.update(&instance.ctx().db).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_a_private_address_is_not_followed() {
    let mut net = TestNetwork::start(1).await;
    // Only the fake server's address is allowed; the rest of loopback and every private
    // range stay closed, as on a production instance.
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.federation.allowed_private_networks = vec!["127.0.0.1/32".to_owned()];
    a.start().await;
    let alpha = net.get(0);
    let port = alpha.port;
    let targets = vec![
        format!("http://127.0.0.2:{port}/users/eve"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        format!("http://[::ffff:10.0.0.1]:{port}/users/eve"),
        format!("http://[::1]:{port}/users/eve"),
    ];
    let evil = fake_server(FakeActors::default(), targets.clone()).await;
    let data = alpha.running().federation_data();
    for (n, target) in targets.iter().enumerate() {
        let url = format!("{evil}/redirect/{n}");
        let fetched = passage_federation::objects::actor::resolve(&url, &data).await;
        let why = fetched.expect_err(target).to_string();
        println!("redirect to {target}: {why}");
        assert!(
            why.contains("public address") || why.contains("must have a domain"),
            "{target}: {why}"
        );
    }
    println!(
        "{} redirects to private addresses, {} refused",
        targets.len(),
        targets.len()
    );
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_that_pose_as_another_handle_or_run_long_are_refused_or_cut() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    let data = alpha.running().federation_data();
    let actors = FakeActors::default();
    let evil = fake_server(actors.clone(), vec![]).await;
    let (_, pem) = pool_key(0);
    // A username that reads as someone else's handle.
    let spoof = format!("{evil}/users/spoof");
    actors.publish_with(&spoof, &pem, |doc| {
        doc["preferredUsername"] = json!("ana@city.example");
    });
    let refused = passage_federation::objects::actor::resolve(&spoof, &data).await;
    assert!(refused.is_err(), "{refused:?}");
    assert!(
        passage_core::accounts::by_ap_id(alpha.ctx(), &spoof)
            .await
            .unwrap()
            .is_none()
    );
    // A display name of 100,000 characters and a 100,000-character bio: kept, but cut.
    let long = format!("{evil}/users/long");
    actors.publish_with(&long, &pem, |doc| {
        doc["name"] = json!("N".repeat(100_000));
        doc["summary"] = json!(format!("<p>{}</p>", "b".repeat(100_000)));
    });
    let kept = passage_federation::objects::actor::resolve(&long, &data)
        .await
        .unwrap();
    assert_eq!(kept.display_name.chars().count(), 200);
    assert!(kept.summary.len() <= 20_010, "{}", kept.summary.len());
    println!("2 hostile profiles: 1 refused, 1 cut to size");
    net.shutdown().await;
}
