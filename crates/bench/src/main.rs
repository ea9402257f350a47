//! `passage-bench`: starts real `passage` processes on loopback and prints, in one run, each
//! figure the project is held to next to its physical bound measured in the same run:
//! signing, fan-out, inbox, timelines, memory and start-up. Build the server first:
//!
//!     cargo build --release --bin passage --bin passage-bench
//!     target/release/passage-bench [--postgres postgres://postgres@127.0.0.1:5432/postgres]

mod fanout;
mod generate;
mod inbox;
mod report;
mod server;
mod signing;
mod timeline;

use clap::Parser;
use passage_core::keys::{KeyPool, KeySource, RsaKeys};
use server::{Engine, Setup};
use std::{path::PathBuf, sync::Arc, time::Duration};

#[derive(Parser)]
#[command(about = "Benchmarks of a real passage server against the bounds of this machine")]
struct Args {
    /// The server binary to measure.
    #[arg(long, default_value_os_t = server::default_binary())]
    server: PathBuf,
    /// Also run on PostgreSQL: an administrative URL; a database is created per run.
    #[arg(long, env = "PASSAGE_BENCH_POSTGRES")]
    postgres: Option<String>,
    /// Sections to run (startup, signing, fanout, inbox, timeline); all by default.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    #[arg(long, default_value_t = 10_000)]
    followers: usize,
    /// Receiving servers the followers are spread over.
    #[arg(long, default_value_t = 500)]
    servers: usize,
    #[arg(long, default_value_t = 5_000)]
    activities: usize,
    /// Requests in flight at once against the inbox.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    #[arg(long, default_value_t = 1_000_000)]
    statuses: usize,
    #[arg(long, default_value_t = 10_000)]
    accounts: usize,
    #[arg(long, default_value_t = 100)]
    clients: usize,
    /// Seconds of timeline reads.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Keep the generated SQLite timeline instance in this directory and measure it again on
    /// later runs instead of generating it anew (generation takes minutes).
    #[arg(long)]
    keep: Option<PathBuf>,
}

impl Args {
    fn runs(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == section)
    }

    fn engines(&self) -> Vec<Engine> {
        let mut engines = vec![Engine::Sqlite];
        engines.extend(self.postgres.clone().map(Engine::Postgres));
        engines
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.server.exists(),
        "{} is missing: build it with `cargo build --release --bin passage`",
        args.server.display()
    );
    println!(
        "passage-bench: server {}, {} cores",
        args.server.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    // Accounts of one run share a few keys: generating 10,000 would measure key generation.
    let pairs = (0..4)
        .map(|_| RsaKeys { bits: 2048 }.generate())
        .collect::<Result<Vec<_>, _>>()?;
    let signing_key = passage_core::keys::parse_private_pem(&pairs[0].private_pem)?;
    let keys: Arc<dyn KeySource> = Arc::new(KeyPool::new(pairs));

    if args.runs("startup") {
        for engine in args.engines() {
            startup(&args, &engine, keys.clone()).await?;
        }
    }
    let body = "x".repeat(2000);
    let rates = signing::run(&signing_key, body.as_bytes())?;
    for engine in args.engines() {
        if args.runs("fanout") {
            let params = fanout::Params {
                followers: args.followers,
                servers: args.servers,
            };
            fanout::run(&args.server, &engine, keys.clone(), &params, &rates).await?;
        }
        if args.runs("inbox") {
            let params = inbox::Params {
                activities: args.activities,
                concurrency: args.concurrency,
            };
            inbox::run(&args.server, &engine, keys.clone(), &params).await?;
        }
        if args.runs("timeline") {
            let params = timeline::Params {
                statuses: args.statuses,
                accounts: args.accounts,
                clients: args.clients,
                seconds: args.seconds,
                keep: args.keep.clone(),
            };
            timeline::run(&args.server, &engine, keys.clone(), &params).await?;
        }
    }
    Ok(())
}

/// Start-up time on a new, empty database (migrations included), then memory when idle.
async fn startup(args: &Args, engine: &Engine, keys: Arc<dyn KeySource>) -> anyhow::Result<()> {
    report::section(&format!("Start-up and idle memory ({})", engine.name()));
    let setup = Setup::new(engine, keys, "").await?;
    let server = setup.start(&args.server).await?;
    report::line(
        "start-up to first answer, new database",
        report::ms(server.ready_after),
        "migrations included",
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss = server.rss_kib();
    report::line(
        "resident memory, idle",
        report::mib(rss),
        format!(
            "target < 40 MiB: {}; GoToSocial documents 250-350 MB",
            report::verdict(rss < 40 * 1024)
        ),
    );
    server.stop().await?;
    setup.remove().await
}
