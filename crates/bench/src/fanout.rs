//! Fan-out: an organisation with many followers on many servers posts once. Each receiving
//! server is a listener on its own loopback port (`localhost:PORT` is its domain) that checks
//! the signature of what arrives with the organisation's public key and counts it. The cost
//! must follow the number of servers (one delivery per shared inbox), not of followers.

use crate::{
    generate,
    report::{self, line},
    server::{Engine, Setup},
    signing::SigningRates,
};
use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, Uri},
    routing::post,
};
use passage_core::{accounts::ActorKind, keys::KeySource};
use passage_db::entities::deliveries;
use passage_federation::signatures::{self, IncomingRequest, PublicKey, SignatureHeader};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::{
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, Ordering},
    },
    time::{Duration, Instant, SystemTime},
};

pub struct Params {
    pub followers: usize,
    pub servers: usize,
}

/// What the receiving servers saw.
struct Receivers {
    key: PublicKey,
    /// Deliveries per server, by listener index.
    counts: Vec<AtomicU32>,
    refused: AtomicU32,
    last_arrival: Mutex<Option<Instant>>,
}

impl Receivers {
    fn total(&self) -> u32 {
        self.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }
}

async fn receive(
    State((receivers, index)): State<(Arc<Receivers>, usize)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let map = signatures::header_map(&headers);
    let verified = map
        .get("signature")
        .ok_or(signatures::SignatureError::Missing)
        .and_then(|h| SignatureHeader::parse(h))
        .and_then(|header| {
            let request = IncomingRequest {
                method: "POST",
                scheme: "http",
                path_and_query: uri.path(),
                headers: &map,
                body: Some(&body),
            };
            signatures::verify(
                &request,
                &header,
                &receivers.key,
                SystemTime::now(),
                Duration::from_secs(3600),
            )
        });
    if verified.is_err() {
        receivers.refused.fetch_add(1, Ordering::Relaxed);
        return StatusCode::UNAUTHORIZED;
    }
    receivers.counts[index].fetch_add(1, Ordering::Relaxed);
    if let Ok(mut last) = receivers.last_arrival.lock() {
        *last = Some(Instant::now());
    }
    StatusCode::ACCEPTED
}

/// Starts `n` receiving servers; their base URLs.
async fn start_receivers(n: usize, receivers: &Arc<Receivers>) -> anyhow::Result<Vec<String>> {
    let mut bases = Vec::with_capacity(n);
    for index in 0..n {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        bases.push(format!(
            "http://localhost:{}",
            listener.local_addr()?.port()
        ));
        let app = Router::new()
            .route("/inbox", post(receive))
            .with_state((receivers.clone(), index));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
    }
    Ok(bases)
}

pub async fn run(
    binary: &Path,
    engine: &Engine,
    keys: Arc<dyn KeySource>,
    params: &Params,
    signing: &SigningRates,
) -> anyhow::Result<()> {
    report::section(&format!(
        "Fan-out: one post, {} followers on {} servers ({})",
        params.followers,
        params.servers,
        engine.name()
    ));
    let public_pem = keys.generate()?.public_pem;
    let setup = Setup::new(engine, keys, "").await?;
    let ctx = setup.context().await?;
    let (org, token) = generate::account_with_token(&ctx, "city", ActorKind::Group).await?;
    let receivers = Arc::new(Receivers {
        key: PublicKey::from_pem(&org.public_key_pem)?,
        counts: (0..params.servers).map(|_| AtomicU32::new(0)).collect(),
        refused: AtomicU32::new(0),
        last_arrival: Mutex::new(None),
    });
    let bases = start_receivers(params.servers, &receivers).await?;
    let actors = (0..params.followers)
        .map(|i| generate::remote_actor(&format!("f{i}"), &bases[i % bases.len()], &public_pem))
        .collect();
    generate::insert_all(&ctx, actors).await?;
    let follows = generate::remote_ids(&ctx)
        .await?
        .into_iter()
        .enumerate()
        .map(|(n, id)| generate::follow(n, id, org.id))
        .collect();
    generate::insert_all(&ctx, follows).await?;

    let server = setup.start(binary).await?;
    let peaks = server.reset_peak();
    let cpu_before = server.cpu_secs();
    let started = Instant::now();
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/statuses", setup.base_url()))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "status": "Our consultation on inclusive housing opens today.",
            "visibility": "public",
        }))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "posting failed: {}",
        response.status()
    );
    let expected = params.servers as u32;
    while receivers.total() < expected && started.elapsed() < Duration::from_secs(300) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Outcomes are recorded as each send ends: wait for the last before reading the CPU.
    let recorded = || async {
        deliveries::Entity::find()
            .filter(deliveries::Column::State.eq("delivered"))
            .count(&ctx.db)
            .await
    };
    while recorded().await? < u64::from(expected) && started.elapsed() < Duration::from_secs(300) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let cpu = server.cpu_secs() - cpu_before;
    let last = receivers
        .last_arrival
        .lock()
        .ok()
        .and_then(|l| *l)
        .unwrap_or_else(Instant::now);
    let took = last.duration_since(started);
    let delivered = receivers.total();
    let most = receivers
        .counts
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .max()
        .unwrap_or(0);

    line(
        "deliveries made",
        delivered,
        format!(
            "distinct shared inboxes: {expected}; most to one server: {most}; refused signatures: {}",
            receivers.refused.load(Ordering::Relaxed)
        ),
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let bound = Duration::from_secs_f64(f64::from(expected) / (signing.raw_per_sec * cores));
    line(
        "time to deliver all",
        report::ms(took),
        format!(
            "signing bound {} (raw RSA on {cores} cores)",
            report::ms(bound)
        ),
    );
    let per_delivery = cpu / f64::from(delivered.max(1));
    line(
        "server CPU per delivery",
        format!("{:.3} ms", per_delivery * 1000.0),
        format!(
            "raw RSA sign {:.3} ms; Passage signature {:.3} ms",
            1000.0 / signing.raw_per_sec,
            1000.0 / signing.ours_per_sec
        ),
    );
    peaks.report(&server, "during fan-out");
    anyhow::ensure!(
        delivered == expected && most == 1,
        "fan-out delivered {delivered} (expected {expected}, at most one per server)"
    );
    server.stop().await?;
    ctx.db.close().await?;
    setup.remove().await
}
