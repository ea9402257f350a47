//! Where uploaded files live: a directory beside the database (the default, one machine, in
//! `passage backup`) or a bucket of any S3-compatible store (several `passage` processes on
//! several machines, or a disk too small for the media). Files are named once, by a random
//! stem and the extension of what they were checked to be, and never change.

use crate::{CoreError, config::Config, config::MediaStoreKind, error::CoreResult, urls::Urls};
use object_store::{
    Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload,
    aws::AmazonS3Builder, path::Path as Key,
};
use std::{path::PathBuf, sync::Arc};

#[derive(Clone, Debug)]
pub enum MediaStore {
    /// Files under a directory, served by Passage with range requests (`/media/NAME`).
    Directory(PathBuf),
    Bucket(Bucket),
}

#[derive(Clone, Debug)]
pub struct Bucket {
    store: Arc<dyn ObjectStore>,
    /// Where the bucket is readable by anyone, without a trailing slash; Passage serves the
    /// files itself when there is none.
    public_url: Option<String>,
}

/// A file as read back from the store.
pub struct StoredFile {
    pub bytes: bytes::Bytes,
    pub content_type: Option<String>,
}

impl MediaStore {
    /// The store the configuration names; an S3 bucket without a name is an error at start.
    pub fn from_config(config: &Config) -> Result<Self, String> {
        match config.media.store {
            MediaStoreKind::Directory => Ok(Self::Directory(
                PathBuf::from(&config.storage.data_dir).join("media"),
            )),
            MediaStoreKind::S3 => {
                let s3 = &config.media.s3;
                if s3.bucket.is_empty() {
                    return Err("media.store is \"s3\" but media.s3.bucket is empty".into());
                }
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_access_key_id(&s3.access_key_id)
                    .with_secret_access_key(&s3.secret_access_key);
                if !s3.endpoint.is_empty() {
                    // Self-hosted stores (MinIO, Garage) are addressed by path, often on plain
                    // http inside a private network.
                    builder = builder
                        .with_endpoint(&s3.endpoint)
                        .with_allow_http(s3.endpoint.starts_with("http://"));
                }
                let store = builder.build().map_err(|e| format!("media.s3: {e}"))?;
                let public_url =
                    Some(s3.public_url.trim_end_matches('/').to_owned()).filter(|u| !u.is_empty());
                Ok(Self::Bucket(Bucket {
                    store: Arc::new(store),
                    public_url,
                }))
            }
        }
    }

    /// The directory files are kept in, when they are kept in one.
    pub fn directory(&self) -> Option<&std::path::Path> {
        match self {
            Self::Directory(dir) => Some(dir),
            Self::Bucket(_) => None,
        }
    }

    /// The address a stored file is read at.
    pub fn url(&self, urls: &Urls, name: &str) -> String {
        match self {
            Self::Bucket(Bucket {
                public_url: Some(public),
                ..
            }) => format!("{public}/{name}"),
            _ => format!("{}/media/{name}", urls.base()),
        }
    }

    /// Stores a new file under `name`.
    pub async fn put(&self, name: &str, bytes: Vec<u8>, content_type: &str) -> CoreResult<()> {
        let key = key(name)?;
        match self {
            Self::Directory(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| CoreError::Internal(format!("creating {}: {e}", dir.display())))?;
                let path = dir.join(key.as_ref());
                tokio::fs::write(&path, bytes)
                    .await
                    .map_err(|e| CoreError::Internal(format!("writing {}: {e}", path.display())))
            }
            Self::Bucket(bucket) => {
                // Stored with its type, so a public bucket serves it as what it was checked to be.
                let mut attributes = Attributes::new();
                attributes.insert(Attribute::ContentType, content_type.to_owned().into());
                let options = PutOptions {
                    attributes,
                    ..Default::default()
                };
                bucket
                    .store
                    .put_opts(&key, PutPayload::from(bytes), options)
                    .await
                    .map_err(|e| CoreError::Internal(format!("storing {name}: {e}")))?;
                Ok(())
            }
        }
    }

    /// Reads a stored file; `None` when there is no such file.
    pub async fn get(&self, name: &str) -> CoreResult<Option<StoredFile>> {
        let Ok(key) = key(name) else {
            return Ok(None);
        };
        match self {
            Self::Directory(dir) => match tokio::fs::read(dir.join(key.as_ref())).await {
                Ok(bytes) => Ok(Some(StoredFile {
                    bytes: bytes.into(),
                    content_type: None,
                })),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(CoreError::Internal(format!("reading {name}: {e}"))),
            },
            Self::Bucket(bucket) => match bucket.store.get(&key).await {
                Ok(found) => {
                    let content_type = found
                        .attributes
                        .get(&Attribute::ContentType)
                        .map(|v| v.to_string());
                    let bytes = found
                        .bytes()
                        .await
                        .map_err(|e| CoreError::Internal(format!("reading {name}: {e}")))?;
                    Ok(Some(StoredFile {
                        bytes,
                        content_type,
                    }))
                }
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(CoreError::Internal(format!("reading {name}: {e}"))),
            },
        }
    }

    /// Removes a file no longer used. A file that stays behind wastes space but harms no
    /// one, so a failure is logged, not returned.
    pub async fn delete(&self, name: &str) {
        let Ok(key) = key(name) else { return };
        let result = match self {
            Self::Directory(dir) => tokio::fs::remove_file(dir.join(key.as_ref()))
                .await
                .map_err(|e| e.to_string()),
            Self::Bucket(bucket) => bucket.store.delete(&key).await.map_err(|e| e.to_string()),
        };
        if let Err(e) = result {
            tracing::warn!(file = name, error = %e, "could not remove a media file");
        }
    }
}

/// The key of a file: one path segment of the characters our names are made of, so a name
/// from a request can never reach outside the store's folder or bucket.
fn key(name: &str) -> CoreResult<Key> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-');
    if !plain {
        return Err(CoreError::NotFound);
    }
    Ok(Key::from(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_leave_the_folder_are_not_keys() {
        for bad in ["", "../passage.db", "a/b.png", ".hidden", "a\\b", "%2e%2e"] {
            assert!(key(bad).is_err(), "{bad}");
        }
        assert_eq!(
            key("0b8e1c_small.jpg").unwrap().as_ref(),
            "0b8e1c_small.jpg"
        );
    }

    #[test]
    fn a_bucket_is_named_by_its_public_address_when_it_has_one() {
        let mut config = Config::default();
        config.media.store = MediaStoreKind::S3;
        assert!(
            MediaStore::from_config(&config).is_err(),
            "a bucket needs a name"
        );
        config.media.s3.bucket = "media".into();
        config.media.s3.endpoint = "http://127.0.0.1:9000".into();
        let urls = Urls::new("example.org", false);
        let served = MediaStore::from_config(&config).unwrap();
        assert_eq!(
            served.url(&urls, "a.png"),
            "https://example.org/media/a.png"
        );
        config.media.s3.public_url = "https://cdn.example.org/media/".into();
        let public = MediaStore::from_config(&config).unwrap();
        assert_eq!(
            public.url(&urls, "a.png"),
            "https://cdn.example.org/media/a.png"
        );
        assert!(public.directory().is_none());
    }

    #[tokio::test]
    async fn a_directory_store_keeps_reads_and_removes_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::Directory(dir.path().join("media"));
        store
            .put("a.png", b"png".to_vec(), "image/png")
            .await
            .unwrap();
        let read = store.get("a.png").await.unwrap().unwrap();
        assert_eq!(&read.bytes[..], b"png");
        store.delete("a.png").await;
        assert!(store.get("a.png").await.unwrap().is_none());
        assert_eq!(
            store.url(&Urls::new("example.org", false), "a.png"),
            "https://example.org/media/a.png"
        );
    }
}
