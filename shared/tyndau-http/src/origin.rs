//! Where a request came from, as much as the audit trail and abuse controls need and no more:
//! the client's network (IPv4 /24, IPv6 /48), never the full address. That is enough to
//! invalidate a fraud wave by network and to rate-limit, without keeping a citizen's address
//! in the permanent record.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use http::request::Parts;

/// The client's address: the TCP peer, or, when the deployment says the peer is its own proxy
/// (`trust_forwarded_for`, or the peer is one of `trusted_proxies`), the last address that proxy
/// appended to `X-Forwarded-For`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientOrigin {
    pub addr: Option<IpAddr>,
}

/// Whose `X-Forwarded-For` the service believes; set by the middleware from the settings.
#[derive(Clone, Debug, Default)]
pub struct TrustForwardedFor {
    /// Every peer is the service's own reverse proxy.
    pub any: bool,
    /// These peers forward for others (e.g. the web front calling the command API).
    pub proxies: std::sync::Arc<[IpAddr]>,
}

impl TrustForwardedFor {
    pub fn everyone() -> Self {
        Self {
            any: true,
            proxies: std::sync::Arc::new([]),
        }
    }

    fn trusts(&self, peer: Option<IpAddr>) -> bool {
        self.any || peer.is_some_and(|peer| self.proxies.contains(&peer))
    }
}

impl ClientOrigin {
    pub fn of(parts: &Parts) -> Self {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        let trust = parts
            .extensions
            .get::<TrustForwardedFor>()
            .is_some_and(|t| t.trusts(peer));
        let forwarded = trust
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        Self {
            addr: forwarded.or(peer),
        }
    }

    /// The network, as `203.0.113.0/24` or `2001:db8:1::/48`.
    pub fn network(&self) -> Option<String> {
        self.addr.map(network_of)
    }
}

pub fn network_of(addr: IpAddr) -> String {
    match addr {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => network_of(IpAddr::V4(v4)),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
            }
        },
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientOrigin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_keep_only_the_prefix() {
        assert_eq!(network_of("203.0.113.77".parse().unwrap()), "203.0.113.0/24");
        assert_eq!(network_of("2001:db8:1:2::5".parse().unwrap()), "2001:db8:1::/48");
        assert_eq!(network_of("::ffff:10.1.2.3".parse().unwrap()), "10.1.2.0/24");
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let request = || {
            let mut request = http::Request::builder()
                .header("x-forwarded-for", "198.51.100.9, 192.0.2.44")
                .body(())
                .unwrap();
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 4000))));
            request
        };
        let (parts, ()) = request().into_parts();
        assert_eq!(ClientOrigin::of(&parts).network().as_deref(), Some("10.0.0.0/24"));
        let mut trusted = request();
        trusted.extensions_mut().insert(TrustForwardedFor::everyone());
        let (parts, ()) = trusted.into_parts();
        assert_eq!(
            ClientOrigin::of(&parts).network().as_deref(),
            Some("192.0.2.0/24")
        );
        // A listed proxy is believed; any other peer is not.
        let listed = |proxy: [u8; 4]| {
            let mut request = request();
            request.extensions_mut().insert(TrustForwardedFor {
                any: false,
                proxies: std::sync::Arc::new([IpAddr::from(proxy)]),
            });
            let (parts, ()) = request.into_parts();
            ClientOrigin::of(&parts).network()
        };
        assert_eq!(listed([10, 0, 0, 1]).as_deref(), Some("192.0.2.0/24"));
        assert_eq!(listed([10, 0, 0, 2]).as_deref(), Some("10.0.0.0/24"));
    }
}
