//! An S3-compatible store on loopback for the bucket media store: `s3s-fs` keeps objects as
//! files under a temporary folder and checks every request's SigV4 signature, so Passage
//! talks to it exactly as it would to MinIO or AWS.

use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto::Builder,
};
use passage_core::config::{Config, MediaStoreKind};
use s3s::{auth::SimpleAuth, service::S3ServiceBuilder};
use std::path::PathBuf;
use tokio::net::TcpListener;

pub const ACCESS_KEY: &str = "passage-test";
pub const SECRET_KEY: &str = "passage-test-secret";
pub const BUCKET: &str = "passage-media";

pub struct S3Server {
    pub endpoint: String,
    root: tempfile::TempDir,
    serving: tokio::task::JoinHandle<()>,
}

impl S3Server {
    /// Starts the store with one empty bucket.
    pub async fn start() -> Self {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join(BUCKET)).unwrap();
        let mut builder = S3ServiceBuilder::new(s3s_fs::FileSystem::new(root.path()).unwrap());
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        let service = builder.build();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let serving = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                let service = service.clone();
                tokio::spawn(async move {
                    let _ = Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        Self {
            endpoint,
            root,
            serving,
        }
    }

    /// Points an instance's configuration at this store, with the given secret.
    pub fn configure(&self, config: &mut Config, secret: &str) {
        config.media.store = MediaStoreKind::S3;
        config.media.s3.bucket = BUCKET.into();
        config.media.s3.endpoint = self.endpoint.clone();
        config.media.s3.access_key_id = ACCESS_KEY.into();
        config.media.s3.secret_access_key = secret.into();
    }

    /// Where the store keeps an object on disk.
    pub fn object_path(&self, name: &str) -> PathBuf {
        self.root.path().join(BUCKET).join(name)
    }

    /// The names of the objects in the bucket.
    pub fn objects(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root.path().join(BUCKET))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.serving.abort();
    }
}
