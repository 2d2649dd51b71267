//! One-click unsubscribe links (RFC 8058): a signed, expiring statement "stop this for this
//! person", carried in an email's `List-Unsubscribe` URL. HMAC-SHA256 under a secret the
//! notifier (which signs) and the command API (which verifies) share; each link has an id that
//! is recorded when used, so a link works once.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The audience every link is issued for: an access token is never accepted as a link.
const AUDIENCE: &str = "tyndau-unsubscribe";
/// Shortest secret accepted, in bytes.
pub const MIN_LINK_SECRET_BYTES: usize = 32;

/// What a link stops.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkClaims {
    /// The person (their pseudonym).
    pub sub: String,
    /// The subscription (`petition:<id>`, `comment:<id>`, …), or `*` for all email.
    pub scope: String,
    /// The link's id: used once.
    pub jti: String,
    /// Expiry (Unix seconds).
    pub exp: i64,
    aud: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LinkError {
    #[error("the link is not one of ours, or it was altered")]
    Invalid,
    #[error("the link has expired")]
    Expired,
}

#[derive(Debug, thiserror::Error)]
#[error("the link secret must be at least {MIN_LINK_SECRET_BYTES} bytes")]
pub struct LinkSecretTooShort;

/// Signs and checks unsubscribe links.
#[derive(Clone)]
pub struct UnsubscribeLinks {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for UnsubscribeLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnsubscribeLinks(..)")
    }
}

impl UnsubscribeLinks {
    pub fn new(secret: &[u8]) -> Result<Self, LinkSecretTooShort> {
        if secret.len() < MIN_LINK_SECRET_BYTES {
            return Err(LinkSecretTooShort);
        }
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        })
    }

    /// A link token for `recipient` stopping `scope`, valid until `expires`.
    pub fn sign(&self, recipient: &str, scope: &str, id: &str, expires: OffsetDateTime) -> String {
        let claims = LinkClaims {
            sub: recipient.to_owned(),
            scope: scope.to_owned(),
            jti: id.to_owned(),
            exp: expires.unix_timestamp(),
            aud: AUDIENCE.to_owned(),
        };
        // HS256 over a struct of strings cannot fail to encode.
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).unwrap_or_default()
    }

    /// The claims of a link we signed that has not expired at `now`.
    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Result<LinkClaims, LinkError> {
        if token.len() > 2_048 {
            return Err(LinkError::Invalid);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        // Expiry is checked below against the caller's clock, without leeway.
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<LinkClaims>(token, &self.decoding, &validation)
            .map_err(|_| LinkError::Invalid)?
            .claims;
        if claims.exp <= now.unix_timestamp() {
            return Err(LinkError::Expired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use time::Duration;

    use super::*;

    fn links() -> UnsubscribeLinks {
        UnsubscribeLinks::new(&[7; 32]).unwrap()
    }

    #[test]
    fn a_signed_link_verifies_until_it_expires() {
        let now = OffsetDateTime::now_utc();
        let token = links().sign("ab12", "petition:x", "id-1", now + Duration::days(1));
        let claims = links().verify(&token, now).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.scope.as_str(), claims.jti.as_str()),
            ("ab12", "petition:x", "id-1")
        );
        assert_eq!(
            links().verify(&token, now + Duration::days(2)),
            Err(LinkError::Expired)
        );
    }

    #[test]
    fn a_link_under_another_secret_or_altered_is_refused() {
        let now = OffsetDateTime::now_utc();
        let token = links().sign("ab12", "*", "id-1", now + Duration::days(1));
        let other = UnsubscribeLinks::new(&[8; 32]).unwrap();
        assert_eq!(other.verify(&token, now), Err(LinkError::Invalid));
        let mut altered = token.clone();
        altered.insert(token.len() / 2, 'A');
        assert_eq!(links().verify(&altered, now), Err(LinkError::Invalid));
        assert_eq!(links().verify("", now), Err(LinkError::Invalid));
        assert!(UnsubscribeLinks::new(&[1; 31]).is_err());
    }
}
