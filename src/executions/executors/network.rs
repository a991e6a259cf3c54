//! Which addresses automation may reach. Loopback, private, link-local
//! (cloud metadata at 169.254.169.254), shared (CGNAT), unique-local,
//! unspecified and the other special-purpose ranges of IPv4 and IPv6
//! (IPv4-mapped and embedded forms included) are refused unless the
//! executors file opts in, with `allowPrivateNetworks: true` or a CIDR list
//! in `allowNetworks`. The check runs on the addresses a name resolves to,
//! in the HTTP client's own resolver, so what is connected to is what was
//! checked (a name that resolves to loopback, or re-resolves to it later,
//! is refused); literal addresses in a URL, which the client connects to
//! without resolving, are checked by [`NetworkPolicy::check_host`].

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// The addresses beyond the public internet one executor (or the built-in
/// `http` executor) may reach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkPolicy {
    /// Every address, private ones included.
    pub allow_private: bool,
    /// These networks, whatever their kind.
    pub networks: Vec<IpNet>,
}

/// A refused address, told apart from other connection errors so the
/// attempt is not retried.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AddressRefused(pub String);

impl NetworkPolicy {
    /// The union of two policies (the file's and an executor's own).
    pub fn with(&self, other: &NetworkPolicy) -> NetworkPolicy {
        NetworkPolicy {
            allow_private: self.allow_private || other.allow_private,
            networks: self
                .networks
                .iter()
                .chain(&other.networks)
                .cloned()
                .collect(),
        }
    }

    /// Whether automation may connect to `ip`; if not, why.
    pub fn check(&self, ip: IpAddr) -> Result<(), String> {
        let ip = ip.to_canonical();
        let Some(kind) = special_kind(ip) else {
            return Ok(());
        };
        if self.allow_private || self.networks.iter().any(|n| n.contains(&ip)) {
            return Ok(());
        }
        Err(format!(
            "{ip} is not a public address ({kind}); automation may not reach it unless the \
             executors file allows it (allowPrivateNetworks or allowNetworks)"
        ))
    }

    /// Checks a URL's host when it is a literal address (names are checked
    /// when they resolve).
    pub fn check_host(&self, url: &url::Url) -> Result<(), String> {
        match url.host() {
            Some(url::Host::Ipv4(ip)) => self.check(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => self.check(IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => Ok(()),
            None => Err("the URL has no host".into()),
        }
    }

    /// A resolver for an HTTP client that only hands out addresses this
    /// policy allows.
    pub fn resolver(&self) -> Arc<GuardedResolver> {
        Arc::new(GuardedResolver {
            policy: self.clone(),
        })
    }
}

/// Resolves names with the system resolver and drops the addresses the
/// policy refuses; a name left with none fails with [`AddressRefused`].
#[derive(Debug)]
pub struct GuardedResolver {
    policy: NetworkPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let resolved = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let mut allowed: Vec<SocketAddr> = Vec::new();
            let mut refusal = None;
            for address in resolved {
                match policy.check(address.ip()) {
                    Ok(()) => allowed.push(address),
                    Err(why) => refusal = Some(why),
                }
            }
            match refusal {
                Some(why) if allowed.is_empty() => Err(Box::new(AddressRefused(format!(
                    "{host} resolves only to addresses automation may not reach: {why}"
                ))) as _),
                _ => Ok(Box::new(allowed.into_iter()) as Addrs),
            }
        })
    }
}

/// Parses a network of `allowNetworks`: CIDR (`10.0.0.0/8`, `fd00::/8`) or
/// a single address.
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text} is not a network (CIDR such as 10.0.0.0/8) or an address"))
}

/// The kind of a non-public address; None for a public one.
fn special_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => v4_kind(ip),
        IpAddr::V6(ip) => v6_kind(ip),
    }
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        (0, ..) => Some("unspecified"),
        (10, ..) | (172, 16..=31, _) | (192, 168, _) => Some("private"),
        (100, 64..=127, _) => Some("shared (CGNAT)"),
        (127, ..) => Some("loopback"),
        (169, 254, _) => Some("link-local (cloud metadata)"),
        (192, 0, 0) => Some("protocol-assignment"),
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Some("documentation"),
        (198, 18..=19, _) => Some("benchmarking"),
        (224..=239, ..) => Some("multicast"),
        (240..=255, ..) => Some("reserved"),
        _ => None,
    }
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        v4_kind(Ipv4Addr::new(a, b, c, d))
    };
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    match s {
        // IPv4-compatible (deprecated): ::a.b.c.d
        [0, 0, 0, 0, 0, 0, _, _] => Some("IPv4-compatible"),
        // NAT64: the IPv4 address it stands for decides.
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => embedded(hi, lo),
        [0x64, 0xff9b, 1, ..] => Some("local NAT64"),
        [0x100, 0, 0, 0, ..] => Some("discard-only"),
        [0x2001, 0, ..] => Some("Teredo"),
        [0x2001, 0xdb8, ..] => Some("documentation"),
        // 6to4: the embedded IPv4 address decides.
        [0x2002, hi, lo, ..] => embedded(hi, lo),
        [x, ..] if x & 0xfe00 == 0xfc00 => Some("unique-local"),
        [x, ..] if x & 0xffc0 == 0xfe80 => Some("link-local"),
        [x, ..] if x & 0xffc0 == 0xfec0 => Some("site-local"),
        [x, ..] if x & 0xff00 == 0xff00 => Some("multicast"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> bool {
        let ip: IpAddr = text.parse().expect("an address");
        NetworkPolicy::default().check(ip).is_err()
    }

    #[test]
    fn special_addresses_are_refused_and_public_ones_pass() {
        for text in [
            "127.0.0.1",
            "127.8.9.10",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "169.254.169.254",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
        ] {
            assert!(refused(text), "{text} should be refused");
        }
        for text in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(!refused(text), "{text} should pass");
        }
    }

    #[test]
    fn an_opt_in_allows_its_networks_only() {
        let policy = NetworkPolicy {
            allow_private: false,
            networks: vec![parse_network("10.0.0.0/8").expect("cidr")],
        };
        assert!(policy.check("10.9.9.9".parse().expect("ip")).is_ok());
        assert!(policy.check("::ffff:10.9.9.9".parse().expect("ip")).is_ok());
        assert!(policy.check("127.0.0.1".parse().expect("ip")).is_err());
        let why = policy
            .check("169.254.169.254".parse().expect("ip"))
            .unwrap_err();
        assert!(why.contains("link-local"), "{why}");
        let all = NetworkPolicy {
            allow_private: true,
            networks: Vec::new(),
        };
        assert!(all.check("::1".parse().expect("ip")).is_ok());
        assert_eq!(
            parse_network("127.0.0.1").expect("address"),
            parse_network("127.0.0.1/32").expect("cidr")
        );
        assert!(parse_network("10.0.0.0/33").is_err());
        assert!(parse_network("intranet").is_err());
    }
}
