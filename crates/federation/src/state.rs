use crate::guard::Guard;
use activitypub_federation::config::{Data, FederationConfig};
use passage_core::{Context, CoreResult, accounts, config::SignatureFormat};
use std::{ops::Deref, sync::Arc, time::Duration};

/// The per-instance federation state: the core [`Context`] plus an HTTP client for WebFinger
/// and deliveries. It is the `app_data` of this instance's `FederationConfig`.
#[derive(Clone)]
pub struct Federation {
    pub ctx: Context,
    /// For WebFinger, deliveries and shared lists; it resolves names through [`Self::guard`]
    /// and follows no redirects.
    pub http: reqwest::Client,
    /// Which addresses outgoing connections may reach.
    pub guard: Arc<Guard>,
    /// The signature format each server took last (see [`crate::delivery`]).
    pub signature_formats: Arc<SignatureFormats>,
}

/// The format that worked for each server, learnt when one answers 401 to the configured
/// format and takes the other. Kept in memory: after a restart one extra 401 re-learns it.
#[derive(Default)]
pub struct SignatureFormats(std::sync::Mutex<std::collections::HashMap<String, SignatureFormat>>);

impl SignatureFormats {
    pub fn get(&self, host: &str) -> Option<SignatureFormat> {
        self.0.lock().ok()?.get(host).copied()
    }

    pub fn remember(&self, host: &str, format: SignatureFormat) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(host.to_owned(), format);
        }
    }
}

/// Request data as activitypub_federation hands it to handlers and trait methods.
pub type FederationData = Data<Federation>;

impl Deref for Federation {
    type Target = Context;
    fn deref(&self) -> &Context {
        &self.ctx
    }
}

impl Federation {
    /// Builds the federation configuration of one instance. The instance actor signs fetches
    /// ([`crate::signed_fetch`]), so it is created here if it does not exist yet.
    pub async fn config(ctx: Context) -> CoreResult<FederationConfig<Federation>> {
        let timeout = Duration::from_secs(ctx.config.federation.request_timeout_secs);
        let guard = Arc::new(
            Guard::new(&ctx.config.federation.allowed_private_networks)
                .map_err(passage_core::CoreError::Invalid)?,
        );
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("Passage/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(guard.resolver())
            .build()
            .map_err(|e| passage_core::CoreError::Internal(format!("http client: {e}")))?;
        let instance_actor = accounts::instance_actor(&ctx).await?;
        let debug = ctx.config.federation.debug;
        let domain = ctx.domain().to_owned();
        let verifier = crate::verify::PolicyVerifier {
            ctx: ctx.clone(),
            guard: guard.clone(),
        };
        let signature_formats = Arc::<SignatureFormats>::default();
        // activitypub_federation's fetches go through the same guarded client, signed by the
        // instance actor on the way out (authorized fetch).
        let signer = crate::signed_fetch::SignedFetch {
            key: passage_core::keys::parse_private_pem(
                instance_actor
                    .private_key_pem
                    .as_deref()
                    .unwrap_or_default(),
            )
            .map_err(|e| passage_core::CoreError::Internal(format!("instance actor key: {e}")))?,
            key_id: crate::objects::actor::key_id(&instance_actor.ap_id),
            first: ctx.config.federation.sign_with,
            formats: signature_formats.clone(),
        };
        let client = reqwest_middleware::ClientBuilder::new(http.clone())
            .with(signer)
            .build();
        let state = Federation {
            ctx,
            http,
            guard,
            signature_formats,
        };
        FederationConfig::builder()
            .domain(domain)
            .app_data(state)
            .debug(debug)
            .allow_http_urls(debug)
            .request_timeout(timeout)
            .client(client)
            .http_fetch_limit(50)
            .url_verifier(Box::new(verifier))
            .build()
            .await
            .map_err(|e| passage_core::CoreError::Internal(format!("federation config: {e}")))
    }
}
