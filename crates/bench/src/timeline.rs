//! Client API timelines on a grown instance: generated accounts, follows and statuses spread
//! over a year, then many clients reading their home timeline and the public one at once.

use crate::{
    generate,
    report::{self, Latencies, line, verdict},
    server::{Engine, Setup},
};
use futures::future::join_all;
use passage_core::{accounts::ActorKind, keys::KeySource};
use passage_db::entities::{follows, posts};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use sea_orm::ActiveValue::Set;
use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

pub struct Params {
    pub statuses: usize,
    pub accounts: usize,
    pub clients: usize,
    pub seconds: u64,
    /// Keep the generated SQLite instance here, and measure it again on later runs.
    pub keep: Option<std::path::PathBuf>,
}

/// How many accounts each client's member follows.
const FOLLOWS_PER_VIEWER: usize = 150;
/// Remote servers the generated accounts are spread over.
const PEER_SERVERS: usize = 200;

struct Author {
    id: i64,
    ap_id: String,
    local: bool,
}

/// Writes the accounts, follows and statuses; returns one token per client.
async fn generate_instance(
    ctx: &passage_core::Context,
    params: &Params,
    public_pem: &str,
) -> anyhow::Result<Vec<String>> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut authors = Vec::with_capacity(params.accounts);
    let mut tokens = Vec::with_capacity(params.clients);
    for i in 0..params.clients {
        let (actor, token) =
            generate::account_with_token(ctx, &format!("member{i}"), ActorKind::Person).await?;
        tokens.push(token);
        authors.push(Author {
            id: actor.id,
            ap_id: actor.ap_id,
            local: true,
        });
    }
    let remote = params.accounts.saturating_sub(params.clients);
    let rows = (0..remote)
        .map(|i| {
            let base = format!("https://peer{}.example", i % PEER_SERVERS);
            generate::remote_actor(&format!("a{i}"), &base, public_pem)
        })
        .collect();
    generate::insert_all(ctx, rows).await?;
    for (i, id) in generate::remote_ids(ctx).await?.into_iter().enumerate() {
        authors.push(Author {
            id,
            ap_id: format!("https://peer{}.example/users/a{i}", i % PEER_SERVERS),
            local: false,
        });
    }

    // Each member follows some accounts, and is followed by some.
    let mut rows = Vec::new();
    for viewer in 0..params.clients {
        let viewer_id = authors[viewer].id;
        let followed: Vec<&Author> = authors
            .choose_multiple(&mut rng, FOLLOWS_PER_VIEWER + 1)
            .filter(|a| a.id != viewer_id)
            .take(FOLLOWS_PER_VIEWER)
            .collect();
        for a in followed {
            rows.push((viewer_id, a.id));
            rows.push((a.id, viewer_id));
        }
    }
    rows.sort_unstable();
    rows.dedup();
    let rows: Vec<follows::ActiveModel> = rows
        .into_iter()
        .enumerate()
        .map(|(n, (from, to))| generate::follow(n, from, to))
        .collect();
    generate::insert_all(ctx, rows).await?;

    // Statuses over the past year, oldest first, with snowflake ids of their time.
    let year_ms: i64 = 365 * 24 * 3600 * 1000;
    let start_ms = chrono::Utc::now().timestamp_millis() - year_ms;
    let step = year_ms / params.statuses.max(1) as i64;
    let mut batch = Vec::with_capacity(10_000);
    let mut recent: Vec<(i64, String)> = Vec::new();
    for n in 0..params.statuses {
        let author = &authors[rng.random_range(0..authors.len())];
        let ms = start_ms + n as i64 * step;
        let id = (ms << 16) | (n as i64 & 0xffff);
        let published = chrono::DateTime::from_timestamp_millis(ms)
            .unwrap_or_default()
            .fixed_offset();
        let visibility = match rng.random_range(0..100) {
            0..85 => "public",
            85..92 => "unlisted",
            _ => "private",
        };
        let ap_id = format!("{}/statuses/{n}", author.ap_id);
        // One in ten answers one of the last hundred statuses.
        let parent = (rng.random_range(0..10) == 0)
            .then(|| recent.choose(&mut rng).cloned())
            .flatten();
        batch.push(posts::ActiveModel {
            id: Set(id),
            ap_id: Set(ap_id.clone()),
            author_id: Set(author.id),
            url: Set(Some(ap_id.clone())),
            content: Set(format!(
                "<p>Status {n}: notes from the inclusion policy exchange, with a link to \
                 <a href=\"https://example.org/toolkit/{n}\">the toolkit</a>.</p>"
            )),
            source: Set(None),
            summary: Set(None),
            sensitive: Set(false),
            language: Set(Some("en".into())),
            visibility: Set(visibility.into()),
            in_reply_to_ap_id: Set(parent.as_ref().map(|(_, ap)| ap.clone())),
            in_reply_to_id: Set(parent.as_ref().map(|(id, _)| *id)),
            reblog_of_id: Set(None),
            local: Set(author.local),
            published_at: Set(published),
            edited_at: Set(None),
            deleted_at: Set(None),
            thread_id: Set(Some(parent.map_or(id, |(id, _)| id))),
        });
        if recent.len() == 100 {
            recent.remove(0);
        }
        recent.push((id, ap_id));
        if batch.len() == batch.capacity() {
            generate::insert_all(ctx, std::mem::take(&mut batch)).await?;
            batch.reserve(10_000);
        }
    }
    generate::insert_all(ctx, batch).await?;
    Ok(tokens)
}

/// Gives PostgreSQL's planner the statistics its autovacuum would have gathered on a real
/// instance long before it held a million statuses; without them it guesses row counts from
/// table sizes and plans the timelines as scans. SQLite plans without statistics (and a
/// real instance never gathers them), so it is measured as it is.
async fn analyze(ctx: &passage_core::Context) -> anyhow::Result<()> {
    use sea_orm::ConnectionTrait;
    if ctx.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        ctx.db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// One client: requests alternate between `paths` until `until`; latencies per path.
async fn client(
    http: reqwest::Client,
    base: String,
    token: String,
    paths: [&'static str; 2],
    until: Instant,
) -> anyhow::Result<[Latencies; 2]> {
    let mut latencies = [Latencies::default(), Latencies::default()];
    let mut turn = 0;
    while Instant::now() < until {
        let sent = Instant::now();
        let response = http
            .get(format!("{base}{}", paths[turn]))
            .bearer_auth(&token)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        anyhow::ensure!(status.is_success(), "{}: {status}", paths[turn]);
        anyhow::ensure!(body.len() > 2, "{}: empty timeline", paths[turn]);
        latencies[turn].push(sent.elapsed());
        turn = 1 - turn;
    }
    Ok(latencies)
}

pub async fn run(
    binary: &Path,
    engine: &Engine,
    keys: Arc<dyn KeySource>,
    params: &Params,
) -> anyhow::Result<()> {
    report::section(&format!(
        "Timelines: {} statuses, {} accounts, {} clients for {} s ({})",
        params.statuses,
        params.accounts,
        params.clients,
        params.seconds,
        engine.name()
    ));
    let public_pem = keys.generate()?.public_pem;
    let keep = match engine {
        Engine::Sqlite => params.keep.as_deref(),
        Engine::Postgres(_) => None,
    };
    let setup = Setup::in_dir(engine, keys, "", keep).await?;
    let saved_tokens = setup.dir().join("tokens.txt");
    let tokens = match std::fs::read_to_string(&saved_tokens) {
        Ok(text) if keep.is_some() => {
            line("data kept from an earlier run", setup.dir().display(), "");
            text.lines().map(str::to_owned).collect()
        }
        _ => {
            let ctx = setup.context().await?;
            let generating = Instant::now();
            let tokens = generate_instance(&ctx, params, &public_pem).await?;
            analyze(&ctx).await?;
            ctx.db.close().await?;
            std::fs::write(&saved_tokens, tokens.join("\n"))?;
            line(
                "data generated in",
                format!("{:.1} s", generating.elapsed().as_secs_f64()),
                "",
            );
            tokens
        }
    };

    let server = setup.start(binary).await?;
    line(
        "start-up to first answer, data loaded",
        report::ms(server.ready_after),
        "",
    );
    let http = reqwest::Client::new();
    let paths = [
        "/api/v1/timelines/home?limit=20",
        "/api/v1/timelines/public?limit=20",
    ];
    // Warm-up, not counted: every client once through both timelines.
    let warm = Instant::now() + Duration::from_secs(2);
    let clients = tokens
        .iter()
        .map(|t| client(http.clone(), setup.base_url(), t.clone(), paths, warm));
    for result in join_all(clients).await {
        result?;
    }
    // One client alone: the time a page costs when nobody waits in line, the floor under
    // the latencies of many.
    let alone = Instant::now() + Duration::from_secs(5);
    let [mut home, mut public] = client(
        http.clone(),
        setup.base_url(),
        tokens[0].clone(),
        paths,
        alone,
    )
    .await?;
    line(
        "one client alone: home, public",
        format!(
            "p50 {}, {}",
            report::ms(home.percentile(50.0)),
            report::ms(public.percentile(50.0))
        ),
        "the service time of a page, without queueing",
    );
    let peaks = server.reset_peak();
    let until = Instant::now() + Duration::from_secs(params.seconds);
    let clients = tokens
        .iter()
        .map(|t| client(http.clone(), setup.base_url(), t.clone(), paths, until));
    home = Latencies::default();
    public = Latencies::default();
    for result in join_all(clients).await {
        let [h, p] = result?;
        home.extend(h);
        public.extend(p);
    }
    let requests = home.len() + public.len();
    for (name, latencies) in [
        ("home timeline", &mut home),
        ("public timeline", &mut public),
    ] {
        let p99 = latencies.percentile(99.0);
        line(
            name,
            latencies.summary(),
            format!(
                "{} requests; target p99 < 50 ms: {}",
                latencies.len(),
                verdict(p99 < Duration::from_millis(50))
            ),
        );
    }
    line(
        "requests served",
        format!("{:.0}/s", requests as f64 / params.seconds as f64),
        format!("{} clients, one request at a time each", params.clients),
    );
    peaks.report(&server, "during reads");
    server.stop().await?;
    if keep.is_some() {
        return Ok(());
    }
    setup.remove().await
}
