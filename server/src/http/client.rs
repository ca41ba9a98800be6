//! Who is asking, as far as the network lets us know: the address that
//! every per-client limit counts against. The peer's own address, unless
//! the peer is a proxy the administrator listed as trusted; then the
//! nearest address in `X-Forwarded-For` that no trusted proxy wrote.
//! Anyone can write that header, so it is never read otherwise.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use super::AppState;

/// One entry of `TRUSTED_PROXIES`: an address or a CIDR range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProxyRange(IpNet);

impl FromStr for ProxyRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        text.parse::<IpNet>()
            .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
            .map(Self)
            .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR range"))
    }
}

/// The proxies whose `X-Forwarded-For` entries are believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<[ProxyRange]>);

impl TrustedProxies {
    pub fn new(ranges: &[ProxyRange]) -> Self {
        Self(ranges.into())
    }

    fn trusts(&self, address: &IpAddr) -> bool {
        self.0.iter().any(|ProxyRange(range)| range.contains(address))
    }

    /// The client behind a connection from `peer` carrying `headers`.
    fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> ClientAddress {
        let Some(mut nearest) = peer.map(|ip| ip.to_canonical()) else {
            return ClientAddress(None);
        };
        // Each proxy appends the address it was reached from, so the hops
        // are read from the right; the first one that no trusted proxy
        // could have written is the client. A hop that cannot be read ends
        // the walk at the proxy that passed it on.
        let hops = headers.get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok());
        let mut hops: Vec<&str> = hops.flat_map(|value| value.split(',')).collect();
        while self.trusts(&nearest) {
            match hops.pop().and_then(forwarded_hop) {
                Some(hop) => nearest = hop.to_canonical(),
                None => break,
            }
        }
        ClientAddress(Some(nearest))
    }
}

/// A hop as proxies write it: a bare address, or with a port.
fn forwarded_hop(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    text.parse::<IpAddr>().ok().or_else(|| text.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

/// The address a request counts against. Unknown only when the router is
/// driven without a socket, as tests do; such requests share one count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddress(Option<IpAddr>);

impl fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(ip) => ip.fmt(f),
            None => f.write_str("unknown"),
        }
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(socket)| socket.ip());
        Ok(state.trusted_proxies.client(peer, &parts.headers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(trusted: &[&str], peer: &str, forwarded: &[&str]) -> String {
        let ranges: Vec<ProxyRange> = trusted.iter().map(|t| t.parse().unwrap()).collect();
        let mut headers = HeaderMap::new();
        for value in forwarded {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        TrustedProxies::new(&ranges).client(Some(peer.parse().unwrap()), &headers).to_string()
    }

    #[test]
    fn the_header_counts_only_when_a_trusted_proxy_sent_it() {
        assert_eq!(client(&[], "198.51.100.7", &["203.0.113.1"]), "198.51.100.7");
        assert_eq!(client(&["192.0.2.1"], "198.51.100.7", &["203.0.113.1"]), "198.51.100.7");
        assert_eq!(client(&["192.0.2.1"], "192.0.2.1", &["203.0.113.1"]), "203.0.113.1");
    }

    #[test]
    fn the_right_most_hop_no_trusted_proxy_wrote_is_the_client() {
        let trusted = ["192.0.2.0/24", "2001:db8::1"];
        // The client claimed to be 203.0.113.66; the first proxy saw 203.0.113.9.
        assert_eq!(client(&trusted, "2001:db8::1", &["203.0.113.66, 203.0.113.9, 192.0.2.5"]), "203.0.113.9");
        assert_eq!(client(&trusted, "192.0.2.1", &["203.0.113.66", "203.0.113.9:5123"]), "203.0.113.9");
        assert_eq!(client(&trusted, "::ffff:192.0.2.1", &["203.0.113.9"]), "203.0.113.9");
    }

    #[test]
    fn an_unreadable_or_missing_hop_leaves_the_last_proxy_as_the_client() {
        let trusted = ["192.0.2.0/24"];
        assert_eq!(client(&trusted, "192.0.2.1", &["203.0.113.9, nonsense, 192.0.2.5"]), "192.0.2.5");
        assert_eq!(client(&trusted, "192.0.2.1", &[]), "192.0.2.1");
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        assert!("10.1.2.3".parse::<ProxyRange>().is_ok());
        assert!("10.0.0.0/8".parse::<ProxyRange>().is_ok());
        assert!("fd00::/8".parse::<ProxyRange>().is_ok());
        assert!("proxy.example".parse::<ProxyRange>().is_err());
    }
}
