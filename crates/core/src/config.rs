//! Configuration types. Defaults live in `config/default.toml` (embedded); loading and layering
//! (file, `PASSAGE_*` variables) live in the `server` crate. Every section rejects unknown keys,
//! so a typo is an error that names the key instead of a silently ignored setting.

use serde::{Deserialize, Serialize};

/// The defaults as shipped, every key documented.
pub const DEFAULT_TOML: &str = include_str!("../../../config/default.toml");

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub instance: InstanceConfig,
    pub http: HttpConfig,
    pub storage: StorageConfig,
    pub database: DatabaseConfig,
    pub federation: FederationConfig,
    pub delivery: DeliveryConfig,
    pub accounts: AccountsConfig,
    pub media: MediaConfig,
    pub limits: LimitsConfig,
    pub log: LogConfig,
}

/// Rate limits (see `crate::limits`); 0 turns one off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    pub inbox_per_domain_per_minute: u32,
    pub api_per_account_per_5_minutes: u32,
    /// Client API calls without a token, per client address.
    pub api_per_ip_per_5_minutes: u32,
    /// Login attempts per account (by the name or address typed), whichever way in.
    pub login_per_account_per_5_minutes: u32,
    /// Login form posts per client address.
    pub login_per_ip_per_5_minutes: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            inbox_per_domain_per_minute: 1200,
            api_per_account_per_5_minutes: 300,
            api_per_ip_per_5_minutes: 300,
            login_per_account_per_5_minutes: 10,
            login_per_ip_per_5_minutes: 100,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InstanceConfig {
    pub domain: String,
    pub name: String,
    pub description: String,
    pub languages: Vec<String>,
    pub registrations: Registrations,
    /// The instance's rules, in order; reports name them by number (from 1). Add new rules at
    /// the end, so the numbers of earlier reports keep pointing at the same rule.
    pub rules: Vec<String>,
}

impl Default for InstanceConfig {
    fn default() -> Self {
        Self {
            domain: "localhost:8080".into(),
            name: "Passage".into(),
            description: "A Passage instance of the peer exchange network.".into(),
            languages: vec!["en".into()],
            registrations: Registrations::Invite,
            rules: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Registrations {
    Closed,
    Invite,
    Approval,
    Open,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    pub bind: String,
    pub max_body_bytes: usize,
    pub trusted_proxies: Vec<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            max_body_bytes: 1024 * 1024,
            trusted_proxies: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    pub data_dir: String,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            data_dir: "./data".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    pub url: String,
    pub max_connections: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            max_connections: 10,
        }
    }
}

impl Config {
    /// The database to open: `database.url`, or the SQLite file under `storage.data_dir`.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            let path = std::path::Path::new(&self.storage.data_dir).join("passage.db");
            format!("sqlite://{}?mode=rwc", path.display())
        } else {
            self.database.url.clone()
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FederationMode {
    Open,
    Allowlist,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationConfig {
    pub debug: bool,
    pub mode: FederationMode,
    pub request_timeout_secs: u64,
    pub max_fetch_bytes: usize,
    pub signature_max_age_secs: u64,
    /// Signature formats accepted on incoming requests.
    pub accept_signatures: Vec<SignatureFormat>,
    /// The format a delivery is signed with first; the other is tried once on a 401 and the
    /// one that worked is remembered for that server.
    pub sign_with: SignatureFormat,
    /// A signature that fails with the stored key re-fetches the signer once (the key may have
    /// been rotated), but no more often than this for one actor: a hostile sender cannot make
    /// us fetch on every request.
    pub key_refresh_secs: u64,
    pub key_bits: u32,
    /// Who may read this instance's domain blocks with their public reasons.
    pub public_blocklist: PublicBlocklist,
    /// Private networks (CIDR) outgoing connections may reach anyway; all others that are
    /// not public are refused (SSRF).
    pub allowed_private_networks: Vec<String>,
    /// Publish the servers this instance recognises as its network (its allowed domains) at
    /// `/api/passage/v1/network/peers`, for the network directory of every instance.
    pub publish_peers: bool,
    /// How many hops the network directory follows peers' own lists (1: our peers only).
    pub directory_depth: u32,
    /// The most servers the network directory visits.
    pub directory_max_servers: usize,
}

/// The two ways of signing HTTP requests in the fediverse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignatureFormat {
    /// draft-cavage-http-signatures (`Signature: keyId=…`), what every server speaks.
    #[serde(rename = "cavage")]
    Cavage,
    /// RFC 9421 HTTP Message Signatures (`Signature-Input`), Mastodon 4.5 and Fedify.
    #[serde(rename = "rfc9421")]
    Rfc9421,
}

impl SignatureFormat {
    pub fn other(self) -> Self {
        match self {
            Self::Cavage => Self::Rfc9421,
            Self::Rfc9421 => Self::Cavage,
        }
    }
}

/// Who sees the list of moderated servers (Mastodon's "show domain blocks").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PublicBlocklist {
    /// Nobody: lists of blocks feed block-announcing bots, and partners may be named in it.
    Off,
    /// Logged-in members.
    Members,
    /// Anyone.
    All,
}

impl Default for FederationConfig {
    fn default() -> Self {
        Self {
            debug: false,
            mode: FederationMode::Open,
            request_timeout_secs: 10,
            max_fetch_bytes: 1024 * 1024,
            signature_max_age_secs: 3600,
            accept_signatures: vec![SignatureFormat::Cavage, SignatureFormat::Rfc9421],
            sign_with: SignatureFormat::Cavage,
            key_refresh_secs: 600,
            key_bits: 2048,
            public_blocklist: PublicBlocklist::Off,
            allowed_private_networks: Vec::new(),
            publish_peers: true,
            directory_depth: 2,
            directory_max_servers: 200,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryMode {
    Background,
    Manual,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    pub mode: DeliveryMode,
    pub workers: usize,
    pub retry_initial_secs: u64,
    pub backoff_factor: f64,
    pub give_up_after_secs: u64,
    pub unreachable_after_failures: i32,
    pub poll_interval_ms: u64,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            mode: DeliveryMode::Background,
            workers: 4,
            retry_initial_secs: 60,
            backoff_factor: 2.5,
            give_up_after_secs: 172_800,
            unreachable_after_failures: 12,
            poll_interval_ms: 1000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    pub password_memory_kib: u32,
    pub password_iterations: u32,
    pub password_grant: bool,
    /// Sign-ups accepted in any 24 hours (0: no limit); a spam wave stops there.
    pub registrations_per_day: u32,
    /// Sign-ups that may wait for approval at once (0: no limit).
    pub max_pending_registrations: u32,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        Self {
            password_memory_kib: 19_456,
            password_iterations: 2,
            password_grant: true,
            registrations_per_day: 10,
            max_pending_registrations: 20,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    pub max_bytes: usize,
    pub max_pixels: u64,
    /// The ffmpeg and ffprobe programs for audio and video (empty: not accepted).
    pub ffmpeg: String,
    pub ffprobe: String,
    pub store: MediaStoreKind,
    pub s3: S3Config,
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            max_bytes: 10_485_760,
            max_pixels: 33_177_600,
            ffmpeg: "ffmpeg".into(),
            ffprobe: "ffprobe".into(),
            store: MediaStoreKind::Directory,
            s3: S3Config::default(),
        }
    }
}

/// Where uploaded files are kept (see `crate::media::store`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaStoreKind {
    /// `storage.data_dir/media`, served by Passage.
    Directory,
    /// A bucket of any S3-compatible store.
    S3,
}

/// An S3-compatible bucket (AWS, MinIO, Garage, Scaleway, OVH...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    pub bucket: String,
    pub region: String,
    /// Empty for AWS itself; the store's address otherwise.
    pub endpoint: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Where the bucket's files can be read publicly (a CDN or the bucket's own web address);
    /// empty: Passage serves `/media/...` from the bucket itself.
    pub public_url: String,
}

impl Default for S3Config {
    fn default() -> Self {
        Self {
            bucket: String::new(),
            region: "us-east-1".into(),
            endpoint: String::new(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
            public_url: String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub level: String,
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: LogFormat::Text,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_toml_is_config_default() {
        let parsed: Config = toml::from_str(DEFAULT_TOML).expect("default.toml parses");
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = toml::from_str::<Config>("[http]\nbindd = \"x\"").unwrap_err();
        assert!(err.to_string().contains("bindd"), "{err}");
    }
}
