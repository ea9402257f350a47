//! Rate limits, so that one server or one account cannot take an instance's small machine
//! for itself: activities arriving per sending domain, and client API calls per account.
//! A caller over its limit is told how long to wait (`429` with `Retry-After`); senders and
//! apps retry then. Each instance keeps its own counters (no global state).

use crate::config::LimitsConfig;
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};
use std::{num::NonZeroU32, time::Duration};

/// The counters of one instance.
pub struct Limits {
    inbox: Option<DefaultKeyedRateLimiter<String>>,
    api: Option<DefaultKeyedRateLimiter<i64>>,
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
    pub fn new(config: &LimitsConfig) -> Self {
        Self {
            inbox: quota(config.inbox_per_domain_per_minute, Duration::from_secs(60))
                .map(RateLimiter::keyed),
            api: quota(
                config.api_per_account_per_5_minutes,
                Duration::from_secs(300),
            )
            .map(RateLimiter::keyed),
        }
    }

    /// One activity from `domain`; Err with the seconds to wait when over the limit.
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
        if let Some(l) = &self.api {
            l.retain_recent();
        }
    }
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
    fn a_caller_over_its_limit_is_told_to_wait_and_others_are_not() {
        let limits = Limits::new(&LimitsConfig {
            inbox_per_domain_per_minute: 3,
            api_per_account_per_5_minutes: 0,
        });
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
