//! Cross-site request forgery: every state-changing form carries the session's synchronizer
//! token (a hidden field, never in a URL), and the browser's own account of where the request
//! came from (`Sec-Fetch-Site`, else `Origin`) must say this site. SameSite=Lax on the session
//! cookie is a third layer, not relied on; nothing changes state on GET.

use http::HeaderMap;

/// Why a form was refused: always a 403, with nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Forgery {
    #[error("the request came from another site")]
    CrossSite,
    #[error("the form's anti-forgery token is missing or wrong")]
    BadToken,
}

/// Checks a form post: same origin as `origin` (`http://host:port`, no trailing slash) by the
/// browser's headers when it sends them, and `submitted` equal to the session's token.
pub(crate) fn check(
    headers: &HeaderMap,
    origin: &str,
    expected: &str,
    submitted: &str,
) -> Result<(), Forgery> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match header("sec-fetch-site") {
        Some("same-origin") | None => {}
        Some(other) => {
            tracing::debug!(sec_fetch_site = other, origin = ?header("origin"), "cross-site form");
            return Err(Forgery::CrossSite);
        }
    }
    if let Some(sent) = header("origin")
        && sent.trim_end_matches('/') != origin.trim_end_matches('/')
    {
        tracing::debug!(origin = sent, expected = origin, "form from another origin");
        return Err(Forgery::CrossSite);
    }
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), submitted.as_bytes()) {
        return Err(Forgery::BadToken);
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    const SITE: &str = "http://127.0.0.1:8087";

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn a_same_origin_form_with_the_token_passes() {
        let same = headers(&[("sec-fetch-site", "same-origin"), ("origin", SITE)]);
        assert_eq!(check(&same, SITE, "tok", "tok"), Ok(()));
        // Clients that send neither header are judged by the token alone.
        assert_eq!(check(&HeaderMap::new(), SITE, "tok", "tok"), Ok(()));
    }

    #[test]
    fn other_origins_and_wrong_tokens_are_refused() {
        let cross = headers(&[("sec-fetch-site", "cross-site")]);
        assert_eq!(check(&cross, SITE, "tok", "tok"), Err(Forgery::CrossSite));
        let same_site = headers(&[("sec-fetch-site", "same-site")]);
        assert_eq!(check(&same_site, SITE, "tok", "tok"), Err(Forgery::CrossSite));
        let evil = headers(&[("origin", "https://evil.example")]);
        assert_eq!(check(&evil, SITE, "tok", "tok"), Err(Forgery::CrossSite));
        let null = headers(&[("origin", "null")]);
        assert_eq!(check(&null, SITE, "tok", "tok"), Err(Forgery::CrossSite));
        assert_eq!(
            check(&HeaderMap::new(), SITE, "tok", "tak"),
            Err(Forgery::BadToken)
        );
        assert_eq!(check(&HeaderMap::new(), SITE, "tok", ""), Err(Forgery::BadToken));
        assert_eq!(check(&HeaderMap::new(), SITE, "", ""), Err(Forgery::BadToken));
    }
}
