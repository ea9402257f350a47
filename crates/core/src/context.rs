use crate::{
    cluster::Cluster, config::Config, ids::Snowflakes, keys::KeySource, media::store::MediaStore,
    streaming::Hub, urls::Urls,
};
use passage_db::Db;
use std::sync::Arc;
use tokio::sync::Notify;

/// Everything one Passage instance owns: its database, configuration, key source and the
/// signal that wakes its delivery worker. Cheap to clone; several instances can live in one
/// process because nothing here is global.
#[derive(Clone)]
pub struct Context {
    pub db: Db,
    /// For reading pages of posts and accounts outside a transaction: a pool of its own on
    /// SQLite (see `passage_db::connect_reader`), `db` otherwise.
    pub reader: Db,
    pub config: Arc<Config>,
    pub urls: Urls,
    pub keys: Arc<dyn KeySource>,
    /// Notified whenever an outbound intent is committed, so a background worker sends it
    /// without waiting for its next poll.
    pub outbox_signal: Arc<Notify>,
    /// Post ids (see [`crate::ids`]).
    pub ids: Arc<Snowflakes>,
    /// Live events for streaming clients (see [`crate::streaming`]).
    pub stream: Hub,
    /// The current federation policy (see [`crate::moderation`]).
    pub policy: crate::moderation::PolicyCache,
    /// Rate limit counters (see [`crate::limits`]).
    pub limits: Arc<crate::limits::Limits>,
    /// Sibling processes serving the same instance (see [`crate::cluster`]).
    pub cluster: Cluster,
    /// Where uploads are kept; the directory under `storage.data_dir` unless the server
    /// configured a bucket (see [`crate::media::store`]).
    pub media: MediaStore,
}

impl Context {
    pub fn new(db: Db, config: Config, keys: Arc<dyn KeySource>) -> Self {
        let urls = Urls::new(&config.instance.domain, config.federation.debug);
        let limits = Arc::new(crate::limits::Limits::new(&config));
        let cluster = Cluster::default();
        let media =
            MediaStore::Directory(std::path::PathBuf::from(&config.storage.data_dir).join("media"));
        Self {
            reader: db.clone(),
            db,
            config: Arc::new(config),
            urls,
            keys,
            outbox_signal: Arc::new(Notify::new()),
            ids: Arc::new(Snowflakes::default()),
            stream: Hub::new(cluster.clone()),
            policy: Default::default(),
            limits,
            cluster,
            media,
        }
    }

    /// The instance's host name (with port in debug mode), as in actor ids and handles.
    pub fn domain(&self) -> &str {
        &self.config.instance.domain
    }
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("domain", &self.domain())
            .finish()
    }
}
