//! What every client API handler reaches: the instance's context, and federation for remote
//! lookups (search, follow by handle, mentions).

use activitypub_federation::config::FederationConfig;
use passage_core::Context;
use passage_federation::{Federation, FederationData};

#[derive(Clone)]
pub struct ApiState {
    pub ctx: Context,
    pub federation: FederationConfig<Federation>,
}

impl ApiState {
    pub fn data(&self) -> FederationData {
        self.federation.to_request_data()
    }
}
