//! The composition root: configuration loading, database start-up, the HTTP router of one
//! instance, its background delivery worker and its periodic chores. `passage` (src/main.rs) is a thin CLI over it;
//! the cross-instance tests start several [`Instance`]s in one process through the same code.

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
}

/// Opens the database (creating the SQLite file and its directory on first start) and runs
/// pending migrations.
pub async fn open_database(config: &Config) -> Result<passage_core::db::Db, StartError> {
    if config.database.url.is_empty() {
        std::fs::create_dir_all(&config.storage.data_dir)
            .map_err(|e| StartError::DataDir(config.storage.data_dir.clone(), e))?;
    }
    let db = passage_core::db::connect(&config.database_url(), config.database.max_connections)
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
    let keys = keys.unwrap_or_else(|| {
        Arc::new(RsaKeys {
            bits: config.federation.key_bits,
        })
    });
    Ok(Context::new(db, config, keys))
}

/// A running instance: its HTTP server and (unless delivery is manual) its delivery worker.
pub struct Instance {
    pub federation: Federation,
    fed_config: activitypub_federation_config::Config,
    pub addr: SocketAddr,
    shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Instance {
    /// Serves `ctx` on `listener` until [`Instance::stop`].
    pub async fn start(ctx: Context, listener: TcpListener) -> Result<Self, StartError> {
        let addr = listener.local_addr().map_err(StartError::Listen)?;
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
        let token = shutdown.clone();
        tasks.push(tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(token.cancelled_owned());
            if let Err(error) = serve.await {
                tracing::error!(%error, "http server stopped");
            }
        }));
        if ctx.config.delivery.mode == DeliveryMode::Background {
            tasks.push(delivery::spawn_background(
                federation.clone(),
                shutdown.clone(),
            ));
            tasks.push(spawn_chores(federation.clone(), shutdown.clone()));
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
        run_chores(&self.federation).await
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

/// The core's due work, then the shared lists due for fetching (which need HTTP).
async fn run_chores(federation: &Federation) -> Result<usize, passage_core::CoreError> {
    Ok(passage_core::chores::run_due(&federation.ctx).await?
        + passage_federation::subscriptions::refresh_due(federation).await?)
}

/// Runs [`run_chores`] every [`passage_core::chores::INTERVAL`] until shutdown. Errors are
/// logged and retried on the next round.
fn spawn_chores(federation: Federation, shutdown: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(passage_core::chores::INTERVAL);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                _ = tick.tick() => {}
            }
            if let Err(error) = run_chores(&federation).await {
                tracing::warn!(%error, "periodic work failed; trying again next round");
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
