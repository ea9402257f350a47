//! The composition root: configuration loading, database start-up, the HTTP router of one
//! instance, its background delivery worker and its periodic chores. `passage` (src/main.rs) is a thin CLI over it;
//! the cross-instance tests start several [`Instance`]s in one process through the same code.

pub mod cluster;
pub mod config;

use passage_core::{
    Context,
    config::{Config, DeliveryMode},
    keys::{KeySource, RsaKeys},
};
use passage_federation::{Federation, delivery};
use passage_migrations::{Migrator, MigratorTrait};
use std::{net::SocketAddr, sync::Arc};
use tokio::{net::TcpListener, task::JoinHandle};
use tokio_util::sync::CancellationToken;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("cannot open the database: {0}")]
    Database(String),
    #[error("cannot migrate the database: {0}")]
    Migrate(String),
    #[error("cannot set up federation: {0}")]
    Federation(String),
    #[error("cannot listen: {0}")]
    Listen(std::io::Error),
    #[error("{0}")]
    Role(&'static str),
    #[error("cannot use the media store: {0}")]
    Media(String),
}

/// Opens the database (creating the SQLite file and its directory on first start) and runs
/// pending migrations.
pub async fn open_database(config: &Config) -> Result<passage_db::Db, StartError> {
    if config.database.url.is_empty() {
        std::fs::create_dir_all(&config.storage.data_dir)
            .map_err(|e| StartError::DataDir(config.storage.data_dir.clone(), e))?;
    }
    let db = passage_db::connect(&config.database_url(), config.database.max_connections)
        .await
        .map_err(|e| StartError::Database(e.to_string()))?;
    Migrator::up(&db, None)
        .await
        .map_err(|e| StartError::Migrate(e.to_string()))?;
    Ok(db)
}

/// Builds the per-instance context from a configuration (keys from `keys`, or fresh RSA keys).
pub async fn context(
    config: Config,
    keys: Option<Arc<dyn KeySource>>,
) -> Result<Context, StartError> {
    let db = open_database(&config).await?;
    let reader =
        passage_db::connect_reader(&config.database_url(), &db, config.database.max_connections)
            .await
            .map_err(|e| StartError::Database(e.to_string()))?;
    let keys = keys.unwrap_or_else(|| {
        Arc::new(RsaKeys {
            bits: config.federation.key_bits,
        })
    });
    let media =
        passage_core::media::store::MediaStore::from_config(&config).map_err(StartError::Media)?;
    let mut ctx = Context::new(db, config, keys);
    ctx.reader = reader;
    ctx.media = media;
    Ok(ctx)
}

/// What one process does for its instance. One process does everything; on PostgreSQL,
/// several may share the work: web nodes behind a load balancer and delivery workers, in any
/// number (workers claim deliveries `FOR UPDATE SKIP LOCKED`; live events and wake-ups travel
/// between processes by `LISTEN/NOTIFY`, see [`cluster`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// HTTP, delivery and periodic work.
    All,
    /// HTTP only: the client API, the inbox, pages and streaming.
    Web,
    /// Delivery and periodic work only; no HTTP.
    Worker,
}

impl Role {
    fn serves_http(self) -> bool {
        self != Role::Worker
    }

    fn works(self) -> bool {
        self != Role::Web
    }
}

/// A running instance: its HTTP server and (unless delivery is manual) its delivery worker.
pub struct Instance {
    pub federation: Federation,
    fed_config: activitypub_federation_config::Config,
    /// Where it serves HTTP (not for a worker).
    pub addr: Option<SocketAddr>,
    shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Instance {
    /// Serves `ctx` on `listener` until [`Instance::stop`], doing all the work.
    pub async fn start(ctx: Context, listener: TcpListener) -> Result<Self, StartError> {
        Self::start_as(ctx, Some(listener), Role::All).await
    }

    /// Starts the part of the work `role` names; `listener` is needed unless it is
    /// [`Role::Worker`]. Splitting the work needs PostgreSQL: a SQLite database has one
    /// process.
    pub async fn start_as(
        ctx: Context,
        listener: Option<TcpListener>,
        role: Role,
    ) -> Result<Self, StartError> {
        if role != Role::All && ctx.db.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Err(StartError::Role(
                "splitting the work between processes needs PostgreSQL (database.url)",
            ));
        }
        let listener = match (listener, role.serves_http()) {
            (Some(listener), true) => Some(listener),
            (None, true) => return Err(StartError::Role("a web process needs an address")),
            (_, false) => None,
        };
        let addr = listener
            .as_ref()
            .map(|l| l.local_addr().map_err(StartError::Listen))
            .transpose()?;
        let fed_config = Federation::config(ctx.clone())
            .await
            .map_err(|e| StartError::Federation(e.to_string()))?;
        let federation = fed_config.to_request_data().app_data().clone();
        let app = router(&ctx, fed_config.clone());
        // Each request knows the address it came from (rate limits per client address).
        let app = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
            SocketAddr,
        >(app);
        let shutdown = CancellationToken::new();
        let mut tasks = Vec::new();
        if let Some(listener) = listener {
            let token = shutdown.clone();
            tasks.push(tokio::spawn(async move {
                let serve =
                    axum::serve(listener, app).with_graceful_shutdown(token.cancelled_owned());
                if let Err(error) = serve.await {
                    tracing::error!(%error, "http server stopped");
                }
            }));
        }
        tasks.extend(cluster::spawn(&ctx, shutdown.clone()).await);
        if role.works() && ctx.config.delivery.mode == DeliveryMode::Background {
            tasks.push(delivery::spawn_background(
                federation.clone(),
                shutdown.clone(),
            ));
            tasks.push(spawn_chores(fed_config.clone(), shutdown.clone()));
            tasks.push(spawn_directory(fed_config.clone(), shutdown.clone()));
        }
        Ok(Self {
            federation,
            fed_config,
            addr,
            shutdown,
            tasks,
        })
    }

    /// Request data for calling federation functions (lookups) outside a request.
    pub fn federation_data(&self) -> passage_federation::FederationData {
        self.fed_config.to_request_data()
    }

    pub fn context(&self) -> &Context {
        &self.federation.ctx
    }

    /// Sends everything queued until the queue is quiet (manual delivery mode, tests).
    pub async fn deliver_all(
        &self,
    ) -> Result<delivery::DeliveryStats, passage_federation::FederationError> {
        delivery::deliver_all(&self.federation).await
    }

    /// Runs the work that is due now (polls that ended, lists to fetch), as the background
    /// loop would.
    pub async fn run_chores(&self) -> Result<usize, passage_core::CoreError> {
        run_chores(&self.fed_config).await
    }

    /// Graceful stop: finishes requests in flight, stops the worker.
    pub async fn stop(self) {
        self.federation.ctx.stream.close();
        self.shutdown.cancel();
        for task in self.tasks {
            let _ = task.await;
        }
    }

    /// Abrupt stop, as a crash would: tasks are aborted where they are.
    pub async fn kill(self) {
        self.federation.ctx.stream.close();
        for task in &self.tasks {
            task.abort();
        }
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// The core's due work, then the shared lists due for fetching and imports a stopped
/// process left unfinished (which need HTTP).
async fn run_chores(
    fed_config: &activitypub_federation_config::Config,
) -> Result<usize, passage_core::CoreError> {
    let data = fed_config.to_request_data();
    let imports = passage_federation::imports::resume_abandoned(fed_config)
        .await
        .map_err(|e| passage_core::CoreError::Internal(e.to_string()))?;
    Ok(passage_core::chores::run_due(&data.ctx).await?
        + passage_federation::subscriptions::refresh_due(&data).await?
        + imports)
}

/// Runs [`run_chores`] every [`passage_core::chores::INTERVAL`] until shutdown, in one process
/// of a cluster at a time ([`cluster::ChoresLock`]). Errors are logged and retried on the next
/// round.
fn spawn_chores(
    fed_config: activitypub_federation_config::Config,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(passage_core::chores::INTERVAL);
        let mut lock = cluster::ChoresLock::new(&fed_config.to_request_data().ctx);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                _ = tick.tick() => {}
            }
            if !lock.held().await {
                continue;
            }
            if let Err(error) = run_chores(&fed_config).await {
                tracing::warn!(%error, "periodic work failed; trying again next round");
            }
        }
    })
}

/// Rebuilds the network directory when it is old, apart from the periodic chores: visiting
/// up to two hundred servers, some slow, must not hold up polls that end or scheduled posts.
fn spawn_directory(
    fed_config: activitypub_federation_config::Config,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                _ = tick.tick() => {}
            }
            let data = fed_config.to_request_data();
            if let Err(error) = passage_federation::directory::refresh_due(&data).await {
                tracing::warn!(%error, "the network directory was not rebuilt; trying later");
            }
        }
    })
}

/// A change made to a request before it is routed.
type Rewrite = fn(axum::extract::Request) -> axum::extract::Request;

/// The whole HTTP application of an instance.
pub type App =
    tower_http::normalize_path::NormalizePath<tower::util::MapRequest<axum::Router, Rewrite>>;

/// All routes of one instance, behind the layers every request passes: trailing slashes
/// trimmed and content negotiated *before* routing (Mastodon.py asks for
/// `/api/v1/instance/`, toot for `/oauth/authorize/`, browsers for the page of an event at
/// its ActivityPub address; a `Router::layer` would run after routing and change nothing),
/// CORS for browser clients (with `Link` exposed, for pagination), and the body size limit.
pub fn router(ctx: &Context, fed_config: activitypub_federation_config::Config) -> App {
    use tower::Layer;
    use tower_http::cors::{Any, CorsLayer};
    let limit = ctx.config.http.max_body_bytes;
    let api = passage_client_api::ApiState {
        ctx: ctx.clone(),
        federation: fed_config.clone(),
    };
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any)
        .expose_headers(Any);
    // The client API limits its own bodies (uploads may be larger than other requests).
    let app = axum::Router::new()
        .merge(passage_federation::routes::router(fed_config))
        .merge(passage_web::router(ctx.clone()))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .merge(passage_client_api::router(api))
        .layer(cors);
    let app = tower::util::MapRequestLayer::new(passage_web::negotiate as Rewrite).layer(app);
    tower_http::normalize_path::NormalizePathLayer::trim_trailing_slash().layer(app)
}

/// The federation configuration type, named once here.
mod activitypub_federation_config {
    pub type Config =
        activitypub_federation::config::FederationConfig<passage_federation::Federation>;
}
