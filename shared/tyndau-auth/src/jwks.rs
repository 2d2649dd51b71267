//! The pinned key set. Each key is bound to exactly one algorithm at load time (RFC 8725 §3.1:
//! one key, one algorithm), so a token can never choose how it is verified.

use std::collections::HashMap;
use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::config::AuthConfig;
use crate::error::AuthSetupError;

/// The only algorithms we accept. No HMAC (a shared secret in a public JWKS is a leak, and HS*
/// with a public key as the secret is the classic confusion attack) and never `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinnedAlgorithm {
    Rs256,
    Es256,
    EdDsa,
}

impl PinnedAlgorithm {
    /// The JOSE name, compared case-sensitively with the token header's `alg`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Es256 => "ES256",
            Self::EdDsa => "EdDSA",
        }
    }

    fn jwt(self) -> Algorithm {
        match self {
            Self::Rs256 => Algorithm::RS256,
            Self::Es256 => Algorithm::ES256,
            Self::EdDsa => Algorithm::EdDSA,
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        [Self::Rs256, Self::Es256, Self::EdDsa]
            .into_iter()
            .find(|a| a.name() == name)
    }
}

/// One verification key with everything the hot path needs, built once per (re)load.
pub(crate) struct PinnedKey {
    pub(crate) algorithm: PinnedAlgorithm,
    pub(crate) decoding: DecodingKey,
    pub(crate) validation: Validation,
}

/// A parsed JWKS, keyed by `kid`.
pub struct Jwks {
    keys: HashMap<String, PinnedKey>,
}

/// RSA moduli below 2048 bits are refused (aws-lc would refuse them per request anyway; failing at
/// load makes the misconfiguration visible).
const MIN_RSA_MODULUS_BYTES: usize = 256;

#[derive(Deserialize)]
struct RawJwkSet {
    keys: Vec<serde_json::Value>,
}

/// The members we read. Anything else (`x5c`, private members, …) is ignored.
#[derive(Deserialize)]
struct RawJwk {
    kty: String,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

impl Jwks {
    /// Parses a JWKS document. Keys for encryption (`use: "enc"`) are skipped; signing keys that
    /// lack a `kid`, use another algorithm or are malformed are skipped with a warning (a skipped
    /// key can verify nothing, so skipping is safe and keeps an IdP's extra keys from breaking us).
    /// Duplicate kids are an error because key selection would be ambiguous.
    pub fn from_json(document: &[u8], config: &AuthConfig) -> Result<Self, AuthSetupError> {
        let set: RawJwkSet = serde_json::from_slice(document).map_err(AuthSetupError::Parse)?;
        let mut keys = HashMap::with_capacity(set.keys.len());
        for (index, value) in set.keys.into_iter().enumerate() {
            let raw: RawJwk = match serde_json::from_value(value) {
                Ok(raw) => raw,
                Err(_) => {
                    tracing::warn!(index, "skipping a JWK that is not a key object");
                    continue;
                }
            };
            if raw.use_.as_deref() == Some("enc") {
                tracing::debug!(index, "skipping an encryption JWK");
                continue;
            }
            let Some(kid) = raw.kid.clone().filter(|k| !k.is_empty()) else {
                tracing::warn!(index, "skipping a JWK without kid");
                continue;
            };
            let (algorithm, decoding) = match pin(&raw) {
                Ok(pinned) => pinned,
                Err(reason) => {
                    tracing::warn!(index, kid = %kid, reason, "skipping an unusable JWK");
                    continue;
                }
            };
            if keys.contains_key(&kid) {
                return Err(AuthSetupError::DuplicateKid { kid });
            }
            let validation = validation_for(algorithm, config);
            keys.insert(
                kid,
                PinnedKey {
                    algorithm,
                    decoding,
                    validation,
                },
            );
        }
        if keys.is_empty() {
            return Err(AuthSetupError::NoUsableKeys);
        }
        Ok(Self { keys })
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The pinned algorithm of a key, if the set holds it.
    pub fn algorithm(&self, kid: &str) -> Option<PinnedAlgorithm> {
        self.keys.get(kid).map(|k| k.algorithm)
    }

    /// Key ids, for startup logs.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    pub(crate) fn get(&self, kid: &str) -> Option<&PinnedKey> {
        self.keys.get(kid)
    }
}

impl fmt::Debug for Jwks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (kid, key) in &self.keys {
            map.entry(kid, &key.algorithm.name());
        }
        map.finish()
    }
}

/// Decides the key's one algorithm and builds its decoding key.
fn pin(raw: &RawJwk) -> Result<(PinnedAlgorithm, DecodingKey), &'static str> {
    let from_type = match (raw.kty.as_str(), raw.crv.as_deref()) {
        ("RSA", _) => PinnedAlgorithm::Rs256,
        ("EC", Some("P-256")) => PinnedAlgorithm::Es256,
        ("OKP", Some("Ed25519")) => PinnedAlgorithm::EdDsa,
        ("oct", _) => return Err("symmetric keys are not accepted"),
        _ => return Err("unsupported key type or curve"),
    };
    if let Some(alg) = raw.alg.as_deref() {
        match PinnedAlgorithm::from_name(alg) {
            Some(declared) if declared == from_type => {}
            Some(_) => return Err("alg does not match the key type"),
            None => return Err("alg is not RS256, ES256 or EdDSA"),
        }
    }
    let member = |v: &Option<String>, len: Option<usize>| -> Result<Vec<u8>, &'static str> {
        let text = v.as_deref().ok_or("a key member is missing")?;
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| "a key member is not base64url")?;
        match len {
            Some(expected) if bytes.len() != expected => Err("a key member has the wrong length"),
            _ => Ok(bytes),
        }
    };
    let decoding = match from_type {
        PinnedAlgorithm::Rs256 => {
            let n = member(&raw.n, None)?;
            let e = member(&raw.e, None)?;
            let significant = n.iter().skip_while(|b| **b == 0).count();
            if significant < MIN_RSA_MODULUS_BYTES {
                return Err("RSA modulus is shorter than 2048 bits");
            }
            DecodingKey::from_rsa_raw_components(&n, &e)
        }
        PinnedAlgorithm::Es256 => {
            let mut point = Vec::with_capacity(65);
            point.push(0x04);
            point.extend(member(&raw.x, Some(32))?);
            point.extend(member(&raw.y, Some(32))?);
            // An uncompressed SEC1 point, as `DecodingKey::from_ec_components` builds it.
            DecodingKey::from_ec_der(&point)
        }
        PinnedAlgorithm::EdDsa => DecodingKey::from_ed_der(&member(&raw.x, Some(32))?),
    };
    Ok((from_type, decoding))
}

/// One `Validation` per key: only its pinned algorithm, every spec claim required, `nbf` checked,
/// and our small leeway instead of jsonwebtoken's 60 s default (see the JWT anchors).
fn validation_for(algorithm: PinnedAlgorithm, config: &AuthConfig) -> Validation {
    let mut validation = Validation::new(algorithm.jwt());
    validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    validation.leeway = config.leeway_seconds;
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.validate_aud = true;
    validation.set_issuer(&[config.issuer.as_str()]);
    validation.set_audience(&[config.audience.as_str()]);
    validation
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use super::*;
    use crate::config::JwksSource;
    use serde_json::json;

    fn config() -> AuthConfig {
        AuthConfig::new("iss", "aud", JwksSource::Path("unused".into()))
    }

    fn ed(kid: &str) -> serde_json::Value {
        json!({"kty": "OKP", "crv": "Ed25519", "kid": kid, "x": URL_SAFE_NO_PAD.encode([7u8; 32])})
    }

    fn parse(keys: serde_json::Value) -> Result<Jwks, AuthSetupError> {
        Jwks::from_json(json!({ "keys": keys }).to_string().as_bytes(), &config())
    }

    #[test]
    fn algorithms_are_pinned_from_alg_or_key_type() {
        let ec = json!({"kty": "EC", "crv": "P-256", "kid": "ec", "alg": "ES256",
            "x": URL_SAFE_NO_PAD.encode([1u8; 32]), "y": URL_SAFE_NO_PAD.encode([2u8; 32])});
        let rsa = json!({"kty": "RSA", "kid": "rsa", "use": "sig",
            "n": URL_SAFE_NO_PAD.encode([0xC5u8; 256]), "e": "AQAB"});
        let jwks = parse(json!([ed("ed"), ec, rsa])).unwrap();
        assert_eq!(jwks.len(), 3);
        assert_eq!(jwks.algorithm("ed"), Some(PinnedAlgorithm::EdDsa));
        assert_eq!(jwks.algorithm("ec"), Some(PinnedAlgorithm::Es256));
        assert_eq!(jwks.algorithm("rsa"), Some(PinnedAlgorithm::Rs256));
        assert!(format!("{jwks:?}").contains("EdDSA"));
    }

    #[test]
    fn unusable_keys_are_skipped_and_an_empty_result_is_an_error() {
        let hmac = json!({"kty": "oct", "kid": "h", "k": "c2VjcmV0"});
        let mut no_kid = ed("x");
        no_kid.as_object_mut().unwrap().remove("kid");
        let mut wrong_alg = ed("w");
        wrong_alg["alg"] = json!("RS256");
        let mut hs_alg = ed("hs");
        hs_alg["alg"] = json!("HS256");
        let mut enc = ed("enc");
        enc["use"] = json!("enc");
        let weak_rsa = json!({"kty": "RSA", "kid": "weak",
            "n": URL_SAFE_NO_PAD.encode([0xC5u8; 128]), "e": "AQAB"});
        let p384 = json!({"kty": "EC", "crv": "P-384", "kid": "p384", "x": "AA", "y": "AA"});
        let short = json!({"kty": "OKP", "crv": "Ed25519", "kid": "short", "x": "AAAA"});
        let all = json!([hmac, no_kid, wrong_alg, hs_alg, enc, weak_rsa, p384, short, 42]);
        assert!(matches!(parse(all.clone()), Err(AuthSetupError::NoUsableKeys)));

        let mut with_good = all.as_array().unwrap().clone();
        with_good.push(ed("good"));
        let jwks = parse(json!(with_good)).unwrap();
        assert_eq!(jwks.kids().collect::<Vec<_>>(), ["good"]);
    }

    #[test]
    fn duplicate_kids_and_garbage_are_errors() {
        assert!(matches!(
            parse(json!([ed("a"), ed("a")])),
            Err(AuthSetupError::DuplicateKid { .. })
        ));
        assert!(matches!(
            Jwks::from_json(b"{", &config()),
            Err(AuthSetupError::Parse(_))
        ));
        assert!(matches!(
            Jwks::from_json(b"[]", &config()),
            Err(AuthSetupError::Parse(_))
        ));
    }
}
