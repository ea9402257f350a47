//! The server under test: a real `passage` process (the release binary, as an admin runs it)
//! on its own port and database, so its memory and CPU are its own and not the load
//! generator's. Its database is prepared beforehand through the same library code.

use anyhow::{Context as _, bail};
use passage_core::{Context, config::Config, keys::KeySource};
use sea_orm::{ConnectionTrait, Database};
use std::{
    path::{Path, PathBuf},
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::process::{Child, Command};

/// Which database engine a run uses.
#[derive(Clone, Debug)]
pub enum Engine {
    Sqlite,
    /// An administrative URL (`postgres://postgres@127.0.0.1:5432/postgres`): each run creates
    /// its own database next to it and drops it afterwards.
    Postgres(String),
}

impl Engine {
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres(_) => "PostgreSQL",
        }
    }
}

/// A data directory, a port and a database for one server, and its configuration file.
pub struct Setup {
    dir: PathBuf,
    /// Removed with the setup, unless the run keeps its directory.
    _temp: Option<tempfile::TempDir>,
    pub port: u16,
    engine: Engine,
    pg_database: Option<String>,
    database_url: String,
    extra_toml: String,
    keys: Arc<dyn KeySource>,
}

impl Setup {
    /// `extra_toml` is added to the bench defaults (and may override them).
    pub async fn new(
        engine: &Engine,
        keys: Arc<dyn KeySource>,
        extra_toml: &str,
    ) -> anyhow::Result<Self> {
        Self::in_dir(engine, keys, extra_toml, None).await
    }

    /// As [`Setup::new`], in `kept` (created if missing, never removed) when given: a
    /// SQLite database generated once can be measured again.
    pub async fn in_dir(
        engine: &Engine,
        keys: Arc<dyn KeySource>,
        extra_toml: &str,
        kept: Option<&Path>,
    ) -> anyhow::Result<Self> {
        let (dir, temp) = match kept {
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                (dir.canonicalize()?, None)
            }
            None => {
                let temp = tempfile::tempdir()?;
                (temp.path().to_owned(), Some(temp))
            }
        };
        let port = free_port()?;
        let (pg_database, database_url) = match engine {
            Engine::Sqlite => (None, String::new()),
            Engine::Postgres(admin) => {
                let name = format!("passage_bench_{}", uuid::Uuid::new_v4().simple());
                let db = Database::connect(admin).await?;
                db.execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
                db.close().await?;
                let mut url = url::Url::parse(admin)?;
                url.set_path(&format!("/{name}"));
                (Some(name), url.to_string())
            }
        };
        Ok(Self {
            dir,
            _temp: temp,
            port,
            engine: engine.clone(),
            pg_database,
            database_url,
            extra_toml: extra_toml.to_owned(),
            keys,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn base_url(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    /// The overlay on `config/default.toml`: loopback peers over plain http, no rate limits
    /// (the load comes from one address and one peer on purpose), quiet logs.
    fn toml(&self) -> String {
        format!(
            r#"
[instance]
domain = "localhost:{port}"
name = "bench"
[http]
bind = "127.0.0.1:{port}"
[storage]
data_dir = "{dir}"
[database]
url = "{url}"
[federation]
debug = true
allowed_private_networks = ["127.0.0.0/8"]
[limits]
inbox_per_domain_per_minute = 0
api_per_account_per_5_minutes = 0
api_per_ip_per_5_minutes = 0
login_per_account_per_5_minutes = 0
login_per_ip_per_5_minutes = 0
[accounts]
# Generated accounts get passwords nobody types: hashing them fast keeps set-up short.
password_memory_kib = 64
password_iterations = 1
[log]
level = "error"
{extra}
"#,
            port = self.port,
            dir = self.dir.display(),
            url = self.database_url,
            extra = self.extra_toml,
        )
    }

    pub fn config(&self) -> anyhow::Result<Config> {
        passage_server::config::from_toml(&self.toml()).map_err(anyhow::Error::msg)
    }

    /// A context on the server's database, to prepare data before the server starts (and
    /// to count what it stored after).
    pub async fn context(&self) -> anyhow::Result<Context> {
        Ok(passage_server::context(self.config()?, Some(self.keys.clone())).await?)
    }

    /// Starts `passage serve` on this setup and waits for its first answer.
    pub async fn start(&self, binary: &Path) -> anyhow::Result<Server> {
        let config_path = self.dir.join("bench.toml");
        std::fs::write(&config_path, self.toml())?;
        Server::start(binary, &config_path, &self.base_url(), &self.dir).await
    }

    /// Drops the PostgreSQL database of the run (the SQLite file goes with the directory).
    pub async fn remove(self) -> anyhow::Result<()> {
        if let (Engine::Postgres(admin), Some(name)) = (&self.engine, &self.pg_database) {
            let db = Database::connect(admin).await?;
            db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await?;
            db.close().await?;
        }
        Ok(())
    }
}

/// A port free now on loopback.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A running `passage` process.
pub struct Server {
    child: Child,
    pub pid: u32,
    /// From spawn to the first answered request (migrations included).
    pub ready_after: Duration,
}

impl Server {
    async fn start(
        binary: &Path,
        config: &Path,
        base_url: &str,
        dir: &Path,
    ) -> anyhow::Result<Self> {
        let log = std::fs::File::create(dir.join("server.log"))?;
        let started = Instant::now();
        let mut child = Command::new(binary)
            .arg("--config")
            .arg(config)
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot run {}", binary.display()))?;
        let pid = child.id().context("server exited at once")?;
        let http = reqwest::Client::new();
        let probe = format!("{base_url}/api/v1/instance");
        loop {
            if let Ok(response) = http.get(&probe).send().await
                && response.status().is_success()
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                bail!("server exited with {status}:\n{log}");
            }
            if started.elapsed() > Duration::from_secs(300) {
                bail!("server did not answer within 5 minutes");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(Self {
            child,
            pid,
            ready_after: started.elapsed(),
        })
    }

    /// Resident set size now.
    pub fn rss_kib(&self) -> u64 {
        status_kib(self.pid, "VmRSS:")
    }

    /// Largest resident set size since start or since [`Server::reset_peak`].
    pub fn peak_kib(&self) -> u64 {
        status_kib(self.pid, "VmHWM:")
    }

    /// Starts the peaks over: VmHWM (Linux: writing 5 to `clear_refs` resets it to VmRSS), and
    /// a sampler of the anonymous part, stopped and read by [`Peaks::report`].
    pub fn reset_peak(&self) -> Peaks {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5");
        let pid = self.pid;
        let anon = Arc::new(AtomicU64::new(0));
        let seen = anon.clone();
        let sampler = tokio::spawn(async move {
            loop {
                seen.fetch_max(status_kib(pid, "RssAnon:"), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        Peaks { anon, sampler }
    }

    /// CPU time the process has used, user and system, in seconds.
    pub fn cpu_secs(&self) -> f64 {
        // Fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s (USER_HZ is 100 on
        // every Linux this runs on). The command name (field 2) may hold spaces: skip past it.
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).unwrap_or_default();
        let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        // After the name, field 3 (state) is index 0, so utime (14) is 11 and stime (15) 12.
        (ticks(11) + ticks(12)) / 100.0
    }

    /// Graceful stop (SIGTERM), as an init system would; a kill if it hangs.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status();
        if tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .is_err()
        {
            self.child.kill().await?;
        }
        Ok(())
    }
}

/// A figure of `/proc/PID/status` (`VmRSS:`, `RssAnon:`...), in KiB.
fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Memory peaks during one load. The resident peak counts pages of the SQLite file mapped
/// for reading (`mmap_size`), which are the kernel's page cache, shared and given back under
/// pressure; the anonymous peak (heap, stacks, caches of the process itself) is what the
/// process really holds, so both are printed.
pub struct Peaks {
    anon: Arc<AtomicU64>,
    sampler: tokio::task::JoinHandle<()>,
}

impl Peaks {
    /// Prints both peaks under `what` ("during fan-out").
    pub fn report(self, server: &Server, what: &str) {
        self.sampler.abort();
        crate::report::line(
            &format!("server peak memory {what}"),
            crate::report::mib(self.anon.load(Ordering::Relaxed)),
            format!(
                "own (anonymous) memory; resident with mapped files {}",
                crate::report::mib(server.peak_kib())
            ),
        );
    }
}

/// The `passage` binary beside this one (`target/release/passage` for a release build).
pub fn default_binary() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("passage")))
        .unwrap_or_else(|| PathBuf::from("target/release/passage"))
}
