//! Everything ActivityPub: wire types, actor and object documents, one file per activity,
//! HTTP routes (actors, inboxes, collections, WebFinger, NodeInfo), HTTP signatures, remote
//! lookup and the durable delivery queue.
//!
//! This is the only crate that knows ActivityPub JSON. It turns incoming activities into calls
//! of `core` use cases, and `core`'s outbound intents into signed deliveries.

// The JSON-LD context is one large `json!` literal.
#![recursion_limit = "256"]

pub mod activities;
pub mod archive;
pub mod delivery;
pub mod directory;
pub mod error;
pub mod fetch;
pub mod guard;
pub mod held;
pub mod imports;
pub mod objects;
pub mod org_moves;
pub mod protocol;
pub mod relays;
pub mod resolve;
pub mod routes;
pub mod shutdown;
pub mod signatures;
mod signed_fetch;
mod state;
pub mod subscriptions;
mod verify;

pub use error::FederationError;
pub use state::{Federation, FederationData};

#[cfg(test)]
mod tests_support {
    /// Third-party captures kept in the repository (`crates/federation/assets`, licences in
    /// its README), so the tests read nothing from outside the clone.
    pub fn fixtures_dir() -> String {
        concat!(env!("CARGO_MANIFEST_DIR"), "/assets").to_owned()
    }
}
