//! Rate limits, so that one server, one account or one address cannot take an instance's
//! small machine for itself: activities arriving per sending domain, client API calls per
//! account, calls without a token per client address (behind trusted proxies, the address
//! they forward), and login attempts per account and per address (password guessing).
//! A caller over its limit is told how long to wait (`429` with `Retry-After`); senders and
//! apps retry then. Each instance keeps its own counters (no global state).

use crate::config::Config;
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};
use std::{net::IpAddr, num::NonZeroU32, time::Duration};

/// The counters of one instance.
pub struct Limits {
    inbox: Option<DefaultKeyedRateLimiter<String>>,
    /// Inbox posts whose signature did not hold, per client address. A forger spends these
    /// (never the allowance of the server it names), and once they are spent its address is
    /// refused before any key is fetched or any signature checked, until `forgers` says.
    inbox_failures: Option<DefaultKeyedRateLimiter<IpAddr>>,
    forgers: std::sync::Mutex<std::collections::HashMap<IpAddr, std::time::Instant>>,
    api: Option<DefaultKeyedRateLimiter<i64>>,
    anonymous: Option<DefaultKeyedRateLimiter<IpAddr>>,
    login_account: Option<DefaultKeyedRateLimiter<String>>,
    login_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Proxies whose `X-Forwarded-For` is believed.
    trusted_proxies: Vec<IpAddr>,
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits").finish_non_exhaustive()
    }
}

/// `n` events per `period`, refilled evenly; none when `n` is 0 (no limit).
fn quota(n: u32, period: Duration) -> Option<Quota> {
    let n = NonZeroU32::new(n)?;
    Quota::with_period(period / n.get()).map(|q| q.allow_burst(n))
}

impl Limits {
    pub fn new(config: &Config) -> Self {
        let limits = &config.limits;
        let five_minutes = Duration::from_secs(300);
        Self {
            inbox: quota(limits.inbox_per_domain_per_minute, Duration::from_secs(60))
                .map(RateLimiter::keyed),
            inbox_failures: quota(limits.inbox_per_domain_per_minute, Duration::from_secs(60))
                .map(RateLimiter::keyed),
            forgers: Default::default(),
            api: quota(limits.api_per_account_per_5_minutes, five_minutes).map(RateLimiter::keyed),
            anonymous: quota(limits.api_per_ip_per_5_minutes, five_minutes).map(RateLimiter::keyed),
            login_account: quota(limits.login_per_account_per_5_minutes, five_minutes)
                .map(RateLimiter::keyed),
            login_ip: quota(limits.login_per_ip_per_5_minutes, five_minutes).map(RateLimiter::keyed),
            trusted_proxies: config
                .http
                .trusted_proxies
                .iter()
                .filter_map(|p| {
                    let parsed = p.parse().ok();
                    if parsed.is_none() {
                        tracing::warn!(proxy = %p, "http.trusted_proxies: not an IP address; ignored");
                    }
                    parsed
                })
                .collect(),
        }
    }

    /// One call without a token from the connection's `peer`, which forwarded
    /// `forwarded_for` (`X-Forwarded-For`); Err with the seconds to wait.
    pub fn anonymous(&self, peer: IpAddr, forwarded_for: Option<&str>) -> Result<(), u64> {
        let client = client_address(peer, forwarded_for, &self.trusted_proxies);
        check(self.anonymous.as_ref(), &client)
    }

    /// One login attempt on the account `key` (its id, or the name typed when it is none).
    pub fn login_account(&self, login: &str) -> Result<(), u64> {
        check(self.login_account.as_ref(), &login.trim().to_lowercase())
    }

    /// One login form posted from the connection's `peer` (see [`Self::anonymous`]).
    pub fn login_address(&self, peer: IpAddr, forwarded_for: Option<&str>) -> Result<(), u64> {
        let client = client_address(peer, forwarded_for, &self.trusted_proxies);
        check(self.login_ip.as_ref(), &client)
    }

    /// Whether an inbox post from the connection's `peer` may be looked at: Err with the
    /// seconds to wait while its address has failed too many signatures.
    pub fn inbox_address(&self, peer: IpAddr, forwarded_for: Option<&str>) -> Result<(), u64> {
        let client = client_address(peer, forwarded_for, &self.trusted_proxies);
        let now = std::time::Instant::now();
        match self
            .forgers
            .lock()
            .ok()
            .and_then(|f| f.get(&client).copied())
        {
            Some(until) if until > now => Err((until - now).as_secs() + 1),
            _ => Ok(()),
        }
    }

    /// An inbox post from `peer` whose signature did not hold. Err with the seconds to wait
    /// when that spent the address's allowance (it is refused until then).
    pub fn inbox_failed(&self, peer: IpAddr, forwarded_for: Option<&str>) -> Result<(), u64> {
        let client = client_address(peer, forwarded_for, &self.trusted_proxies);
        let spent = check(self.inbox_failures.as_ref(), &client);
        if let (Err(wait), Ok(mut forgers)) = (spent, self.forgers.lock()) {
            let until = std::time::Instant::now() + Duration::from_secs(wait);
            forgers.insert(client, until);
        }
        spent
    }

    /// One verified activity from `domain`; Err with the seconds to wait when over the limit.
    pub fn inbox(&self, domain: &str) -> Result<(), u64> {
        check(self.inbox.as_ref(), &domain.to_owned())
    }

    /// One client API call by the account `actor_id`; Err with the seconds to wait.
    pub fn api(&self, actor_id: i64) -> Result<(), u64> {
        check(self.api.as_ref(), &actor_id)
    }

    /// Forgets the counters of callers that have been quiet (run with the chores), so the
    /// memory they take follows the callers of the last minutes, not of all time.
    pub fn forget_quiet(&self) {
        if let Some(l) = &self.inbox {
            l.retain_recent();
        }
        if let Some(l) = &self.inbox_failures {
            l.retain_recent();
        }
        if let Ok(mut forgers) = self.forgers.lock() {
            let now = std::time::Instant::now();
            forgers.retain(|_, until| *until > now);
        }
        if let Some(l) = &self.api {
            l.retain_recent();
        }
        if let Some(l) = &self.anonymous {
            l.retain_recent();
        }
        if let Some(l) = &self.login_account {
            l.retain_recent();
        }
        if let Some(l) = &self.login_ip {
            l.retain_recent();
        }
    }
}

/// The client's address: the connection's, or, when that is a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not one (addresses further left are the client's
/// own claims and may be forged).
pub fn client_address(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops = forwarded_for
        .unwrap_or_default()
        .split(',')
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok());
    hops.rev()
        .find(|hop| !trusted.contains(hop))
        .unwrap_or(peer)
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: Option<&DefaultKeyedRateLimiter<K>>,
    key: &K,
) -> Result<(), u64> {
    let Some(limiter) = limiter else {
        return Ok(());
    };
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        wait.as_secs() + 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_address_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let forged = Some("198.51.100.1, 203.0.113.7");
        assert_eq!(client_address(proxy, forged, &[proxy]), client);
        // Not a trusted proxy: its header is ignored.
        assert_eq!(
            client_address(client, Some("198.51.100.1"), &[proxy]),
            client
        );
        // A trusted proxy with no header: the proxy is all we know.
        assert_eq!(client_address(proxy, None, &[proxy]), proxy);
    }

    #[test]
    fn a_caller_over_its_limit_is_told_to_wait_and_others_are_not() {
        let mut config = Config::default();
        config.limits.inbox_per_domain_per_minute = 3;
        config.limits.api_per_account_per_5_minutes = 0;
        let limits = Limits::new(&config);
        for _ in 0..3 {
            assert!(limits.inbox("busy.example").is_ok());
        }
        let wait = limits.inbox("busy.example").unwrap_err();
        assert!((1..=21).contains(&wait), "{wait}");
        assert!(limits.inbox("quiet.example").is_ok());
        // 0 means no limit.
        for _ in 0..1000 {
            assert!(limits.api(7).is_ok());
        }
    }
}
