//! Inbox: a remote member followed by someone here sends signed `Create(Note)`s to the shared
//! inbox as fast as the server takes them. Its actor document is served on loopback like any
//! peer's. The bounds: what verifying and parsing one activity costs on one core, and what a
//! single-row insert costs in the same database, both measured here.

use crate::{
    generate,
    report::{self, Latencies, line, verdict},
    server::{Engine, Setup},
};
use aws_lc_rs::rsa::KeyPair;
use axum::{Json, Router, routing::get};
use futures::StreamExt;
use passage_core::{accounts::ActorKind, keys::KeySource};
use passage_federation::{
    activities::create::Create,
    signatures::{self, IncomingRequest, PublicKey, SignatureHeader},
};
use sea_orm::{ConnectionTrait, TransactionTrait};
use std::{
    collections::BTreeMap,
    path::Path,
    sync::Arc,
    time::{Duration, Instant, SystemTime},
};

pub struct Params {
    pub activities: usize,
    pub concurrency: usize,
}

/// One signed request, ready to send.
struct Signed {
    body: String,
    headers: Vec<(&'static str, String)>,
}

/// Serves the sender's actor document (a key refresh would fetch it) on a loopback port.
async fn serve_sender(public_pem: String) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://localhost:{}", listener.local_addr()?.port());
    let id = format!("{base}/users/sender");
    let document = serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Person",
        "preferredUsername": "sender",
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "endpoints": { "sharedInbox": format!("{base}/inbox") },
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_pem },
    });
    let app = Router::new().route(
        "/users/sender",
        get(move || {
            let document = document.clone();
            async move {
                (
                    [("content-type", "application/activity+json")],
                    Json(document),
                )
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(base)
}

fn activity(sender: &str, n: usize) -> String {
    let note = format!("{sender}/statuses/{n}");
    serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}/activity"),
        "type": "Create",
        "actor": sender,
        "published": chrono::Utc::now().to_rfc3339(),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [format!("{sender}/followers")],
        "object": {
            "id": note,
            "type": "Note",
            "attributedTo": sender,
            "content": format!("<p>Report {n} on participatory budgeting with migrant-led organisations: <a href=\"https://example.org/r/{n}\">read it</a>.</p>"),
            "published": chrono::Utc::now().to_rfc3339(),
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [format!("{sender}/followers")],
        }
    })
    .to_string()
}

/// Signs every activity up front on all cores, so the load generator spends nothing on RSA
/// while the server is measured.
async fn sign_all(
    key: Arc<KeyPair>,
    sender: &str,
    host: &str,
    n: usize,
) -> anyhow::Result<Vec<Signed>> {
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let mut tasks = Vec::new();
    for part in 0..cores {
        let (key, sender, host) = (key.clone(), sender.to_owned(), host.to_owned());
        tasks.push(tokio::task::spawn_blocking(move || {
            (part..n)
                .step_by(cores)
                .map(|i| {
                    let body = activity(&sender, i);
                    let headers = signatures::sign(
                        &key,
                        &format!("{sender}#main-key"),
                        "POST",
                        &host,
                        "/inbox",
                        Some(body.as_bytes()),
                        &[("content-type", "application/activity+json")],
                    )?;
                    Ok(Signed { body, headers })
                })
                .collect::<Result<Vec<_>, signatures::SignatureError>>()
        }));
    }
    let mut all = Vec::with_capacity(n);
    for task in tasks {
        all.extend(task.await??);
    }
    Ok(all)
}

/// Verify + parse, as the inbox does before the database, on one core: activities per second.
fn verify_and_parse_rate(signed: &[Signed], key: &PublicKey, host: &str) -> anyhow::Result<f64> {
    let mut failures = 0;
    let rate = report::rate_of(Duration::from_secs(3), |i| {
        let s = &signed[i % signed.len()];
        let mut headers: BTreeMap<String, String> = s
            .headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        headers.insert("host".into(), host.to_owned());
        headers.insert("content-type".into(), "application/activity+json".into());
        let ok = SignatureHeader::parse(&headers["signature"])
            .and_then(|header| {
                let request = IncomingRequest {
                    method: "POST",
                    scheme: "http",
                    path_and_query: "/inbox",
                    headers: &headers,
                    body: Some(s.body.as_bytes()),
                };
                signatures::verify(
                    &request,
                    &header,
                    key,
                    SystemTime::now(),
                    Duration::from_secs(3600),
                )
            })
            .is_ok()
            && serde_json::from_str::<serde_json::Value>(&s.body)
                .ok()
                .filter(|v| passage_federation::protocol::limits::check(v).is_ok())
                .and_then(|v| serde_json::from_value::<Create>(v).ok())
                .is_some();
        failures += usize::from(!ok);
    });
    anyhow::ensure!(failures == 0, "{failures} activities failed verify + parse");
    Ok(rate)
}

/// Single-row inserts (each its own transaction, as the inbox commits each activity) from
/// `concurrency` tasks into a scratch table of the server's database: rows per second.
async fn raw_insert_rate(
    ctx: &passage_core::Context,
    rows: usize,
    concurrency: usize,
) -> anyhow::Result<f64> {
    let db = &ctx.db;
    db.execute_unprepared(
        "CREATE TABLE bench_rows (id BIGINT PRIMARY KEY, ap_id VARCHAR(255) NOT NULL UNIQUE, body TEXT NOT NULL)",
    )
    .await?;
    let body = "x".repeat(600);
    let backend = db.get_database_backend();
    let started = Instant::now();
    let results: Vec<Result<(), sea_orm::DbErr>> = futures::stream::iter(0..rows)
        .map(|i| {
            let body = body.clone();
            async move {
                let txn = db.begin().await?;
                txn.execute_raw(sea_orm::Statement::from_sql_and_values(
                    backend,
                    match backend {
                        sea_orm::DbBackend::Postgres => {
                            "INSERT INTO bench_rows (id, ap_id, body) VALUES ($1, $2, $3)"
                        }
                        _ => "INSERT INTO bench_rows (id, ap_id, body) VALUES (?, ?, ?)",
                    },
                    [
                        (i as i64).into(),
                        format!("https://peer.example/notes/{i}").into(),
                        body.into(),
                    ],
                ))
                .await?;
                txn.commit().await
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    results.into_iter().collect::<Result<Vec<_>, _>>()?;
    db.execute_unprepared("DROP TABLE bench_rows").await?;
    Ok(rate)
}

pub async fn run(
    binary: &Path,
    engine: &Engine,
    keys: Arc<dyn KeySource>,
    params: &Params,
) -> anyhow::Result<()> {
    report::section(&format!(
        "Inbox: {} signed Create(Note) from one peer, {} at a time ({})",
        params.activities,
        params.concurrency,
        engine.name()
    ));
    let pair = keys.generate()?;
    let key = Arc::new(passage_core::keys::parse_private_pem(&pair.private_pem)?);
    let sender_base = serve_sender(pair.public_pem.clone()).await?;
    let sender = format!("{sender_base}/users/sender");

    let setup = Setup::new(engine, keys, "").await?;
    let ctx = setup.context().await?;
    let (reader, _) = generate::account_with_token(&ctx, "reader", ActorKind::Person).await?;
    generate::insert_all(
        &ctx,
        vec![generate::remote_actor(
            "sender",
            &sender_base,
            &pair.public_pem,
        )],
    )
    .await?;
    let sender_id = generate::remote_ids(&ctx).await?[0];
    generate::insert_all(&ctx, vec![generate::follow(0, reader.id, sender_id)]).await?;
    let insert_rate = raw_insert_rate(&ctx, params.activities, params.concurrency).await?;

    let host = format!("localhost:{}", setup.port);
    let signed = sign_all(key, &sender, &host, params.activities).await?;
    let verify_rate =
        verify_and_parse_rate(&signed, &PublicKey::from_pem(&pair.public_pem)?, &host)?;

    let server = setup.start(binary).await?;
    let peaks = server.reset_peak();
    let http = reqwest::Client::new();
    let inbox = format!("{}/inbox", setup.base_url());
    let started = Instant::now();
    let outcomes: Vec<(Duration, Result<u16, String>)> = futures::stream::iter(signed)
        .map(|s| {
            let mut request = http
                .post(&inbox)
                .header("content-type", "application/activity+json")
                .body(s.body);
            for (name, value) in s.headers {
                request = request.header(name, value);
            }
            async move {
                let sent = Instant::now();
                let status = request
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .map_err(|e| e.to_string());
                (sent.elapsed(), status)
            }
        })
        .buffer_unordered(params.concurrency)
        .collect()
        .await;
    let wall = started.elapsed();
    let mut latencies = Latencies::default();
    let mut accepted = 0;
    let mut refused: BTreeMap<String, usize> = BTreeMap::new();
    for (took, status) in outcomes {
        latencies.push(took);
        match status {
            Ok(s) if (200..300).contains(&s) => accepted += 1,
            Ok(s) => *refused.entry(s.to_string()).or_default() += 1,
            Err(e) => *refused.entry(e).or_default() += 1,
        }
    }
    let stored = generate::posts_by(&ctx, sender_id).await?;
    let rate = accepted as f64 / wall.as_secs_f64();
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get()) as f64;
    let p99 = latencies.percentile(99.0);
    line(
        "activities accepted and stored",
        format!("{rate:.0}/s"),
        format!(
            "{accepted} accepted, {stored} stored; target >= 1000/s: {}",
            verdict(rate >= 1000.0)
        ),
    );
    line(
        "latency",
        latencies.summary(),
        format!(
            "target p99 < 100 ms: {}",
            verdict(p99 < Duration::from_millis(100))
        ),
    );
    line(
        "bound: verify + parse",
        format!("{:.0}/s", verify_rate * cores),
        format!("{verify_rate:.0}/s on one core, x{cores} cores"),
    );
    line(
        "bound: single-row insert transactions",
        format!("{insert_rate:.0}/s"),
        format!("{} at a time, same database", params.concurrency),
    );
    peaks.report(&server, "during inbox load");
    anyhow::ensure!(
        refused.is_empty() && stored == accepted as u64,
        "inbox refused {refused:?}; stored {stored} of {accepted}"
    );
    server.stop().await?;
    ctx.db.close().await?;
    setup.remove().await
}
