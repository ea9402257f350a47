//! The federation policy as one pure function: given what the admins decided (blocks, allows,
//! the mode) and a host, what may happen with that host. Everything that talks to other
//! servers asks it: the URL verifier (every fetch and inbox), the delivery worker (every
//! send) and the use cases (timelines, media). It holds no database handle, so it is cheap to
//! ask and easy to test; [`super::policy`] keeps the current one per instance.
//!
//! Rules, after Mastodon and GoToSocial:
//! - a rule on a domain covers its subdomains, and the most specific rule wins;
//! - in open mode every host federates unless blocked, and an explicit allow overrides a block
//!   (a bad blocklist import cannot cut off a partner);
//! - in allow-list mode only allowed hosts federate, and a block beats an allow;
//! - expired rules are ignored;
//! - this instance is never refused.

use crate::config::FederationMode;
use passage_db::{Timestamp, queries::posts::DomainFilter};
use std::collections::HashMap;

/// How hard a domain is blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// No federation at all: nothing in, nothing out, follows severed.
    Suspend,
    /// Federates, but its posts stay off public timelines (Mastodon's "silence").
    Limit,
    /// Federates, but unsolicited posts and mentions wait for a moderator.
    Probation,
    /// Only the flags apply (Mastodon's "noop").
    None,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suspend => "suspend",
            Self::Limit => "limit",
            Self::Probation => "probation",
            Self::None => "none",
        }
    }

    /// Reads ours and Mastodon's names (`silence` is a limit, `noop` is none).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "suspend" => Some(Self::Suspend),
            "limit" | "silence" => Some(Self::Limit),
            "probation" => Some(Self::Probation),
            "none" | "noop" => Some(Self::None),
            _ => None,
        }
    }

    /// Mastodon's name, for the admin API and CSV export.
    pub fn mastodon(self) -> &'static str {
        match self {
            Self::Suspend => "suspend",
            Self::Limit => "silence",
            Self::Probation | Self::None => "noop",
        }
    }
}

/// What a block decides beyond its severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub reject_media: bool,
    pub reject_reports: bool,
    pub media_sensitive: bool,
    pub strip_avatars: bool,
    pub followers_only: bool,
}

/// One block as the policy needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub severity: Severity,
    pub flags: Flags,
    pub expires_at: Option<Timestamp>,
}

/// What the policy says about one host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// False: no request to it, none accepted from it.
    pub federates: bool,
    pub limited: bool,
    pub probation: bool,
    pub flags: Flags,
}

impl Verdict {
    const OPEN: Self = Self {
        federates: true,
        limited: false,
        probation: false,
        flags: Flags {
            reject_media: false,
            reject_reports: false,
            media_sensitive: false,
            strip_avatars: false,
            followers_only: false,
        },
    };
    const REFUSED: Self = Self {
        federates: false,
        ..Self::OPEN
    };
}

/// The admins' decisions, as of when it was built.
#[derive(Clone, Debug)]
pub struct Policy {
    pub mode: FederationMode,
    /// This instance's host: never refused.
    pub local: String,
    pub blocks: HashMap<String, Rule>,
    /// Allowed domains (allow-list mode; in open mode, exceptions to blocks).
    pub allows: Vec<String>,
}

impl Policy {
    /// Nothing decided yet.
    pub fn open(mode: FederationMode, local: &str) -> Self {
        Self {
            mode,
            local: normalise(local),
            blocks: HashMap::new(),
            allows: Vec::new(),
        }
    }

    /// What may happen with `host` (a host name, with a port in development) at `now`.
    pub fn decide(&self, host: &str, now: Timestamp) -> Verdict {
        let host = normalise(host);
        if host == self.local {
            return Verdict::OPEN;
        }
        let candidates = candidates(&host);
        let allowed = candidates.iter().any(|c| self.allows.contains(c));
        let block = candidates.iter().find_map(|c| {
            self.blocks
                .get(c)
                .filter(|r| r.expires_at.is_none_or(|at| at > now))
        });
        match self.mode {
            FederationMode::Open if allowed => Verdict::OPEN,
            FederationMode::Allowlist if !allowed => Verdict::REFUSED,
            _ => block.map_or(Verdict::OPEN, verdict_of),
        }
    }
}

impl Policy {
    /// The remote authors public timelines leave out at `now`: limited and suspended domains
    /// (unless an allow overrides them in open mode), and in allow-list mode every domain not
    /// allowed.
    pub fn off_public_timelines(&self, now: Timestamp) -> DomainFilter {
        let hide = self
            .blocks
            .iter()
            .filter(|(_, r)| matches!(r.severity, Severity::Suspend | Severity::Limit))
            .filter(|(_, r)| r.expires_at.is_none_or(|at| at > now))
            .map(|(d, _)| d.clone())
            .collect();
        match self.mode {
            FederationMode::Open => DomainFilter {
                hide,
                keep: self.allows.clone(),
                only: None,
            },
            FederationMode::Allowlist => DomainFilter {
                hide,
                keep: Vec::new(),
                only: Some(self.allows.clone()),
            },
        }
    }
}

fn verdict_of(rule: &Rule) -> Verdict {
    Verdict {
        federates: rule.severity != Severity::Suspend,
        limited: rule.severity == Severity::Limit,
        probation: rule.severity == Severity::Probation,
        flags: rule.flags,
    }
}

/// A domain as rules name it: lowercase, without a trailing dot.
pub fn normalise(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The names a rule may be written under, most specific first: the host with its port
/// (development instances share `localhost`), the host, then each parent domain.
fn candidates(host: &str) -> Vec<String> {
    let mut out = vec![host.to_owned()];
    let bare = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    let mut rest = bare;
    loop {
        if !out.iter().any(|c| c == rest) {
            out.push(rest.to_owned());
        }
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(severity: Severity) -> Rule {
        Rule {
            severity,
            flags: Flags::default(),
            expires_at: None,
        }
    }

    fn policy(mode: FederationMode) -> Policy {
        let mut p = Policy::open(mode, "passage.example");
        p.blocks
            .insert("spam.example".into(), rule(Severity::Suspend));
        p.blocks
            .insert("ok.spam.example".into(), rule(Severity::Limit));
        p.blocks
            .insert("localhost:4001".into(), rule(Severity::Suspend));
        p
    }

    #[test]
    fn the_most_specific_rule_wins_and_covers_subdomains() {
        let p = policy(FederationMode::Open);
        let now = passage_db::now();
        assert!(!p.decide("spam.example", now).federates);
        assert!(!p.decide("a.b.spam.example", now).federates);
        assert!(!p.decide("SPAM.example.", now).federates);
        let limited = p.decide("x.ok.spam.example", now);
        assert!(limited.federates && limited.limited);
        assert_eq!(p.decide("notspam.example", now), Verdict::OPEN);
        assert!(!p.decide("localhost:4001", now).federates);
        assert!(p.decide("localhost:4002", now).federates);
        assert_eq!(p.decide("passage.example", now), Verdict::OPEN);
    }

    #[test]
    fn an_allow_overrides_a_block_in_open_mode_and_not_in_allowlist_mode() {
        let now = passage_db::now();
        let mut open = policy(FederationMode::Open);
        open.allows.push("spam.example".into());
        assert_eq!(open.decide("spam.example", now), Verdict::OPEN);

        let mut listed = policy(FederationMode::Allowlist);
        assert!(!listed.decide("partner.example", now).federates);
        assert!(
            listed.decide("passage.example", now).federates,
            "never refuses itself"
        );
        listed.allows.push("partner.example".into());
        listed.allows.push("spam.example".into());
        assert!(listed.decide("city.partner.example", now).federates);
        assert!(!listed.decide("spam.example", now).federates);
    }

    #[test]
    fn expired_rules_no_longer_apply() {
        let now = passage_db::now();
        let mut p = Policy::open(FederationMode::Open, "passage.example");
        p.blocks.insert(
            "old.example".into(),
            Rule {
                expires_at: Some(now - chrono::Duration::hours(1)),
                ..rule(Severity::Suspend)
            },
        );
        assert!(p.decide("old.example", now).federates);
    }

    #[test]
    fn severities_read_mastodon_names() {
        assert_eq!(Severity::parse("silence"), Some(Severity::Limit));
        assert_eq!(Severity::parse("noop"), Some(Severity::None));
        assert_eq!(Severity::parse("Suspend"), Some(Severity::Suspend));
        assert_eq!(Severity::parse("ban"), None);
        assert_eq!(Severity::Probation.mastodon(), "noop");
    }
}
