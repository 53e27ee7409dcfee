//! Works out the client's address once per request, for audit events and rate limits.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;

use app::state::ClientIp;

/// Notes the client's address on the request, for what runs after; `trust_proxy` believes
/// the reverse proxy's X-Forwarded-For.
pub fn note_client_ip(request: &mut Request, trust_proxy: bool) {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let ip = client_ip(peer, request.headers(), trust_proxy);
    let text = ip
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".to_string());
    request.extensions_mut().insert(ClientIp(text));
}

/// The peer address, or behind a trusted proxy the last (proxy-appended) X-Forwarded-For
/// entry; the earlier entries are whatever the client chose to send.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trust_proxy: bool) -> Option<IpAddr> {
    if trust_proxy {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|part| part.trim().parse::<IpAddr>().ok())
            .next_back();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", xff.parse().expect("header"));
        headers
    }

    #[test]
    fn the_peer_address_is_used_unless_a_proxy_is_trusted() {
        let peer = Some("10.0.0.5".parse().expect("ip"));
        assert_eq!(client_ip(peer, &headers("203.0.113.9"), false), peer);
    }

    #[test]
    fn behind_a_trusted_proxy_the_last_forwarded_entry_counts() {
        let peer = Some("10.0.0.5".parse().expect("ip"));
        let ip = client_ip(peer, &headers("1.1.1.1, 203.0.113.9"), true);
        assert_eq!(ip, Some("203.0.113.9".parse().expect("ip")));
    }

    #[test]
    fn garbage_in_the_header_falls_back_to_the_peer() {
        let peer = Some("10.0.0.5".parse().expect("ip"));
        assert_eq!(client_ip(peer, &headers("not-an-ip"), true), peer);
    }
}
