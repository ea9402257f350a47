//! Outgoing connections reach the public internet only (SSRF). A hostile server can make us
//! fetch any address it names: a key id, an actor, an inbox, a redirect, a WebFinger host.
//! If that address is this machine, its private network or a cloud metadata service, it must
//! be refused, whatever the name looks like:
//! - names are checked where they are resolved, in the HTTP client's resolver, and the
//!   client connects only to the addresses that passed, so a name that resolves differently
//!   the second time (DNS rebinding) gains nothing;
//! - addresses written in a URL (`http://127.0.0.1/`, `http://[::1]/`) never reach a
//!   resolver, so every outgoing URL is also checked as written ([`Guard::check_url`]);
//! - the client follows no redirects; the one redirect activitypub_federation follows is
//!   fetched again through the same client and checks.
//!
//! Refused are the special-purpose ranges of the IANA registries that lead somewhere
//! private, and the IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64,
//! 6to4), judged by the address they carry. Admins of private deployments allow their own
//! networks with `[federation] allowed_private_networks`.

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};
use url::{Host, Url};

/// Which addresses outgoing connections may reach.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    /// Private networks the admin allows anyway.
    allowed: Vec<IpNet>,
}

impl Guard {
    /// A guard allowing `networks` (CIDR, e.g. `10.0.0.0/8`) besides the public internet.
    pub fn new(networks: &[String]) -> Result<Self, String> {
        let allowed = networks
            .iter()
            .map(|n| {
                n.parse::<IpNet>()
                    .or_else(|_| n.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("allowed_private_networks: {n:?} is not a network"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { allowed })
    }

    /// Whether a connection to `ip` may be made.
    pub fn permits(&self, ip: IpAddr) -> bool {
        !special(ip) || self.allowed.iter().any(|n| n.contains(&ip))
    }

    /// Refuses a URL whose host is written as a refused address.
    pub fn check_url(&self, url: &Url) -> Result<(), String> {
        let ip = match url.host() {
            Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
            Some(Host::Domain(_)) => return Ok(()),
            None => return Err(format!("{url}: no host")),
        };
        if self.permits(ip) {
            Ok(())
        } else {
            Err(format!("{ip} is not a public address"))
        }
    }

    /// The resolver for HTTP clients: keeps only the addresses this guard permits.
    pub fn resolver(self: &Arc<Self>) -> GuardedResolver {
        GuardedResolver(self.clone())
    }
}

/// A DNS resolver that drops refused addresses, and fails when none is left.
#[derive(Clone)]
pub struct GuardedResolver(Arc<Guard>);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.0.clone();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| guard.permits(a.ip()))
                .collect();
            if kept.is_empty() {
                let why = format!("{} resolves to no public address", name.as_str());
                return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, why).into());
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

/// Whether an address is in a range that leads to this machine, a private network, or
/// nowhere public.
pub fn special(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

fn special_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    matches!(
        (a, b, c),
        (0, ..)                              // "this network"; 0.x reaches loopback on Linux
        | (10, ..)                           // private
        | (100, 64..=127, _)                 // shared address space (carrier NAT, cloud)
        | (127, ..)                          // loopback
        | (169, 254, _)                      // link local, cloud metadata services
        | (172, 16..=31, _)                  // private
        | (192, 0, 0)                        // IETF protocol assignments
        | (192, 0, 2)                        // documentation
        | (192, 88, 99)                      // 6to4 relay anycast
        | (192, 168, _)                      // private
        | (198, 18..=19, _)                  // benchmarking
        | (198, 51, 100)                     // documentation
        | (203, 0, 113)                      // documentation
        | (224..=255, ..) // multicast, reserved, broadcast
    )
}

fn special_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // Forms that carry an IPv4 address are judged by it: IPv4-mapped (::ffff:a.b.c.d) and
    // IPv4-compatible (::a.b.c.d, which also holds :: and ::1), NAT64 (64:ff9b::/96) and
    // 6to4 (2002:AABB:CCDD::/48).
    let embedded = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    match s {
        [0, 0, 0, 0, 0, 0, 0, 0 | 1] => true,
        [0, 0, 0, 0, 0, 0 | 0xffff, hi, lo] => special_v4(embedded(hi, lo)),
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => special_v4(embedded(hi, lo)),
        [0x2002, hi, lo, ..] => special_v4(embedded(hi, lo)),
        [first, second, ..] => {
            (first & 0xfe00) == 0xfc00              // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80       // link local fe80::/10
                || (first & 0xff00) == 0xff00       // multicast ff00::/8
                || (first == 0x64 && second == 0xff9b) // local-use NAT64 64:ff9b:1::/48
                || (first == 0x100 && s[1..4] == [0, 0, 0]) // discard 100::/64
                || (first == 0x2001 && second < 0x200) // IETF assignments 2001::/23 (Teredo)
                || (first == 0x2001 && second == 0xdb8) // documentation
                || (first == 0x3fff && second < 0x1000) // documentation 3fff::/20
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_private_form_is_refused() {
        let refused = [
            "127.0.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "10.1.2.3",
            "100.64.0.1",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "192.0.0.8",
            "192.0.2.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "192.88.99.1",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2002:c0a8:101::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "2001::1",
            "100::1",
            "3fff::1",
        ];
        let guard = Guard::default();
        for ip in refused {
            assert!(!guard.permits(ip.parse().unwrap()), "{ip} was permitted");
        }
    }

    #[test]
    fn public_addresses_and_allowed_networks_pass() {
        let guard = Guard::new(&["10.0.0.0/8".into(), "::1".into()]).unwrap();
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2a01:4f8::1",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "::ffff:8.8.8.8",
            "10.9.8.7",
            "::1",
        ] {
            assert!(guard.permits(ip.parse().unwrap()), "{ip} was refused");
        }
        assert!(Guard::new(&["not a network".into()]).is_err());
    }

    #[test]
    fn urls_naming_private_addresses_are_refused_as_written() {
        let guard = Guard::default();
        for url in [
            "http://127.0.0.1:8080/users/x",
            "http://[::1]/",
            "https://[::ffff:a9fe:a9fe]/",
            "http://0.0.0.0/",
        ] {
            assert!(guard.check_url(&Url::parse(url).unwrap()).is_err(), "{url}");
        }
        assert!(
            guard
                .check_url(&Url::parse("https://social.example/").unwrap())
                .is_ok()
        );
    }
}
