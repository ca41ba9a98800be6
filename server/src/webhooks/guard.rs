//! Where webhooks may go: only to public addresses, unless an administrator
//! has allowed a host in configuration. The check sits in the resolver the
//! HTTP client connects through, so the address checked is the address
//! connected to (a name that resolves differently the second time cannot
//! slip past), and a URL naming an address outright is checked before it
//! is sent.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use ipnet::{Ipv4Net, Ipv6Net};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// The hosts an administrator allowed though they are not public (a
/// receiver inside the company's network, or on this machine in tests).
#[derive(Clone, Debug, Default)]
pub struct Destinations {
    allowed: Arc<HashSet<String>>,
}

impl Destinations {
    pub fn allowing(hosts: &[String]) -> Self {
        let allowed = hosts.iter().map(|host| host.trim().trim_matches(['[', ']']).to_lowercase());
        Self { allowed: Arc::new(allowed.filter(|host| !host.is_empty()).collect()) }
    }

    pub fn allows_host(&self, host: &str) -> bool {
        self.allowed.contains(&host.trim_matches(['[', ']']).to_lowercase())
    }

    /// Why the portal will not send to `host`, when it will not.
    pub fn refusal(&self, host: &str) -> Option<String> {
        let bare = host.trim_matches(['[', ']']);
        match bare.parse::<IpAddr>() {
            Ok(ip) if !is_public(ip) && !self.allows_host(bare) => Some(format!(
                "{bare} is a private, loopback or link-local address; the portal sends webhooks there only to hosts \
                 allowed in WEBHOOK_ALLOWED_HOSTS"
            )),
            _ => None,
        }
    }
}

/// Resolves names as the system does and keeps only the public addresses,
/// or every address of an allowed host.
pub struct GuardedResolver {
    pub destinations: Destinations,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let destinations = self.destinations.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed = destinations.allows_host(&host);
            let usable: Vec<SocketAddr> = found.into_iter().filter(|addr| allowed || is_public(addr.ip())).collect();
            if usable.is_empty() {
                return Err(format!(
                    "{host} resolves only to private, loopback or link-local addresses, which webhooks may not reach"
                )
                .into());
            }
            Ok(Box::new(usable.into_iter()) as Addrs)
        })
    }
}

/// Whether `ip` is on the public internet: not loopback, private,
/// link-local, shared (carrier NAT), multicast, documentation or reserved.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => public_v4(ip),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(mapped) => public_v4(mapped),
            None => public_v6(ip),
        },
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    const BLOCKED: [(Ipv4Addr, u8); 15] = [
        (Ipv4Addr::new(0, 0, 0, 0), 8),
        (Ipv4Addr::new(10, 0, 0, 0), 8),
        (Ipv4Addr::new(100, 64, 0, 0), 10),
        (Ipv4Addr::new(127, 0, 0, 0), 8),
        (Ipv4Addr::new(169, 254, 0, 0), 16),
        (Ipv4Addr::new(172, 16, 0, 0), 12),
        (Ipv4Addr::new(192, 0, 0, 0), 24),
        (Ipv4Addr::new(192, 0, 2, 0), 24),
        (Ipv4Addr::new(192, 88, 99, 0), 24),
        (Ipv4Addr::new(192, 168, 0, 0), 16),
        (Ipv4Addr::new(198, 18, 0, 0), 15),
        (Ipv4Addr::new(198, 51, 100, 0), 24),
        (Ipv4Addr::new(203, 0, 113, 0), 24),
        (Ipv4Addr::new(224, 0, 0, 0), 4),
        (Ipv4Addr::new(240, 0, 0, 0), 4),
    ];
    !BLOCKED.iter().any(|&(net, len)| Ipv4Net::new(net, len).is_ok_and(|net| net.contains(&ip)))
}

fn public_v6(ip: Ipv6Addr) -> bool {
    const BLOCKED: [(Ipv6Addr, u8); 8] = [
        (Ipv6Addr::UNSPECIFIED, 128),
        (Ipv6Addr::LOCALHOST, 128),
        (Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96),
        (Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0), 64),
        (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32),
        (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7),
        (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10),
        (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8),
    ];
    !BLOCKED.iter().any(|&(net, len)| Ipv6Net::new(net, len).is_ok_and(|net| net.contains(&ip)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_and_link_local_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.20.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(private.parse().expect("an address")), "{private}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"] {
            assert!(is_public(public.parse().expect("an address")), "{public}");
        }
    }

    #[test]
    fn an_allowed_host_is_the_only_private_one_reachable() {
        let destinations = Destinations::allowing(&["127.0.0.1".to_owned(), "Receiver.Internal".to_owned()]);
        assert_eq!(destinations.refusal("127.0.0.1"), None);
        assert!(destinations.refusal("10.0.0.8").is_some());
        assert!(destinations.refusal("[::1]").is_some());
        assert!(destinations.allows_host("receiver.internal"));
        assert_eq!(destinations.refusal("hooks.example.com"), None, "names are checked when they resolve");
    }
}
